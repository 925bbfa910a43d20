"""Plain words and questions: the glossary and the questions to ask the care team."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bonemets_cli.document import Block, Document, Fact, Facts, Paragraph
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import Citations, Reading, meta
from bonemets_cli.views.urgent import reviewed_footer

if TYPE_CHECKING:
    from bonemets_cli.pack_models import Questions, Term

QUESTIONS_TITLE = "Questions to ask your care team"


def term_label(term: "Term") -> str:
    """A term as a glossary shows it: its name, and the abbreviations the sources use."""
    short = [alias for alias in term.aliases if alias.isupper()]
    return f"{term.name} ({', '.join(short)})" if short else term.name


def term_fact(term: "Term", cite: Citations) -> Fact:
    """A term and its definition, each sentence with its own sources."""
    first, *more = term.definition
    text = " ".join([first.text, *(d.text for d in more)])
    return Fact(term_label(term), text, cite(*term.definition))


class GlossaryView(Frozen):
    """``bonemets glossary [TERM]``: the words patients meet, in plain words."""

    knowledge: KnowledgeBase
    terms: Sequence["Term"]
    reading: Reading
    term: str | None = None
    """What the reader typed, when they asked for one term."""

    def document(self) -> Document:
        cite = Citations(self.knowledge)
        rows = tuple(term_fact(term, cite) for term in self.terms)
        if self.term is None:
            title = "Words you may meet"
            subtitle = "Run 'bonemets glossary TERM' for one word."
        else:
            title = f"Glossary: {self.terms[0].name}"
            subtitle = "Run 'bonemets glossary' for every word."
        return Document(
            title=title,
            subtitle=subtitle,
            blocks=(Facts("", rows),),
            references=cite.references(),
            footer=reviewed_footer("Glossary", self.terms, self.reading),
        )

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "terms": [term.record() for term in self.terms],
        }


QUESTIONS_FROM = "Our wording of the questions the American Cancer Society suggests."
"""Whose questions they are, as the pack says; the source is cited beside it."""


def question_blocks(
    questions: "Questions", cite: Citations, title: str = "", kind: str = ""
) -> list[Block]:
    """The questions, numbered, in the source's order; then where they come from."""
    rows = tuple(
        Fact("", f"{number}. {text}") for number, text in enumerate(questions.items, start=1)
    )
    return [Facts(title, rows, kind), Paragraph(QUESTIONS_FROM, cite(questions))]


class QuestionsView(Frozen):
    """``bonemets questions``: what to ask the care team, with its source."""

    knowledge: KnowledgeBase
    questions: "Questions"
    reading: Reading

    def document(self) -> Document:
        cite = Citations(self.knowledge)
        return Document(
            title=QUESTIONS_TITLE,
            subtitle="For a printed page with room for the answers: bonemets handout.",
            blocks=tuple(question_blocks(self.questions, cite)),
            references=cite.references(),
            footer=reviewed_footer("Questions", [self.questions], self.reading),
        )

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "questions": self.questions.record(),
        }


def words_used(terms: "Sequence[Term]", text: str) -> "list[Term]":
    """The terms a page's own text uses, in the glossary's order: by name or alias, in
    either spelling, singular or plural; an abbreviation only in capitals (SRE, ONJ)."""
    folded = text.casefold().replace("ae", "e")
    used = []
    for term in terms:
        for name in (term.name, *term.aliases):
            if name.isupper():
                found = holds_word(text, name, ("s", ""))
            else:
                spelled = name.casefold().replace("ae", "e")
                if spelled.endswith("is"):  # metastasis or metastases
                    found = holds_word(folded, spelled[:-2], ("is", "es"))
                else:
                    found = holds_word(folded, spelled, ("s", "es", ""))
            if found:
                used.append(term)
                break
    return used


def holds_word(text: str, word: str, endings: tuple[str, ...]) -> bool:
    """Whether the text holds the word with one of the endings, as a whole word: what
    ``re.search(rf"\\b{re.escape(word)}(?:{'|'.join(endings)})\\b", text)`` finds, without
    compiling a pattern for each name of the glossary (0.4M instructions each, 5M a
    handout)."""
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        if _boundary(text, start) and any(
            text.startswith(ending, end) and _boundary(text, end + len(ending))
            for ending in endings
        ):
            return True
        start = text.find(word, start + 1)
    return False


def _boundary(text: str, index: int) -> bool:
    """Whether ``\\b`` matches at the index: a word character on one side only."""
    return _is_word(text, index - 1) != _is_word(text, index)


def _is_word(text: str, index: int) -> bool:
    """Whether the character at the index is one ``\\w`` matches (none outside the text)."""
    if not 0 <= index < len(text):
        return False
    character = text[index]
    return character.isalnum() or character == "_"
