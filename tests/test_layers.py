"""The shape of the code: data flows one way, JSON -> models -> query -> views -> renderers -> CLI.

Read from the source itself: each module's imports, as the interpreter would run them.
An import under ``if TYPE_CHECKING:`` names a type for the checker and runs nothing,
so a view may name the result type it is given.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "bonemets_cli"

RICH = {"bonemets_cli.render_rich", "bonemets_cli.render_cells", "bonemets_cli.render_long"}
"""The rich renderer: pages as rich renderables, wrapped text, long tables."""
PRESENTATION = {"bonemets_cli.document", "bonemets_cli.render", *RICH}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(path): path for path in sorted(PACKAGE.rglob("*.py"))}
QUERY = {n for n in MODULES if n.startswith(("bonemets_cli.query", "bonemets_cli.search"))}
"""The modules that ask the knowledge base questions."""
LOADING = {
    n for n in MODULES if n.startswith("bonemets_cli.knowledge") or n == "bonemets_cli.json_text"
}
"""The modules that read and validate a knowledge file."""

VIEWS = {name for name in MODULES if name.startswith("bonemets_cli.views")}
CLI = {name for name in MODULES if name.startswith("bonemets_cli.cli")}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@functools.cache
def imports(module: str, *, in_functions: bool = True) -> frozenset[str]:
    """Every module the given one imports when it runs: at the top level, and (unless
    ``in_functions`` is false) inside functions, on first use; never those under
    ``if TYPE_CHECKING:``. Read once per module, as every layer rule asks about every
    module."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if not in_functions and isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
        ):
            return
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            # `from bonemets_cli import query` imports the module bonemets_cli.query
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return frozenset(found)


def _uses(module: str, package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in imports(module))


def test_the_layers_are_where_a_newcomer_looks() -> None:
    assert {"bonemets_cli.views.page", "bonemets_cli.views.treatments"} <= VIEWS
    assert {"bonemets_cli.cli.root", "bonemets_cli.cli.commands"} <= CLI
    assert {"bonemets_cli.query", "bonemets_cli.query_pages"} <= QUERY
    assert "bonemets_cli.knowledge" in LOADING
    assert PRESENTATION <= set(MODULES)


@pytest.mark.parametrize("module", sorted(VIEWS | PRESENTATION))
def test_presentation_runs_no_query(module: str) -> None:
    """Views and renderers are handed results: they import no query or loading module."""
    assert not imports(module) & (QUERY | LOADING)


@pytest.mark.parametrize("module", sorted(PRESENTATION))
def test_renderers_know_nothing_of_views(module: str) -> None:
    assert not any(_uses(module, view) for view in VIEWS)


@pytest.mark.parametrize("module", sorted(set(MODULES) - CLI))
def test_only_the_cli_imports_typer(module: str) -> None:
    assert not _uses(module, "typer") and not _uses(module, "click")


@pytest.mark.parametrize("module", sorted(set(MODULES) - CLI - RICH))
def test_only_the_cli_and_the_rich_renderer_import_rich(module: str) -> None:
    assert not _uses(module, "rich")


@pytest.mark.parametrize("module", sorted(QUERY | LOADING | {"bonemets_cli.models"}))
def test_the_query_layer_knows_nothing_of_what_follows_it(module: str) -> None:
    later = VIEWS | PRESENTATION | CLI
    assert not any(_uses(module, name) for name in later)


OVER_500: set[str] = set()
"""Still over the limit after merging the safety-and-reference pack (its models, queries
and checks): each is to be split by kind of entry (issue 11, left to do). Strict: this
fails once they are split, so the list cannot go stale."""


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(m, marks=pytest.mark.xfail(strict=True, reason="to split"))
        if m in OVER_500
        else m
        for m in sorted(MODULES)
    ],
)
def test_no_source_file_is_over_500_lines(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{MODULES[module].name}: {lines} lines"


_IMPORTED_AT_EXIT = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write(' '.join(sorted(m for m in sys.modules "
    "if m.startswith('bonemets_cli')))))\n"
    "sys.argv = ['bonemets', *sys.argv[1:]]\n"
    "from bonemets_cli.cli import main\n"
    "main()\n"
)


_IMPORTED_AFTER_EACH = (
    "import json, sys\n"
    "from bonemets_cli.cli import main\n"
    "for words in json.loads(sys.argv[1]):\n"
    "    sys.argv = ['bonemets', *words]\n"
    "    try:\n"
    "        main()\n"
    "    except SystemExit as done:\n"
    "        code = done.code\n"
    "    sys.stdout.flush()\n"
    "    loaded = sorted(m for m in sys.modules if m.startswith('bonemets_cli'))\n"
    "    sys.stderr.write(json.dumps([words, code, loaded]) + '\\n')\n"
)
"""Run each command in turn in one interpreter; after each, name the bonemets modules
loaded so far. A module a command loads stays loaded, so the first command after which
a module appears is the one that loaded it."""

PAGES_ABOUT_TREATMENTS = [
    ["list"],
    ["show", "chemotherapy"],
    ["show", "bisphosphonates"],  # names its medicines, read from their JSON
    ["options", "--cancer", "breast"],
    ["side-effects"],
    ["compare", "chemo", "radiation"],
    ["info"],  # names the diagnosis codes, read from their JSON
]


@pytest.mark.parametrize("output_format", ["plain", "json"])
def test_pages_about_treatments_load_neither_the_pack_nor_the_validator(
    output_format: str,
) -> None:
    import json
    import subprocess
    import sys

    commands = [[*words, "--format", output_format] for words in PAGES_ABOUT_TREATMENTS]
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTED_AFTER_EACH, json.dumps(commands)],
        capture_output=True,
        text=True,
        check=True,
    )
    lazy = {"bonemets_cli.pack_models", "bonemets_cli.query_pack", "bonemets_cli.knowledge_rules"}
    lazy |= {
        "bonemets_cli.knowledge_messages",
        "bonemets_cli.knowledge_names",
        "bonemets_cli.json_text",
    }
    reports = [json.loads(line) for line in result.stderr.splitlines()]
    assert [words for words, _, _ in reports] == commands  # each ran, none was cut short
    for words, code, imported in reports:
        assert code == 0, words
        assert "bonemets_cli.knowledge" in imported  # it did load the bundled file
        assert set(imported) & lazy == set(), words


PYDANTIC = ("pydantic", "pydantic_core", "annotated_types")

_FLOOR_LOADS = (
    "import atexit, json, runpy, sys\n"
    "atexit.register(lambda: sys.stderr.write(json.dumps(sorted(m for m in sys.modules "
    f"if m.split('.')[0] in {PYDANTIC!r}))))\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)
"""Run a floor of benchmarks/startup.py; at exit, name the pydantic modules it loaded."""

_PYDANTIC_AFTER_EACH = (
    "import json, sys\n"
    "from bonemets_cli.cli import main\n"
    "from bonemets_cli.knowledge import knowledge_adapter\n"
    "def loaded(*prefixes):\n"
    "    return sorted(m for m in sys.modules if m.split('.')[0] in prefixes)\n"
    "for words in json.loads(sys.argv[1]):\n"
    "    sys.argv = ['bonemets', *words]\n"
    "    try:\n"
    "        main()\n"
    "    except SystemExit as done:\n"
    "        code = done.code\n"
    "    sys.stdout.flush()\n"
    "    calls = knowledge_adapter.cache_info().hits + knowledge_adapter.cache_info().misses\n"
    f"    report = [words, code, loaded(*{PYDANTIC!r}), loaded('bonemets_cli'), calls]\n"
    "    sys.stderr.write(json.dumps(report) + '\\n')\n"
)
"""Run bonemets commands in turn in one interpreter; after each, name the pydantic and
bonemets modules loaded so far, and count the calls for the file validator."""


def test_pages_build_no_pydantic_model_and_load_no_more_of_it_than_typer(
    tmp_path: Path,
) -> None:
    """The records are plain dataclasses: a page of the bundled file builds no pydantic
    model or validator, and loads no pydantic module beyond those Typer loads to
    convert its parameters (as floor (b) of benchmarks/startup.py does)."""
    import json
    import runpy
    import subprocess
    import sys

    floor = tmp_path / "floor_b.py"
    startup = PACKAGE.parents[1] / "benchmarks" / "startup.py"
    floor.write_text(runpy.run_path(str(startup))["FLOOR_B"], encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-c", _FLOOR_LOADS, str(floor), "table"], capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    typer_loads = set(json.loads(ran.stderr))
    assert "pydantic" in typer_loads  # Typer 0.29 converts parameters with pydantic

    pages = [*PAGES_ABOUT_TREATMENTS, ["search", "nausea"], ["urgent"]]
    pages.append(["handout", "--cancer", "breast", "--format", "table"])
    copy = tmp_path / "knowledge.json"  # not the bundled file: validated, never trusted
    copy.write_bytes((PACKAGE.parents[1] / "data" / "knowledge.json").read_bytes())
    checks = [["validate"], ["--data", str(copy), "list"]]
    ran = subprocess.run(
        [sys.executable, "-c", _PYDANTIC_AFTER_EACH, json.dumps([*pages, *checks])],
        capture_output=True,
        text=True,
    )
    # a report is a JSON line of its own; an error line is the command's own
    reports = [json.loads(line) for line in ran.stderr.splitlines() if line.startswith("[[")]
    assert [words for words, *_ in reports] == [*pages, *checks]  # each ran
    for words, code, pydantic, _, calls in reports[: len(pages)]:
        assert code == 0, words
        assert set(pydantic) <= typer_loads, words
        assert calls == 0, words  # no validator built or used
    ours = reports[len(pages) - 1][3]  # every bonemets module the pages loaded
    importers = [
        m for m in ours if {i.split(".")[0] for i in imports(m, in_functions=False)} & {*PYDANTIC}
    ]
    assert importers == []
    assert [calls for *_, calls in reports[len(pages) :]] == [1, 2]  # each check validates
