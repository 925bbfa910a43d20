"""Pages about medicines: one medicine in full, several side by side. Pure, like query.

Imported only when a name is not a treatment's: pages about treatments never load the
pack's records (tests/test_layers.py).
"""

from collections.abc import Mapping, Sequence

from bonemets_cli import query, query_pack
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase, Source, Treatment, Update
from bonemets_cli.pack_models import Medicine


class MedicinePage(Frozen):
    """``show NAME`` for a medicine: the medicine, the classes it belongs to (narrowest
    first), the later facts about it (newest first, cautions after what they qualify)
    and every source the page cites, in the order the page cites them."""

    medicine: Medicine
    classes: tuple[Treatment, ...]
    updates: tuple[Update, ...]
    sources: tuple[Source, ...]


def medicine_page(knowledge: KnowledgeBase, medicine: Medicine) -> MedicinePage:
    updates = tuple(query_pack.updates_for_medicine(knowledge, medicine))
    return MedicinePage(
        medicine, classes_of(knowledge, medicine), updates, _sources(knowledge, medicine, updates)
    )


def classes_of(knowledge: KnowledgeBase, medicine: Medicine) -> tuple[Treatment, ...]:
    return tuple(knowledge.treatment_by_id[link.id] for link in medicine.classes)


def _sources(
    knowledge: KnowledgeBase, medicine: Medicine, updates: Sequence[Update]
) -> tuple[Source, ...]:
    m = medicine
    lists: list[tuple[str, ...]] = [
        *(link.sources for link in m.classes),
        *(brand.sources for brand in m.brands),
        m.given.sources,
        *(dose.sources for dose in m.doses),
        *(label.sources for label in m.labels),
        *(link.sources for link in m.side_effects),
        m.atc.sources,
        *(update.sources for update in updates),
    ]
    cited = dict.fromkeys(source for sources in lists for source in sources)
    return tuple(knowledge.source_by_id[source] for source in cited)


class MedicineComparison(Frozen):
    """``compare`` of medicines: each with its classes, and the later facts that concern
    every one of them (newest first): for clinicians, the head-to-head figures."""

    medicines: tuple[Medicine, ...]
    classes: Mapping[str, tuple[Treatment, ...]]
    """The classes of each medicine, by medicine id."""
    shared: tuple[Update, ...]
    """The later facts that concern every medicine compared, newest first."""


def medicine_comparison(
    knowledge: KnowledgeBase, medicines: Sequence[Medicine]
) -> MedicineComparison:
    """The medicines, once each (a usage error is the caller's if fewer than two)."""
    chosen = tuple(dict.fromkeys(medicines))
    common = set.intersection(*(set(m.updates) for m in chosen)) if chosen else set()
    shared = query.newest_first(knowledge, [u for u in knowledge.updates if u.id in common])
    return MedicineComparison(
        chosen, {m.id: classes_of(knowledge, m) for m in chosen}, tuple(shared)
    )
