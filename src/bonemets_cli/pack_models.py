"""The safety-and-reference pack's records: warning signs, the glossary, questions to ask,
medicines, diagnosis codes and the spinal instability score.

Imported only when a command needs them (``models.complete`` wires them into the
KnowledgeBase): pages about treatments never pay for building these classes.
"""

from typing import Annotated, Literal

from bonemets_cli.models import (
    Date,
    Given,
    Identifier,
    Model,
    Named,
    Rule,
    SafeText,
    SideEffectLink,
    SourceIds,
    Statement,
)


class Signs(Model):
    """Signs to watch for, in plain words, one sign an item; ``when`` is the stage at
    which they come, where the source gives one ("early", "later, if untreated")."""

    when: SafeText | None = None
    items: Annotated[tuple[SafeText, ...], Rule(min_length=1)]


class UrgentWarning(Model):
    """A danger that needs help now: what it is, its signs, what to do and how soon.

    ``act`` keeps the source's urgency words exactly ("straight away").
    """

    id: Identifier
    title: SafeText
    applies_to: Annotated[
        SafeText, Rule(description="The 'applies to' line, as the fact gives it.")
    ]
    statement: Annotated[SafeText, Rule(description="Plain language, for patients.")]
    signs: Annotated[tuple[Signs, ...], Rule(min_length=1)]
    act: Annotated[SafeText, Rule(description="What to do and how soon, in the source's words.")]
    detail: Annotated[
        tuple[SafeText, ...],
        Rule(
            min_length=1,
            description="Referral criteria and guideline detail for clinicians, a line each.",
        ),
    ]
    grade: Annotated[
        SafeText | None, Rule(description="Evidence or recommendation grade and its scale.")
    ] = None
    sources: SourceIds
    added: Date
    reviewed: Date
    next_review: Date


class Term(Named):
    """A word patients meet, defined in plain words; ``aliases`` holds only the
    abbreviations and other names the sources use for it."""

    definition: Annotated[tuple[Statement, ...], Rule(min_length=1)]
    added: Date
    reviewed: Date
    next_review: Date


class Questions(Model):
    """Questions a patient may ask the care team, in the source's order."""

    items: Annotated[tuple[SafeText, ...], Rule(min_length=1)]
    sources: SourceIds
    added: Date
    reviewed: Date
    next_review: Date


class Brand(Model):
    """A brand name of a medicine, with the label or licence that names it."""

    name: SafeText
    sources: SourceIds


class ClassLink(Model):
    """A treatment class a medicine belongs to, with the sources that place it there."""

    id: Identifier
    sources: SourceIds


class Dose(Model):
    """A dose as the vetted facts state it, in their words."""

    text: SafeText
    updates: Annotated[
        tuple[Identifier, ...], Rule(description="The facts from after 2010 that state this dose.")
    ] = ()
    sources: SourceIds


class LabelIndication(Model):
    """What a regulator's label or licence says a medicine is for.

    ``cancers`` is the "listed for" relation: only the cancers the label names.
    ``condition`` is a limit the label sets, shown with the indication.
    """

    region: Literal["US", "EU"]
    product: Annotated[
        SafeText | None, Rule(description="The labelled product, where it is not the brand itself.")
    ] = None
    text: SafeText
    condition: SafeText | None = None
    cancers: tuple[Identifier, ...] = ()
    updates: Annotated[
        tuple[Identifier, ...],
        Rule(description="The facts from after 2010 that state this indication."),
    ] = ()
    sources: SourceIds


class AtcCode(Model):
    """A code of the WHO Anatomical Therapeutic Chemical classification."""

    code: Annotated[str, Rule(pattern=r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$")]
    name: Annotated[SafeText, Rule(description="The substance as the classification names it.")]
    sources: SourceIds


class Medicine(Named):
    """One medicine: ``name`` is its generic name; brands are names too."""

    classes: Annotated[
        tuple[ClassLink, ...],
        Rule(
            min_length=1, description="The treatments (classes) it belongs to, the narrowest first."
        ),
    ]
    brands: tuple[Brand, ...] = ()
    given: Given
    doses: tuple[Dose, ...] = ()
    labels: tuple[LabelIndication, ...] = ()
    atc: AtcCode
    side_effects: Annotated[
        tuple[SideEffectLink, ...],
        Rule(description="Only the side effects a fact names for this medicine."),
    ] = ()
    updates: Annotated[
        tuple[Identifier, ...], Rule(description="The facts from after 2010 that concern it.")
    ] = ()
    added: Date
    reviewed: Date
    next_review: Date

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that refers to this medicine, its brand names included."""
        return (self.id, self.name, *self.aliases, *(brand.name for brand in self.brands))


class Code(Model):
    """A diagnosis code for bone metastases, always with its classification's edition."""

    id: Identifier
    classification: Annotated[SafeText, Rule(description="e.g. 'ICD-10', 'ICD-10-CM'.")]
    edition: Annotated[SafeText, Rule(description="Whose edition: 'WHO', 'US'.")]
    code: Annotated[str, Rule(pattern=r"^[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?$")]
    title: SafeText
    parent: Annotated[
        SafeText | None, Rule(description="The header code this one splits, in the same edition.")
    ] = None
    sources: SourceIds
    added: Date
    reviewed: Date
    next_review: Date


class ScoreOption(Model):
    """One answer to a component of a score, with its points."""

    key: Annotated[Identifier, Rule(description="The value a user types, e.g. 'semi-rigid'.")]
    label: Annotated[SafeText, Rule(description="The source's words for it.")]
    points: Annotated[int, Rule(ge=0)]


class ScoreComponent(Model):
    """One component of a score: the answers it offers."""

    id: Identifier
    name: SafeText
    options: Annotated[tuple[ScoreOption, ...], Rule(min_length=2)]


class ScoreBand(Model):
    """A range of totals (inclusive) and what the source calls it."""

    low: Annotated[int, Rule(ge=0)]
    high: Annotated[int, Rule(ge=0)]
    label: SafeText


class InstabilityScore(Model):
    """The Spinal Instability Neoplastic Score (SINS) as its sources give it: the
    point values are data, so no number of the score lives in code."""

    id: Identifier
    title: SafeText
    applies_to: SafeText
    statement: Annotated[SafeText, Rule(description="Plain language, for patients.")]
    detail: Annotated[tuple[SafeText, ...], Rule(min_length=1)]
    components: Annotated[tuple[ScoreComponent, ...], Rule(min_length=1)]
    bands: Annotated[tuple[ScoreBand, ...], Rule(min_length=1)]
    consultation_from: Annotated[
        int,
        Rule(ge=0, description="The lowest total at which surgical consultation is recommended."),
    ]
    sources: SourceIds
    added: Date
    reviewed: Date
    next_review: Date


PACK_CITING = (
    UrgentWarning,
    Questions,
    Brand,
    ClassLink,
    Dose,
    LabelIndication,
    AtcCode,
    Code,
    InstabilityScore,
)
"""The pack's records that carry a ``sources`` list of source ids."""
