"""What the questionnaire checks found, said in the page's language (the command line says
it in English)."""

from __future__ import annotations

from flask_babel import gettext as _

from questionnaires.findings import Finding, Said


def said(message: str) -> str:
    """A checker's message in the page's language, where it kept its template."""
    if isinstance(message, Said):
        return _(message.template, **message.values) if message.values else _(message.template)
    return message


def finding_line(finding: Finding) -> str:
    """A finding with where it is, as a list of a file's problems shows it:
    "mine.yaml, line 21, step 'allies': ..."."""
    where = [finding.file]
    if finding.line is not None:
        where.append(_("line %(n)s", n=finding.line))
    if finding.step is not None:
        where.append(_("step '%(step)s'", step=finding.step))
    return _("%(where)s: %(message)s", where=", ".join(where), message=said(finding.message))
