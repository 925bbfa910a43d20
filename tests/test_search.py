"""The ranking rules of search, the lay synonyms in the data, and the one vocabulary."""

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemets_cli import names
from bonemets_cli.errors import NotFound
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.query import find, find_treatment
from bonemets_cli.query_pack import find_entry
from bonemets_cli.search import Found, Reading, concepts_of, search, terms_of

from conftest import Run


def ids(found: Found) -> list[str]:
    return [result.entry for result in found.results]


def words_matched(found: Found) -> set[str]:
    return {word for result in found.results for hit in result.hits for word in hit.words}


# --- ranking rules -----------------------------------------------------------------------


def test_a_word_in_the_vocabulary_is_never_read_as_a_typo(kb: KnowledgeBase) -> None:
    found = search(kb, "infection risk")
    assert "injection" not in words_matched(found)
    assert found.corrections == ()
    assert ids(found)[0] == "chemotherapy"


def test_a_word_not_in_the_vocabulary_is_read_as_its_nearest_typo(kb: KnowledgeBase) -> None:
    found = search(kb, "injectoin")
    assert found.corrections == (("injectoin", "injection"),)
    assert all(r.readings[0].match == "typo" for r in found.results)


def test_exact_and_stemmed_matches_outrank_typo_matches(kb: KnowledgeBase) -> None:
    # 'infections' (stem of 'infection') and 'pain' exist as written: no entry is found
    # through a typo ('injection', 'main'), however well it would have scored.
    for query in ("infections", "pain"):
        found = search(kb, query)
        assert {reading.match for r in found.results for reading in r.readings} <= {
            "stem",
            "prefix",
            "synonym",
        }, query
    assert "main" not in words_matched(search(kb, "pain"))


def test_stop_words_never_drive_a_result(kb: KnowledgeBase) -> None:
    assert terms_of("will I be cured") == ("cured",)
    assert terms_of("how do my bones") == ("bones",)
    assert terms_of("how") == ("how",)  # all it has: searched for
    found = search(kb, "will I be cured")
    assert found.corrections == ()  # 'will' is not read as a typo for 'kill'
    assert ids(found)[0] == "prognosis"
    assert {w for h in found.results[0].hits for w in h.words} == {"curable"}


def test_stemming_joins_the_forms_of_a_word(kb: KnowledgeBase) -> None:
    found = search(kb, "fractures")
    assert {"fracture", "fractured", "fractures"} <= words_matched(found)
    cured = search(kb, "cured").results[0]
    assert (cured.entry, cured.readings[0]) == ("prognosis", Reading("curable", "cured", "stem"))


def test_a_lay_phrase_matches_the_entry_it_names(kb: KnowledgeBase) -> None:
    found = search(kb, "throwing up")
    assert ids(found)[:2] == ["chemotherapy", "vomiting"]
    why = found.results[0].readings
    assert [(r.found, r.query, r.match) for r in why] == [("vomiting", "throwing up", "synonym")]


def test_a_phrase_whose_stop_words_matter_matches_only_as_a_phrase(kb: KnowledgeBase) -> None:
    # 'being sick' is vomiting; nausea is 'feeling sick'.
    assert "nausea" not in ids(search(kb, "being sick"))
    assert "vomiting" not in ids(search(kb, "feeling sick"))
    feeling_sick = [r.entry for r in search(kb, "feeling sick").results if not r.urgent]
    assert feeling_sick[:2] == ["peppermint-tea", "chemotherapy"]


def test_a_word_finds_its_adjective_and_its_opposite() -> None:
    from bonemets_cli.search_words import matcher

    match = matcher({"spine", "spinal", "instability", "unstable", "stabilizing", "curie"})
    assert match("spine", False) == {"spine": "exact", "spinal": "stem"}
    assert match("stability", False) == {"stabilizing": "stem", "instability": "opposite"}
    assert match("cured", False) == {}  # 'curie' is not a form of 'cure': 'ie' is no suffix
    # 'unstable' is the opposite of 'stable' only where the plain word is used too.
    assert match("stable", False) == {}
    assert matcher({"unstable", "stable"})("stable", False) == {
        "stable": "exact",
        "unstable": "opposite",
    }


def test_every_negated_form_of_a_word_is_its_opposite() -> None:
    from bonemets_cli.search_words import matcher

    # Several prefixes negate one word; another word negated shares no stem with it.
    match = matcher({"stable", "instable", "unstable", "nonstable", "unsteady", "instructed"})
    assert match("stable", False) == {
        "stable": "exact",
        "instable": "opposite",
        "nonstable": "opposite",
        "unstable": "opposite",
    }


def test_a_word_that_only_starts_with_a_prefix_is_no_opposite() -> None:
    from bonemets_cli.search_words import matcher

    match = matcher({"infusion", "injection", "information", "confusion"})
    assert match("fusion", False) == {}
    assert match("jection", False) == {}


def test_a_word_as_written_outranks_its_opposite(kb: KnowledgeBase) -> None:
    from bonemets_cli.search import _MATCH_WEIGHTS

    assert _MATCH_WEIGHTS["exact"] > _MATCH_WEIGHTS["stem"] > _MATCH_WEIGHTS["opposite"]
    assert _MATCH_WEIGHTS["opposite"] > _MATCH_WEIGHTS["typo"]
    first = search(kb, "spine stability").results[0]
    assert first.entry == "sins-score"
    assert Reading("instability", "stability", "opposite") in first.readings


def test_a_phrase_scores_higher_where_its_words_stand_together(kb: KnowledgeBase) -> None:
    # 'high calcium' is an alias: an entry that says 'high ... calcium' apart ranks below
    # the ones that say it together.
    found = ids(search(kb, "high calcium"))
    assert found.index("bma-hypocalcaemia") > found.index("hypercalcaemia")
    assert found.index("bma-hypocalcaemia") > found.index("urgent-high-calcium")


def test_sections_and_the_pack_are_searched_with_their_titles(kb: KnowledgeBase) -> None:
    found = search(kb, "questions to ask")
    assert (found.results[0].kind, found.results[0].entry) == ("questions", "questions")
    assert search(kb, "prognosis").results[0].entry == "prognosis"
    score = search(kb, "SINS").results[0]
    assert (score.kind, score.entry) == ("score", "sins-score")


@pytest.mark.parametrize(
    ("query", "kind", "entry", "command"),
    [
        ("pins and needles", "warning", "urgent-spinal-cord-compression", "bonemets urgent"),
        ("xgeva", "medicine", "denosumab", "bonemets show denosumab"),
        ("SINS", "score", "sins-score", "bonemets sins"),
        ("questions to ask", "questions", "questions", "bonemets questions"),
        ("prognosis", "section", "prognosis", "bonemets prognosis"),
        (
            "pathological fracture",
            "glossary",
            "pathological-fracture",
            "bonemets glossary pathological-fracture",
        ),
    ],
)
def test_each_kind_of_hit_opens_with_its_command(
    run: Run, query: str, kind: str, entry: str, command: str
) -> None:
    document = json.loads(run("search", query, "--limit", "0", "-f", "json").stdout)
    hit = next(r for r in document["results"] if r["id"] == entry)
    assert (hit["kind"], hit["command"]) == (kind, command)


def test_words_standing_together_score_higher() -> None:
    from bonemets_cli.search import Hit, _together

    near = Hit("text", "Radiation reduces bone pain quickly", ("bone", "pain"))
    far = Hit("text", "Bone metastases are treated in many ways, and pain is one", ("bone", "pain"))
    apart = [Hit("a", "Bone", ("bone",)), Hit("b", "Pain", ("pain",))]
    present = [{"bone"}, {"pain"}]
    assert _together([near], present) == 1.0
    assert _together([far], present) == 0.0
    assert _together(apart, present) == 0.0
    assert _together([near], [{"bone"}]) == 0.0  # one concept: nothing to stand beside


def test_broken_bone_finds_surgery_in_the_first_three(kb: KnowledgeBase) -> None:
    assert "surgery" in ids(search(kb, "broken bone"))[:3]


def test_each_result_says_what_opens_it(run: Run) -> None:
    document = json.loads(run("search", "throwing", "up", "-f", "json").stdout)
    first = document["results"][0]
    assert {key: first[key] for key in ("id", "kind", "title", "command")} == {
        "id": "chemotherapy",
        "kind": "treatment",
        "title": "Chemotherapy",
        "command": "bonemets show chemotherapy",
    }
    assert first["matched_as"] == [{"query": "throwing up", "found": "vomiting", "how": "synonym"}]
    assert first["urgent"] is False
    scores = [result["score"] for result in document["results"]]
    assert scores == sorted(scores, reverse=True)
    out = run("search", "throwing", "up", "-f", "plain").stdout
    assert out.splitlines()[3:6] == [
        "Chemotherapy (treatment), see 'bonemets show chemotherapy':",
        "why: matched 'vomiting' for 'throwing up'",
        "side effects: Vomiting",
    ]


# --- warning signs come first --------------------------------------------------------------


def test_a_warning_whose_signs_the_query_names_ranks_first(kb: KnowledgeBase) -> None:
    found = search(kb, "pins and needles")
    first = found.results[0]
    assert (first.kind, first.entry, first.urgent) == (
        "warning",
        "urgent-spinal-cord-compression",
        True,
    )
    # Every concept of the query must stand in one sign: 'losing' alone (losing
    # control of the bladder) does not make 'losing my hair' urgent.
    assert not any(r.urgent for r in search(kb, "losing my hair").results)
    assert not any(r.urgent for r in search(kb, "low blood calcium").results)
    weak_legs = search(kb, "weak legs").results[0]
    assert (weak_legs.entry, weak_legs.urgent) == ("urgent-spinal-cord-compression", True)


# --- lay synonyms in the data ----------------------------------------------------------------

LAY_SYNONYMS = {
    ("side_effects", "nausea"): ("feeling sick", "nauseous", "queasy"),
    ("side_effects", "vomiting"): ("being sick", "throwing up"),
    ("side_effects", "hair-loss"): ("losing hair",),
    ("side_effects", "infection"): ("infection risk", "risk of infection"),
    ("side_effects", "osteonecrosis-of-the-jaw"): ("jaw bone death", "jawbone death"),
    ("side_effects", "hypocalcaemia"): ("low blood calcium",),
    ("goals", "pain"): ("pain relief",),
    ("goals", "shrink"): ("shrink tumor", "shrink tumour"),
    ("bone_states", "broken"): ("broken", "broken bone"),
    ("bone_states", "weak"): ("weak bone", "weakened bone"),
    ("treatments", "hormone-therapy"): ("hormone treatment",),
    ("treatments", "physical-therapy"): ("physio",),
    ("treatments", "radiation-therapy"): ("radiotherapy", "radiation treatment"),
    ("treatments", "nutrition-therapy"): ("food", "eating"),
}
"""Plain words for what the data names, each meaning exactly the same thing: reviewed
like the rest of the data. No brand names here: those come with their sources."""


@pytest.mark.parametrize(("where", "synonyms"), LAY_SYNONYMS.items(), ids=str)
def test_each_lay_synonym_names_its_entry(
    kb: KnowledgeBase, where: tuple[str, str], synonyms: tuple[str, ...]
) -> None:
    collection, entry_id = where
    entries = getattr(kb, collection)
    entry = next(e for e in entries if e.id == entry_id)
    for synonym in synonyms:
        assert synonym in entry.aliases, synonym
        assert find(entries, synonym.upper(), "entry").id == entry_id, synonym
        found = search(kb, synonym)
        # Warnings whose signs say the words come first by design: look past them.
        named = [(r.kind.replace(" ", "_") + "s", r.entry) for r in found.results if not r.urgent]
        related = {
            t.id
            for t in kb.treatments
            if entry_id in {link.id for link in t.side_effects}
            or any(entry_id in benefit.goals for benefit in t.benefits)
            or any(entry_id in bone.states for bone in t.bones)
        }
        about = {("updates", u.id) for u in kb.updates if entry_id in u.side_effects}
        top = named[:3]
        assert where in top or any(("treatments", t) in top for t in related) or about & set(top), (
            synonym,
            top,
        )


# --- one vocabulary --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["xgeva", "chemo", "radiotherapy", "physio", "hormone treatment"])
def test_show_and_search_agree_on_a_name(kb: KnowledgeBase, name: str) -> None:
    assert ids(search(kb, name))[0] == find_entry(kb, name).id


def test_a_miss_suggests_only_entries_of_the_same_kind(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound) as caught:
        find(kb.side_effects, "vomitting", "side effect")
    assert caught.value.suggestions == ("vomiting",)
    with pytest.raises(NotFound) as caught:
        find_treatment(kb, "nausia")
    assert caught.value.suggestions == ()


def test_an_overlong_name_is_refused_at_once() -> None:
    started = time.perf_counter()
    assert names.closest({"surgery": "surgery"}, "s" * 10_000) == []
    assert time.perf_counter() - started < 0.1


def test_show_refuses_an_overlong_name_with_a_clear_line(run: Run) -> None:
    result = run("show", "x" * 10_000)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no treatment or medicine matches '{'x' * 57}...'. Names are at most 200 "
        "characters. Run 'bonemets list' to see every treatment; a treatment's page names "
        "its medicines.\n"
    )
    assert result.stdout == ""


def test_search_bounds_the_closest_terms_of_an_overlong_word(kb: KnowledgeBase) -> None:
    from bonemets_cli.search import closest_terms

    started = time.perf_counter()
    assert closest_terms(kb, "q" * 10_000) == []
    assert time.perf_counter() - started < 1.0


def test_concepts_group_an_alias_phrase(kb: KnowledgeBase) -> None:
    concepts = concepts_of(kb, "throwing up and hair")
    assert [concept.query for concept in concepts] == ["throwing up", "hair"]
    assert [way.words for way in concepts[0].ways] == [("throwing",), ("vomiting",)]


# --- words of a text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Pain relief, within 24 hours (Zometa®).",
        "snake_case and kebab-case – both ×2",
        "Straße İstanbul ﬁne café",  # case-folding that changes length
        "Ⅻ ½ ٣ 𝟘 x\u0345y",  # letters and numbers beyond ASCII; a mark that folds to a letter
        "a\udcffb \u00a0nbsp\u2003em",  # a lone surrogate; spaces that are not ASCII
        "",
    ],
)
def test_words_in_is_the_word_pattern_on_the_case_folded_text(text: str) -> None:
    from bonemets_cli.search_words import WORD, words_in

    assert words_in(text) == WORD.findall(text.casefold())


@given(st.text())
def test_words_in_agrees_with_the_word_pattern_on_any_text(text: str) -> None:
    from bonemets_cli.search_words import WORD, words_in

    assert words_in(text) == WORD.findall(text.casefold())
