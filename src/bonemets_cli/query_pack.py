"""Questions asked of the safety-and-reference pack: warning signs, the glossary,
questions to ask, medicines, codes and the spinal instability score. Pure, like query."""

from collections.abc import Iterable, Iterator, Mapping
from itertools import product

from bonemets_cli import names
from bonemets_cli.errors import InvalidChoice, NotFound, NothingMatched
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase, Treatment, Update, normalize
from bonemets_cli.pack_models import (
    Code,
    InstabilityScore,
    Medicine,
    Questions,
    ScoreComponent,
    ScoreOption,
    Term,
    UrgentWarning,
)
from bonemets_cli.query import find, find_each, newest_first


def find_entry(
    knowledge: KnowledgeBase, name: str, what: str = "treatment or medicine"
) -> Treatment | Medicine:
    """The treatment or medicine with this id, name, alias or brand name."""
    return find(treatments_and_medicines(knowledge), name, what)


def find_entries(
    knowledge: KnowledgeBase, wanted: Iterable[str], what: str = "treatment or medicine"
) -> list[Treatment | Medicine]:
    """``find_entry`` for each name, in order, the names of every entry read once."""
    return find_each(treatments_and_medicines(knowledge), wanted, what)


def treatments_and_medicines(knowledge: KnowledgeBase) -> tuple[Treatment | Medicine, ...]:
    """The entries ``show`` can open, in one name space (the loader keeps names unique)."""
    return (*knowledge.treatments, *knowledge.medicines)


def find_medicine(knowledge: KnowledgeBase, name: str) -> Medicine:
    """The medicine with this generic name, alias or brand name; a unique prefix also matches."""
    return find(knowledge.medicines, name, "medicine", list_known=True)


def class_of(knowledge: KnowledgeBase, medicine: Medicine) -> Treatment:
    """The narrowest treatment class a medicine belongs to."""
    return knowledge.treatment_by_id[medicine.classes[0].id]


def medicines_of(knowledge: KnowledgeBase, treatment: Treatment) -> list[Medicine]:
    """The medicines that belong to a treatment class, in the knowledge file's order."""
    return [m for m in knowledge.medicines if any(c.id == treatment.id for c in m.classes)]


def updates_for_medicine(knowledge: KnowledgeBase, medicine: Medicine) -> list[Update]:
    """The facts from after 2010 that concern a medicine, newest first."""
    return newest_first(knowledge, [knowledge.update_by_id[u] for u in medicine.updates])


def warnings(knowledge: KnowledgeBase) -> tuple[UrgentWarning, ...]:
    """The signs that need help now, in the knowledge file's order (the source's)."""
    return knowledge.warnings


def glossary(knowledge: KnowledgeBase) -> list[Term]:
    """Every glossary term, alphabetically."""
    return sorted(knowledge.glossary, key=lambda term: normalize(term.name))


def questions(knowledge: KnowledgeBase) -> Questions:
    """The questions to ask the care team; NothingMatched when the file holds none."""
    if knowledge.questions is None:
        raise NothingMatched("this knowledge file has no questions to ask the care team")
    return knowledge.questions


def diagnosis_codes(knowledge: KnowledgeBase) -> tuple[Code, ...]:
    """The diagnosis codes for bone metastases, each with its edition."""
    return knowledge.codes


_SPELLINGS = (("radiotherapy", "radiation therapy"), ("aem", "em"), ("our", "or"), ("oe", "e"))
"""British spellings and their American forms: words, not facts. Both sides of a
comparison are spelt the American way, so either spelling finds the term."""

_MAX_VARIED_WORDS = 6
"""Longer input is compared as written: variants multiply with every word."""


def find_term(knowledge: KnowledgeBase, text: str) -> Term:
    """The glossary term for ``text``, forgiving case, British or American spelling,
    plurals, "-ic"/"-ical" endings and the abbreviations the sources use (SRE, ONJ).

    A unique prefix also matches; otherwise NotFound carries the closest terms.
    """
    terms = knowledge.glossary
    by_words = {_spelled(name): term for term in terms for name in term.names}
    for words in _word_variants(_spelled(text)):
        if words in by_words:
            return by_words[words]
    wanted = " ".join(_spelled(text))
    if len(wanted) >= 3:
        prefixed = {t.id: t for key, t in by_words.items() if " ".join(key).startswith(wanted)}
        if len(prefixed) == 1:
            return next(iter(prefixed.values()))
    suggestions = names.suggestions(terms, wanted)
    raise NotFound(
        "glossary term",
        text,
        suggestions=suggestions,
        known=() if suggestions else [term.id for term in terms],
        hint=f"Run 'bonemets search {text}' to find where the facts use it.",
    )


def _spelled(text: str) -> tuple[str, ...]:
    spelled = normalize(text)
    for british, american in _SPELLINGS:
        spelled = spelled.replace(british, american)
    return tuple(spelled.split())


def _word_variants(words: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The words as given first, then each combination of their other forms."""
    yield words
    if len(words) <= _MAX_VARIED_WORDS:
        yield from product(*(_forms(word) for word in words))


def _forms(word: str) -> list[str]:
    """A word and its likely singular and "-ic"/"-ical" forms (metastases -> metastasis)."""
    forms = [word]
    if word.endswith("es") and len(word) > 3:
        forms += [word[:-2], word[:-2] + "is"]
    if word.endswith("s") and not word.endswith(("ss", "is", "us")) and len(word) > 2:
        forms.append(word[:-1])
    for form in list(forms):
        if form.endswith("ical"):
            forms.append(form[:-2])
        elif form.endswith("ic"):
            forms.append(form + "al")
    return list(dict.fromkeys(forms))


class ScoreChoice(Frozen):
    """One component of a score and the answer chosen for it."""

    component: ScoreComponent
    option: ScoreOption


class SinsResult(Frozen):
    """A Spinal Instability Neoplastic Score: a decision aid for clinicians, never a
    treatment choice."""

    total: int
    band: str
    surgical_consultation: bool
    components: tuple[ScoreChoice, ...]
    score: InstabilityScore
    """The table it was computed from, with its sources and its consultation threshold."""


def sins_table(knowledge: KnowledgeBase) -> InstabilityScore:
    """The SINS table; NothingMatched when the file holds none."""
    if knowledge.sins is None:
        raise NothingMatched("this knowledge file has no SINS table")
    return knowledge.sins


def sins_score(knowledge: KnowledgeBase, choices: Mapping[str, str]) -> SinsResult:
    """Add up the points of one answer per component, as the data's table gives them.

    ``choices`` maps component ids to answer keys (``{"location": "junctional"}``).
    A missing component, an unknown component or an answer outside a component's
    list raises InvalidChoice naming it and the accepted answers.
    """
    score = sins_table(knowledge)
    known = {component.id: component for component in score.components}
    unknown = sorted(set(choices) - set(known))
    if unknown:
        raise InvalidChoice(
            f"unknown SINS component {unknown[0]!r}; the components are: " + ", ".join(known)
        )
    chosen = []
    for component in score.components:
        value = choices.get(component.id)
        if value is None:
            raise InvalidChoice(
                f"missing SINS component {component.id!r}; choose one of: "
                + ", ".join(option.key for option in component.options)
            )
        chosen.append(ScoreChoice(component, score_option(component, value)))
    total = sum(choice.option.points for choice in chosen)
    band = next(b.label for b in score.bands if b.low <= total <= b.high)
    return SinsResult(total, band, total >= score.consultation_from, tuple(chosen), score)


def score_option(component: ScoreComponent, value: str) -> ScoreOption:
    """The answer of a score's component that ``value`` names, forgiving case and
    spaces for hyphens; InvalidChoice naming the component and its answers otherwise."""
    wanted = normalize(value).replace(" ", "-")
    option = next((o for o in component.options if o.key == wanted), None)
    if option is None:
        raise InvalidChoice(
            f"{value!r} is not a value of SINS component {component.id!r}; choose one of: "
            + ", ".join(o.key for o in component.options)
        )
    return option
