"""The `moderato` command: one group for serving, setup, and the model's lifecycle."""

from __future__ import annotations

import os
import secrets
import shlex
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from service import create_app
from service.classifier import default_models_dir
from service.classifier import retrain as retrain_model
from service.classifier.cli import (
    evaluate_command,
    model_group,
    score_command,
    thresholds_command,
    train_command,
)
from service.comments import moderator_labels, sample_of
from service.extensions import db
from service.models import User
from service.moderation import Label


def _create_user(username: str, password: str, *, admin: bool) -> User:
    user = User(username=username, is_admin=admin)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database and create the first admin if there is no user yet."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")
    if db.session.execute(select(func.count()).select_from(User)).scalar_one():
        return
    username = os.environ.get("MODERATO_ADMIN_USER", "admin")
    password = os.environ.get("MODERATO_ADMIN_PASSWORD")
    _create_user(username, password or (generated := secrets.token_urlsafe(12)), admin=True)
    if password:
        click.echo(f"Created admin {username!r} with the password from MODERATO_ADMIN_PASSWORD.")
    else:
        click.secho(f"Created admin {username!r} with password: {generated}", bold=True)
        click.echo("This password is shown only once; keep it somewhere safe.")


@click.command("create-moderator")
@click.argument("username")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for when omitted.",
)
@click.option("--admin", is_flag=True, help="Also allow managing sites, accounts and settings.")
@with_appcontext
def create_moderator_command(username: str, password: str, admin: bool) -> None:
    """Create a moderator account."""
    if len(password) < 8:
        raise click.BadParameter("must be at least 8 characters", param_hint="--password")
    if db.session.execute(select(User).where(User.username == username)).scalar_one_or_none():
        raise click.UsageError(f"a user named {username!r} already exists")
    _create_user(username, password, admin=admin)
    click.echo(f"Created {'admin' if admin else 'moderator'} {username!r}.")


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="HOST:PORT to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve_command(bind: str, workers: int) -> None:
    """Serve the app with gunicorn (the production server)."""
    base = f"http://{bind}"
    click.echo(f"Demo post:  {base}/demo/")
    click.echo(f"Dashboard:  {base}/dashboard/")
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--no-control-socket",
        "--access-logfile",
        "-",
        "service:create_app()",
    ]
    click.echo("$ " + shlex.join(argv[1:]))
    sys.stdout.flush()
    os.execv(sys.executable, argv)


@click.command("retrain")
@click.option(
    "--models-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the models live (default: MODERATO_MODELS_DIR or ./models).",
)
@click.option("--force", is_flag=True, help="Promote even if the new model evaluates worse.")
@with_appcontext
def retrain_command(models_dir: Path | None, force: bool) -> None:
    """Learn this site's standards from the moderators' decisions and promote the result."""
    models_dir = models_dir or Path(
        current_app.config["MODERATO_MODELS_DIR"] or default_models_dir()
    )
    labelled = moderator_labels()
    click.echo(f"{len(labelled)} comments decided by moderators.")
    samples = [sample_of(comment) for comment, _ in labelled]
    spam = [int(label is Label.SPAM) for _, label in labelled]
    abuse = [int(label is Label.ABUSE) for _, label in labelled]
    result = retrain_model(models_dir, samples, spam, abuse, force=force, progress=click.echo)
    click.echo(result.message)
    if not result.promoted:
        raise SystemExit(1)
    click.echo(f"Promoted {result.version}; restart the service to use it.")


def init_app(app: Flask) -> None:
    """Commands that need the app and its database; `flask --app wsgi ...` sees them too."""
    for command in (init_command, create_moderator_command, retrain_command):
        app.cli.add_command(command)


cli = FlaskGroup(create_app=create_app, help="Moderato: self-hosted comments with moderation.")
for command in (
    serve_command,
    train_command,
    evaluate_command,
    score_command,
    thresholds_command,
    model_group,
):
    cli.add_command(command)
