"""Alembic environment: migrations run against the app's own engine and metadata."""

from alembic import context
from flask import current_app

config = context.config
db = current_app.extensions["migrate"].db
engine = db.engine
config.set_main_option(
    "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
)
configure_args = current_app.extensions["migrate"].configure_args


def run_migrations_offline() -> None:
    """Emit SQL to stdout (`flask db upgrade --sql`) without a database connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=db.metadata,
        literal_binds=True,
        **configure_args,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(ctx, revision, directives):  # `flask db migrate` with no change writes nothing
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            process_revision_directives=skip_empty,
            **configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
