"""Questions about sources: which entries cite each one, and every statement of one entry
beside the sources it cites. Pure functions, no terminal, no I/O."""

from collections.abc import Iterator

from bonemets_cli import names
from bonemets_cli.errors import NotFound
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import (
    CITING,
    Detail,
    KnowledgeBase,
    Model,
    SideEffectLink,
    Statement,
    Update,
    field_names,
    normalize,
)


def walk(node: Model, path: str = "") -> Iterator[tuple[str, Model]]:
    """Every record in the tree under ``node``, with its JSON path."""
    yield path, node
    for field in field_names(type(node)):
        value = getattr(node, field)
        child = f"{path}.{field}" if path else field
        if isinstance(value, Model):
            yield from walk(value, child)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, Model):
                    yield from walk(item, f"{child}[{index}]")


def citing_entries(knowledge: KnowledgeBase) -> dict[str, list[str]]:
    """For each source id, the entries (by id) with a statement that cites it."""
    from bonemets_cli.pack_models import PACK_CITING

    citing = (*CITING, *PACK_CITING)
    cited: dict[str, dict[str, None]] = {source.id: {} for source in knowledge.sources}
    for path, node in walk(knowledge):
        if isinstance(node, citing):
            entry = entry_of(knowledge, path)
            for source_id in node.sources:
                cited.setdefault(source_id, {})[entry] = None
    return {source_id: list(entries) for source_id, entries in cited.items()}


def entry_of(knowledge: KnowledgeBase, path: str) -> str:
    """The id of the top-level entry a JSON path lies in ('treatments[3].x' -> 'surgery')."""
    head = path.split(".", 1)[0]
    field, _, index = head.partition("[")
    collection = getattr(knowledge, field)
    if index and isinstance(collection, tuple):
        item = collection[int(index.rstrip("]"))]
        return str(getattr(item, "id", field))
    return field


class SourcedText(Frozen):
    """One readable text of an entry: the field it is in, and the ids of its sources."""

    field: str
    text: str
    sources: tuple[str, ...]


class Provenance(Frozen):
    """Every statement of one entry, each with its sources."""

    entry: str
    title: str
    statements: tuple[SourcedText, ...]


_SECTIONS = {
    "overview": "Overview",
    "prognosis": "Prognosis",
    "complementary_intro": "Complementary treatments",
}


def provenance(knowledge: KnowledgeBase, key: str) -> Provenance:
    """Every statement of one entry with the ids of its sources.

    ``key`` names a treatment (as ``show`` does), an update or factor by id, or a
    section: overview, prognosis, complementary.
    """
    entries: dict[str, tuple[str, str, Model | tuple[Model, ...]]] = {}
    for section, title in _SECTIONS.items():
        entry: Model | tuple[Model, ...] = getattr(knowledge, section)
        for name in (section, title, section.split("_")[0]):
            entries[normalize(name)] = (section, title, entry)
    for factor in knowledge.factors:
        entries[normalize(factor.id)] = (factor.id, f"Factor: {factor.text}", factor)
    for update in knowledge.updates:
        for name in (update.id, update.title):
            entries[normalize(name)] = (update.id, f"Since 2010: {update.title}", update)
    for treatment in knowledge.treatments:
        for name in treatment.names:
            entries[normalize(name)] = (treatment.id, treatment.name, treatment)
    wanted = normalize(key)
    if wanted not in entries:
        owners = {name: found[0] for name, found in entries.items()}
        raise NotFound("entry", key, names.closest(owners, wanted))
    entry_id, title, entry = entries[wanted]
    roots = entry if isinstance(entry, tuple) else (entry,)
    rows = [
        row
        for index, root in enumerate(roots)
        for path, node in walk(root, f"[{index}]" if isinstance(entry, tuple) else "")
        for row in _sourced_texts(knowledge, path, node)
    ]
    return Provenance(entry_id, title, tuple(rows))


def _sourced_texts(knowledge: KnowledgeBase, path: str, node: Model) -> list[SourcedText]:
    """The readable text(s) of one record that cites sources; none for other records."""
    field = path or "text"
    if isinstance(node, Update):
        return [SourcedText("statement", node.statement, node.sources)] + [
            SourcedText(f"detail[{i}]", line, node.sources) for i, line in enumerate(node.detail)
        ]
    if isinstance(node, SideEffectLink):
        return [SourcedText(field, knowledge.side_effect_by_id[node.id].name, node.sources)]
    if isinstance(node, Detail):
        return [SourcedText(field, f"{node.title}: {'; '.join(node.items)}", node.sources)]
    if isinstance(node, Statement):
        return [SourcedText(field, node.text, node.sources)]
    return []
