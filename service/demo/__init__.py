"""A sample blog post that embeds the widget exactly as a real blog would."""

from flask import Blueprint, render_template

bp = Blueprint("demo", __name__, url_prefix="/demo", template_folder="templates")


@bp.get("/")
def get_post() -> str:
    """Render the demo post with the comment thread embedded."""
    return render_template("demo/post.html")
