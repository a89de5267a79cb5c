"""A sample blog post that embeds the widget exactly as a real blog would."""

from flask import Blueprint, current_app, render_template, url_for

bp = Blueprint("demo", __name__, url_prefix="/demo", template_folder="templates")


@bp.get("/")
def get_post() -> str:
    """Render the demo post with the comment thread embedded.

    MODERATO_DEMO_SERVICE_URL makes the page load the widget from another Moderato origin,
    as a blog on its own domain would.
    """
    service = current_app.config.get("MODERATO_DEMO_SERVICE_URL") or url_for(
        "embed.get_script", _external=True
    ).removesuffix("/embed.js")
    return render_template("demo/post.html", service=service.rstrip("/"))
