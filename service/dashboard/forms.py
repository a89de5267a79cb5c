"""Dashboard forms; Flask-WTF adds and checks the CSRF token on each of them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from service.moderation import Action, Status


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class ModerateForm(FlaskForm):
    action = HiddenField(validators=[DataRequired(), AnyOf([a.value for a in Action])])
    expected = HiddenField(validators=[DataRequired(), AnyOf([s.value for s in Status])])
