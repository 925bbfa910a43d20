"""When to get help now: the warning signs page, the warning box of the handout, and the
line that points every patient page to them.

Imports no record class at run time: the pointer line is a constant, so the pages about
treatments that carry it never load the safety-and-reference pack.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from bonemets_cli.choices import Audience
from bonemets_cli.document import Document, Fact, Facts, Paragraph
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import DISCLAIMER, Citations, Reading, meta

if TYPE_CHECKING:
    import datetime as dt

    from bonemets_cli.pack_models import Signs, UrgentWarning
    from bonemets_cli.views import View

URGENT_POINTER = "Signs that need help now (spinal cord, calcium, broken bone): bonemets urgent"
"""The one quiet line near the top of every patient page. A constant, not data: the
pages that carry it must not load the pack to print it. One line at 80 columns."""

URGENT_TITLE = "When to get help now"
"""The pack's own heading for its warning signs."""


class PatientPage(Frozen):
    """A patient page with the pointer to ``bonemets urgent`` as its first line under
    the title; its JSON is the page's own."""

    view: "View"

    @property
    def knowledge(self) -> KnowledgeBase | None:
        """The page's knowledge base, so its JSON is made self-contained as the page's own."""
        found = getattr(self.view, "knowledge", None)
        return found if isinstance(found, KnowledgeBase) else None

    def document(self) -> Document:
        doc = self.view.document()
        return doc.replace(blocks=(Paragraph(URGENT_POINTER), *doc.blocks))

    def data(self) -> dict[str, Any]:
        return self.view.data()


def signs_label(signs: "Signs") -> str:
    """'Signs', or 'Signs (early)' where the source gives the stage they come at."""
    return f"Signs ({signs.when})" if signs.when else "Signs"


def warning_facts(warning: "UrgentWarning", cite: Citations, audience: Audience) -> Facts:
    """One warning: its signs first, then what to do and how soon (the source's words,
    untouched), then what it is; for clinicians the referral criteria and grade too."""
    rows = [Fact(signs_label(signs), "", items=signs.items) for signs in warning.signs]
    rows.append(Fact("What to do", warning.act, cite(warning)))
    rows.append(Fact("What it is", warning.statement, cite(warning)))
    if audience is Audience.clinician:
        rows.append(Fact("For clinicians", warning.detail[0], items=warning.detail[1:]))
        if warning.grade:
            rows.append(Fact("Grade", warning.grade))
    return Facts(warning.title, tuple(rows))


class Dated(Protocol):
    """An entry of the pack: it carries its review dates."""

    @property
    def reviewed(self) -> "dt.date": ...

    @property
    def next_review(self) -> "dt.date": ...


def reviewed_footer(what: str, entries: Iterable[Dated], reading: Reading) -> tuple[str, ...]:
    """Under a page of the pack: when its entries were reviewed, a warning if one is past
    its review date, and the disclaimer."""
    dated = list(entries)
    reviewed = sorted({entry.reviewed for entry in dated})
    due = min(entry.next_review for entry in dated)
    when = reviewed[0].isoformat()
    if len(reviewed) > 1:
        when += f" to {reviewed[-1].isoformat()}"
    lines = (f"{what} reviewed {when}; next review due {due.isoformat()}.", DISCLAIMER)
    if due < reading.today:
        return (
            f"WARNING: {what.lower()} were due for review on {due.isoformat()} and may be "
            "out of date: check them against current guidance.",
            *lines,
        )
    return lines


class UrgentView(Frozen):
    """``bonemets urgent``: the signs that need help now, what to do and how soon."""

    knowledge: KnowledgeBase
    warnings: Sequence["UrgentWarning"]
    reading: Reading

    def document(self) -> Document:
        cite = Citations(self.knowledge)
        blocks = tuple(warning_facts(w, cite, self.reading.audience) for w in self.warnings)
        subtitle = "The signs to watch for, and what to do and how soon."
        if self.reading.audience is Audience.patient:
            subtitle += " Add --audience clinician for the referral criteria."
        return Document(
            title=URGENT_TITLE,
            subtitle=subtitle,
            blocks=blocks,
            references=cite.references(),
            footer=reviewed_footer("Warning signs", self.warnings, self.reading),
        )

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "warnings": [warning.record() for warning in self.warnings],
        }
