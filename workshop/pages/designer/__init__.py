"""The questionnaire designer: facilitators make and change questionnaires in the browser."""

# Each module adds its pages to the one blueprint.
from workshop.pages.designer import routes, step_routes, version_routes  # noqa: F401
from workshop.pages.designer.blueprint import bp

__all__ = ["bp"]
