"""Step types are objects: each has its module, its template, and every list is made from them."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, nodes

from questionnaires.schema import STEP_CLASSES, STEP_TYPES, Questionnaire, Stored

TEMPLATES = Path(__file__).resolve().parent.parent / "workshop" / "templates"


def _macros(template: str) -> set[str]:
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    tree = Environment(loader=FileSystemLoader(TEMPLATES)).parse(source)
    return {node.name for node in tree.find_all(nodes.Macro)}


def test_every_step_type_is_read_from_files_by_its_type():
    schema = Questionnaire.model_json_schema()
    in_schema = {
        option["properties"]["type"]["const"]
        for option in schema["$defs"].values()
        if "type" in option.get("properties", {})
    }
    assert in_schema == set(STEP_TYPES)
    assert len(STEP_TYPES) == len(STEP_CLASSES) == len(set(STEP_TYPES)) >= 12


def test_every_step_type_has_a_template_that_draws_it():
    """Answered steps draw a plain form's fields or forms of their own; the others show."""
    for cls in STEP_CLASSES:
        step_type = cls.model_fields["type"].annotation.__args__[0]
        macros = _macros(f"steps/{step_type}.html")
        if cls.stores is Stored.NOTHING:
            assert "shown" in macros, step_type
        else:
            assert macros & {"fields", "form"}, step_type


def test_templates_ask_the_step_never_its_type_name():
    for path in TEMPLATES.glob("**/*.html"):
        text = path.read_text(encoding="utf-8")
        assert "step.type" not in text, path.relative_to(TEMPLATES)
