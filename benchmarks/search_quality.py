"""How often search puts the entry that answers a question first: bonemets beside two baselines.

Reads the development questions (``../shared/questions/dev.tsv`` beside the repository:
a question in a person's own words, then the id fragments of the entries that answer
it, separated by ``|``; a result answers when its id contains one of them). For each
question it ranks the entries three ways, all over the same entries and text:

  bonemets   ``bonemets_cli.search.search``, as ``bonemets search`` ranks;
  substring  entries holding more of the query's words (as substrings) first,
             ties in the knowledge file's order: what a plain ``grep`` gives;
  rank-bm25  Okapi BM25 from the ``rank-bm25`` library, on lower-cased words, one
             document per entry, no stemming, stop words or synonyms.

It prints hit@1 (the first result answers), hit@3 (one of the first three does) and
MRR (the mean of 1/rank of the first answering result, 0 when none does), over all
questions and over those answerable with the current data (some answer an entry of a
kind the knowledge base does not hold yet).

    python benchmarks/search_quality.py           # figures, and each miss of bonemets
    python benchmarks/search_quality.py --smoke   # checks that it runs
    python benchmarks/search_quality.py --questions FILE

rank-bm25 is for this benchmark only, not a dependency of bonemets or its tests:
``pip install rank-bm25``. Without it that baseline is skipped, with a note.
It never fails on a figure: a benchmark is for reading.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from bonemets_cli import search as searching
from bonemets_cli.knowledge import load
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.search_index import build_index

QUESTIONS = Path(__file__).resolve().parents[2] / "shared" / "questions" / "dev.tsv"
_WORD = re.compile(r"[^\W_]+")


class Question(NamedTuple):
    text: str
    answers: tuple[str, ...]


class Entry(NamedTuple):
    id: str
    text: str


Ranker = Callable[[str], list[str]]
"""A question -> entry ids, best first."""


def read_questions(path: Path) -> list[Question]:
    """The rows of a questions file: '#' lines are comments, the first other line the header."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [line for line in rows if not line.startswith("#")]
    header, *body = rows
    if header.split("\t") != ["question", "answer"]:
        raise SystemExit(f"{path}: expected the header 'question<TAB>answer', got {header!r}")
    questions = []
    for line in body:
        text, answer = line.split("\t")
        questions.append(Question(text, tuple(part for part in answer.split("|") if part)))
    return questions


def entries(knowledge: KnowledgeBase) -> list[Entry]:
    """Every entry search ranks, with all its text joined: the baselines read the same."""
    texts, places, owners = build_index(knowledge)
    joined: dict[int, list[str]] = {}
    for text, (owner, _) in zip(texts, places, strict=True):
        joined.setdefault(owner, []).append(text)
    return [Entry(owners[o][1], " ".join(parts)) for o, parts in joined.items()]


def bonemets_ranker(knowledge: KnowledgeBase) -> Ranker:
    def rank(question: str) -> list[str]:
        return [result.entry for result in searching.search(knowledge, question).results]

    return rank


def substring_ranker(corpus: Sequence[Entry]) -> Ranker:
    lowered = [(entry.id, entry.text.casefold()) for entry in corpus]

    def rank(question: str) -> list[str]:
        words = _WORD.findall(question.casefold())
        counts = [(sum(word in text for word in words), entry) for entry, text in lowered]
        ranked = sorted(
            ((count, index, entry) for index, (count, entry) in enumerate(counts) if count),
            key=lambda item: (-item[0], item[1]),
        )
        return [entry for _, _, entry in ranked]

    return rank


def bm25_ranker(corpus: Sequence[Entry]) -> Ranker | None:
    try:
        from rank_bm25 import BM25Okapi  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    model = BM25Okapi([_WORD.findall(entry.text.casefold()) for entry in corpus])
    ids = [entry.id for entry in corpus]

    def rank(question: str) -> list[str]:
        scores = model.get_scores(_WORD.findall(question.casefold()))
        order = sorted(range(len(ids)), key=lambda i: (-scores[i], i))
        return [ids[i] for i in order if scores[i] > 0]

    return rank


def first_answer(ranked: Sequence[str], answers: Sequence[str]) -> int | None:
    """The 1-based rank of the first result whose id contains an answer fragment."""
    return next(
        (rank for rank, entry in enumerate(ranked, 1) if any(a in entry for a in answers)),
        None,
    )


class Figures(NamedTuple):
    hit1: float
    hit3: float
    mrr: float
    count: int


def figures(ranks: Sequence[int | None]) -> Figures:
    count = len(ranks) or 1
    return Figures(
        sum(rank == 1 for rank in ranks) / count,
        sum(rank is not None and rank <= 3 for rank in ranks) / count,
        sum(1 / rank for rank in ranks if rank is not None) / count,
        len(ranks),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--smoke", action="store_true", help="the first 5 questions")
    options = parser.parse_args(argv)
    if not options.questions.is_file():
        print(f"no questions file at {options.questions}; pass --questions FILE")
        return 0 if options.smoke else 1
    questions = read_questions(options.questions)
    if options.smoke:
        questions = questions[:5]
    knowledge = load()
    corpus = entries(knowledge)
    ids = [entry.id for entry in corpus]
    answerable = [any(a in entry for entry in ids for a in q.answers) for q in questions]
    rankers: dict[str, Ranker | None] = {
        "bonemets": bonemets_ranker(knowledge),
        "substring": substring_ranker(corpus),
        "rank-bm25": bm25_ranker(corpus),
    }
    print(
        f"{len(questions)} questions from {options.questions.name}, "
        f"{sum(answerable)} answerable with the current data; {len(corpus)} entries.\n"
    )
    print(f"{'ranker':<10} {'set':<11} {'n':>3} {'hit@1':>6} {'hit@3':>6} {'MRR':>6}")
    misses: list[str] = []
    for name, ranker in rankers.items():
        if ranker is None:
            print(f"{name:<10} skipped: not installed ('pip install rank-bm25' to compare)")
            continue
        ranks = []
        for question in questions:
            ranked = ranker(question.text)
            ranks.append(first_answer(ranked, question.answers))
            if name == "bonemets" and (ranks[-1] or 99) > 1:
                got = ", ".join(ranked[:3]) or "nothing"
                misses.append(
                    f"  {question.text!r}: answer {'|'.join(question.answers)} at "
                    f"{ranks[-1] or '-'}; top 3: {got}"
                    + ("" if answerable[len(ranks) - 1] else " (not answerable yet)")
                )
        for label, kept in (
            ("all", ranks),
            ("answerable", [r for r, a in zip(ranks, answerable, strict=True) if a]),
        ):
            hit1, hit3, mrr, count = figures(kept)
            print(f"{name:<10} {label:<11} {count:>3} {hit1:>6.2f} {hit3:>6.2f} {mrr:>6.2f}")
    if misses and not options.smoke:
        print("\nbonemets: questions whose first result does not answer")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
