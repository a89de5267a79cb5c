"""Dashboard forms; Flask-WTF adds and checks the CSRF token on each of them."""

from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, Regexp

from service.moderation import Action, BanKind, Status

ACTIONS = [a.value for a in Action]
PASSWORD = [DataRequired(), Length(min=8, max=200, message="at least 8 characters")]


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class ModerateForm(FlaskForm):
    action = HiddenField(validators=[DataRequired(), AnyOf(ACTIONS)])
    expected = HiddenField(validators=[DataRequired(), AnyOf([s.value for s in Status])])


class ActionForm(FlaskForm):
    """An action on a selection (checkboxes `selected`, each `id:status-seen`) or on an author."""

    action = HiddenField(validators=[DataRequired(), AnyOf(ACTIONS)])


class UserCreateForm(FlaskForm):
    username = StringField(
        "User name",
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(r"^[\w.@+-]+$", message="letters, digits and . @ + - _"),
        ],
    )
    password = PasswordField("Password", validators=PASSWORD)
    is_admin = BooleanField("Admin (manages sites and accounts)")


class UserEditForm(FlaskForm):
    is_admin = BooleanField("Admin (manages sites and accounts)")
    active = BooleanField("Active (may sign in)")
    sites = SelectMultipleField("Sites this moderator moderates", coerce=int)


class PasswordResetForm(FlaskForm):
    password = PasswordField("New password", validators=PASSWORD)


def _threshold(label: str) -> FloatField:
    return FloatField(label, validators=[Optional(), NumberRange(0.0, 1.0)])


class SiteForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        "Slug (the widget's data-moderato-site)",
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[a-z0-9-]+$", message="lower-case letters, digits and -"),
        ],
    )
    allowed_origins = TextAreaField("Allowed origins (one per line)")
    spam_hold = _threshold("Spam: hold at or above")
    spam_block = _threshold("Spam: block at or above")
    abuse_hold = _threshold("Abuse: hold at or above")
    abuse_block = _threshold("Abuse: block at or above")
    require_moderation = BooleanField("Hold every comment for a moderator")


class WordsForm(FlaskForm):
    banned_words = TextAreaField("Banned words (block)", validators=[Length(max=20000)])
    suspect_words = TextAreaField("Suspect words (hold)", validators=[Length(max=20000)])


class BanForm(FlaskForm):
    kind = SelectField(
        "Ban by",
        choices=[
            SelectChoice(BanKind.EMAIL.value, "Email"),
            SelectChoice(BanKind.EMAIL_DOMAIN.value, "Email domain"),
            SelectChoice(BanKind.ADDRESS_HASH.value, "Address hash"),
            SelectChoice(BanKind.WEBSITE_DOMAIN.value, "Website domain"),
        ],
    )
    value = StringField("Value", validators=[DataRequired(), Length(max=254)])
    site = SelectField("Site", coerce=int)
    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=200)])
    expires = DateField("Expires on (optional)", validators=[Optional()])


class PostSettingsForm(FlaskForm):
    closed = BooleanField("Comments closed")
    require_moderation = BooleanField("Hold every comment for a moderator")


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons such as delete."""


def require_valid(form: FlaskForm) -> None:
    """400 naming each field at fault (a missing CSRF token is named too) unless `form` is valid."""
    if not form.validate_on_submit():
        abort(400, description="; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()))
