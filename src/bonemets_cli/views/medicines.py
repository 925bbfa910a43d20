"""Pages about medicines: one in full, several side by side."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.choices import Audience
from bonemets_cli.document import Block, Document, Fact, Facts
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import (
    SIDE_EFFECTS_UNNAMED,
    Citations,
    Reading,
    cited,
    count,
    meta,
    page,
    side_by_side,
    since_2010_block,
    update_record,
)
from bonemets_cli.views.treatments import since_2010_blocks

if TYPE_CHECKING:
    from bonemets_cli.models import Treatment
    from bonemets_cli.pack_models import LabelIndication, Medicine
    from bonemets_cli.query_medicines import MedicineComparison, MedicinePage

SHOW_MEDICINE_HINT = "Run 'bonemets show NAME' for any medicine in full."

DOSES_FOR_CLINICIANS = "Shown for clinicians: add '--audience clinician'."
"""Doses come from the facts' detail for clinicians; patients see the plain statements."""


def label_title(label: "LabelIndication") -> str:
    """'Label (US)': whose label."""
    return f"Label ({label.region})"


def label_text(label: "LabelIndication") -> str:
    """What the label is for, after the product it names: 'Xgeva: preventing ...'."""
    return f"{label.product}: {label.text}" if label.product else label.text


def label_items(knowledge: KnowledgeBase, label: "LabelIndication") -> tuple[str, ...]:
    """A label's condition, then the cancers it names, as a label states them."""
    items = [f"Condition: {label.condition}"] if label.condition else []
    if label.cancers:
        names = ", ".join(knowledge.cancer_by_id[c].name for c in label.cancers)
        items.append(f"Cancers it names: {names}")
    return tuple(items)


def class_line(classes: "tuple[Treatment, ...]") -> str:
    line = f"A medicine of the class {classes[0].name}."
    if len(classes) > 1:
        line += " Also counted among: " + ", ".join(t.name for t in classes[1:]) + "."
    return line


def subtitle_of(medicine: "Medicine") -> str:
    parts = ["Medicine"]
    if medicine.brands:
        parts.append("brand name: " + ", ".join(brand.name for brand in medicine.brands))
    if medicine.aliases:
        parts.append("also called: " + ", ".join(medicine.aliases))
    return "; ".join(parts)


class MedicineView(Frozen):
    """``bonemets show NAME`` for a medicine: what it is, how it is given, its doses and
    labels, the facts about it, its side effects and (for clinicians) its code."""

    knowledge: KnowledgeBase
    result: "MedicinePage"
    reading: Reading
    full: bool = False
    """Each later fact in full; by default by its title (a caution in full), as ``show``."""

    def document(self) -> Document:
        kb, m = self.knowledge, self.result.medicine
        cite = Citations(kb)
        classes = self.result.classes
        rows = [
            Fact(
                "What it is",
                class_line(classes),
                cite(*m.classes),
                (f"Run 'bonemets show {classes[0].id}' for the class.",),
            )
        ]
        rows += [
            Fact("Brand name", f"{brand.name} (generic name: {m.name})", cite(brand))
            for brand in m.brands
        ]
        rows.append(Fact("How it is given", m.given.text, cite(m.given)))
        clinician = self.reading.audience is Audience.clinician
        if clinician:
            rows += [Fact("Dose", dose.text, cite(dose)) for dose in m.doses]
        elif m.doses:
            rows.append(Fact("Dose", DOSES_FOR_CLINICIANS))
        rows += [
            Fact(label_title(label), label_text(label), cite(label), label_items(kb, label))
            for label in m.labels
        ]
        rows += [
            Fact("Side effects", kb.side_effect_by_id[link.id].name, cite(link))
            for link in m.side_effects
        ]
        if not m.side_effects:
            rows.append(Fact("Side effects", SIDE_EFFECTS_UNNAMED))
        if clinician:
            rows.append(Fact("ATC code", f"{m.atc.code} ({m.atc.name})", cite(m.atc)))
        blocks: list[Block] = [Facts("About this medicine", tuple(rows))]
        updates = self.result.updates
        if updates:
            blocks += since_2010_blocks(kb, updates, cite, self.reading, self.full)
        return page(kb, self.reading, cite, m.name, subtitle_of(m), blocks)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "medicine": self.result.medicine.record(),
            "classes": [{"id": t.id, "name": t.name} for t in self.result.classes],
            "updates": [update_record(kb, u, self.reading) for u in self.result.updates],
            "sources": [source.record() for source in self.result.sources],
        }


class MedicineCompareView(Frozen):
    """``bonemets compare A B`` for medicines: a column each, then the facts about all."""

    knowledge: KnowledgeBase
    result: "MedicineComparison"
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        medicines = self.result.medicines

        def lines(*cells: str) -> str:
            return "\n".join(cells) or "-"

        def labels(m: "Medicine") -> str:
            return lines(
                *(
                    cited(
                        "; ".join(
                            (f"{label_title(label)} {label_text(label)}", *label_items(kb, label))
                        ),
                        cite(label),
                    )
                    for label in m.labels
                )
            )

        def effects(m: "Medicine") -> str:
            names = [cited(kb.side_effect_by_id[e.id].name, cite(e)) for e in m.side_effects]
            return lines(*names) if names else SIDE_EFFECTS_UNNAMED

        topics: list[tuple[str, list[str]]] = [
            ("Class", [class_line(self.result.classes[m.id]) for m in medicines]),
            ("Brand name", [lines(*(cited(b.name, cite(b)) for b in m.brands)) for m in medicines]),
            ("How it is given", [cited(m.given.text, cite(m.given)) for m in medicines]),
        ]
        clinician = self.reading.audience is Audience.clinician
        if clinician:
            topics.append(
                ("Dose", [lines(*(cited(d.text, cite(d)) for d in m.doses)) for m in medicines])
            )
        else:
            topics.append(("Dose", [DOSES_FOR_CLINICIANS] * len(medicines)))
        topics += [
            ("Label", [labels(m) for m in medicines]),
            ("Side effects", [effects(m) for m in medicines]),
        ]
        if clinician:
            topics.append(("ATC code", [cited(m.atc.code, cite(m.atc)) for m in medicines]))
        shared = self.result.shared
        blocks: list[Block] = [side_by_side([m.name for m in medicines], topics)]
        if shared:
            counted = count(len(shared), "vetted fact")
            title = f"Facts that concern all of them ({counted}, newest first)"
            blocks.append(since_2010_block(kb, shared, cite, self.reading, title))
        title = "Compared: " + ", ".join(m.name for m in medicines)
        return page(kb, self.reading, cite, title, SHOW_MEDICINE_HINT, blocks)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "medicines": [m.record() for m in self.result.medicines],
            "shared_updates": [update_record(kb, u, self.reading) for u in self.result.shared],
        }
