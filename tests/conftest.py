"""Shared fixtures: a pinned terminal, the CLI runner, and editable copies of the data."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import pytest
import typer.testing
from typer.main import get_command
from typer.testing import CliRunner, Result

from bonemets_cli import knowledge
from bonemets_cli.choices import OutputFormat
from bonemets_cli.cli import app, root, startup
from bonemets_cli.models import KnowledgeBase

REPO = Path(__file__).resolve().parents[1]
DATA_FILE = REPO / "data" / "knowledge.json"
SEED_DIR = REPO.parent / "shared" / "seed"

# A pinned terminal: results must not depend on the machine running the tests.
PINNED_ENV: dict[str, str | None] = {
    "COLUMNS": "100",
    "LINES": "50",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "FORCE_COLOR": None,
    "BONEMETS_DATA": None,
    "BONEMETS_DEBUG": None,
}

Run = Callable[..., Result]

FORMATS = [output_format.value for output_format in OutputFormat]
"""Every --format choice, from the enum itself: a new format is tested everywhere at once."""

TEXT_FORMATS = [f for f in FORMATS if f != OutputFormat.json]
"""The formats meant for reading, not for programs."""

PLAIN_SOURCES_1_3 = (
    "Sources:\n"
    "1. American Academy of Orthopaedic Surgeons. (2007). Metastatic bone disease. "
    "Retrieved October 7, 2010.\n"
    "2. American Cancer Society. (2010). Bone metastasis. Retrieved October 4, 2010.\n"
    "3. University of Michigan Comprehensive Cancer Center. (2010). Bone metastasis: "
    "Treatment. Retrieved October 7, 2010.\n"
    "\n"
)
"""The founding text's three sources, as the plain format ends a page citing them."""

PLAIN_FOOTER = (
    "Founding text: 'Bone Cancer Secondary Treatment', from sources dated 2007-2010, shown as "
    "written (not re-checked since). Facts added since 2010 reviewed 2026-11-28 to 2026-11-29; "
    "next review due 2027-11-28.\n"
    "This is general information, not medical advice. "
    "Talk to your care team about your own treatment.\n"
)
"""The content's age and the disclaimer, under every plain page (on the pinned day)."""


THOROUGH = bool(os.environ.get("CI") or os.environ.get("BONEMETS_THOROUGH"))
"""In CI (.ci/run sets CI=true) property tests try every example they name; a
developer's default run tries a quarter, which finds the same classes of failure."""


def examples(count: int) -> int:
    """How many examples a property test tries in this run (see THOROUGH)."""
    return count if THOROUGH else max(10, count // 4)


TODAY = dt.date(2026, 11, 29)
"""The day the tests pretend it is, so a passing review date cannot break them;
test_knowledge.py checks the real date separately."""


@pytest.fixture(autouse=True, scope="session")
def _app_built_once() -> Iterator[None]:
    """Build the app's click command once for the whole run, not on every invoke.

    Typer's CliRunner turns the app into click commands on each call (about 0.1 s, as
    much as a small page's own work); a process does that once, and the app never
    changes. Any other app (cli.startup's narrowed ones) is built as before, and the
    console script's own path (startup.main, Typer.__call__) does not pass through here.
    """
    built = get_command(app)

    def command(typer_app: typer.Typer) -> Any:
        return built if typer_app is app else get_command(typer_app)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", command)
        yield


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke the CLI as a user would, on a pinned terminal and a pinned day;
    stdout and stderr apart, each in ``charset`` (a terminal's encoding; strict on stdout)."""
    monkeypatch.setattr(root, "today", lambda: TODAY)

    def invoke(
        *args: str, env: dict[str, str | None] | None = None, charset: str = "utf-8"
    ) -> Result:
        runner = CliRunner(charset=charset)
        return runner.invoke(app, list(args), env={**PINNED_ENV, **(env or {})})

    return invoke


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return knowledge.load()


@pytest.fixture
def raw_data() -> dict[str, Any]:
    """A fresh, mutable copy of the bundled knowledge file's JSON."""
    data: dict[str, Any] = json.loads(knowledge.bundled_path().read_text(encoding="utf-8"))
    return data


@pytest.fixture
def write_data(tmp_path: Path) -> Callable[[Any], Path]:
    """Write JSON (or raw text) to a knowledge file in a temporary folder."""

    def write(content: Any, name: str = "knowledge.json") -> Path:
        path = tmp_path / name
        text = (
            content
            if isinstance(content, str)
            else json.dumps(content, indent=2, ensure_ascii=False)
        )
        path.write_text(text, encoding="utf-8")
        return path

    return write


def line_of(path: Path, needle: str, after: str = "") -> int:
    """The 1-based number of the first line holding ``needle`` (after one holding ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


def load_script(name: str) -> ModuleType:
    """A maintenance script in scripts/, imported so tests can use its functions."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ok(result: Result) -> str:
    """The stdout of a run that succeeded and said nothing on stderr."""
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return str(result.stdout)


def one_error_line(result: Result, code: int | None = None) -> str:
    """The one 'Error: ...' line of a run that failed (with ``code``, when given),
    printed nothing on stdout and no traceback."""
    if code is not None:
        assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return str(lines[0])


def bonemets_process(*args: str, text: bool = True, **env: str) -> subprocess.CompletedProcess[Any]:
    """Run ``python -m bonemets_cli`` in a real process on the pinned terminal, for what
    only a process shows: real streams, encodings and the console script's start-up."""
    clean = {k: v for k, v in os.environ.items() if k not in PINNED_ENV}
    clean.update({k: v for k, v in PINNED_ENV.items() if v is not None})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bonemets_cli", *args],
        capture_output=True,
        text=text,
        env=clean,
        check=False,
        timeout=120,
    )


class Ran(NamedTuple):
    """What a run of the console script left: its exit code and its two streams."""

    returncode: int
    stdout: str
    stderr: str


Console = Callable[..., Ran]
Complete = Callable[..., list[str]]


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch) -> Console:
    """Run the console script's own path (cli.startup.main: it builds only the commands
    the words can reach) in this process, on the pinned terminal, with the environment
    given as keywords: how a shell asks for completions. A real process is for what only
    a process shows (streams, signals, encodings); see bonemets_process."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # Typer's app() replaces it
    monkeypatch.setattr(root, "today", lambda: TODAY)

    def invoke(*args: str, **env: str) -> Ran:
        monkeypatch.setattr(sys, "argv", ["bonemets", *args])
        runner = CliRunner()
        with runner.isolation(env={**PINNED_ENV, **env}) as (stdout, stderr, _):
            try:
                startup.main()
                code = 0
            except SystemExit as done:
                code = int(done.code) if isinstance(done.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            return Ran(code, stdout.getvalue().decode(), stderr.getvalue().decode())

    return invoke


@pytest.fixture
def complete(console: Console) -> Complete:
    """What the shell is offered for the last word of ``words`` (bash's protocol)."""

    def offered(words: str, **env: str) -> list[str]:
        index = len(words.split()) - (0 if words.endswith(" ") else 1)
        result = console(
            _BONEMETS_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(index), **env
        )
        assert (result.returncode, result.stderr) == (0, "")
        return result.stdout.split()

    return offered
