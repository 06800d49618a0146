"""Pages about the service itself: the accessibility statement."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template

bp = Blueprint("about", __name__)

# When the statement was last checked against what the tests prove: change it with them.
STATEMENT_REVIEWED = date(2026, 11, 23)


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement, in the form UK public bodies publish."""
    return render_template(
        "about/accessibility.html",
        reviewed=STATEMENT_REVIEWED,
        contact=current_app.config["ACCESSIBILITY_CONTACT"],
        organisation=current_app.config["ORGANISATION"],
    )
