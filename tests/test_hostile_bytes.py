"""Bytes that are not UTF-8, from the OS: in an argument or a path, through a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA_FILE, FORMATS, PINNED_ENV, Run

NOT_UTF8 = os.fsdecode(b"\xff\x9b")
"""What Python makes of the bytes 0xFF 0x9B in argv or a path: two lone surrogates
(U+DCFF U+DC9B). 0x9B written raw is CSI to a terminal that reads 8-bit controls."""


def _bonemets(*args: str) -> subprocess.CompletedProcess[bytes]:
    """A real process, argv passed as bytes; a strict UTF-8 stdout, as a UTF-8 locale has."""
    env = {k: v for k, v in os.environ.items() if k not in PINNED_ENV}
    env.update({k: v for k, v in PINNED_ENV.items() if v is not None})
    env["PYTHONIOENCODING"] = "utf-8"
    argv = [sys.executable, "-m", "bonemets_cli", *args]
    return subprocess.run(
        [os.fsencode(arg) for arg in argv], capture_output=True, env=env, check=False, timeout=120
    )


@pytest.fixture(scope="module")
def odd_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the bundled knowledge file under a name that is not UTF-8."""
    folder = tmp_path_factory.mktemp("bytes")
    path = os.fsencode(folder) + b"/knowledge-\xff\x9b.json"
    shutil.copyfile(DATA_FILE, path)
    return os.fsdecode(path)


BYTE_ARGUMENTS = [
    ["search", f"nausea{NOT_UTF8}"],  # an argument
    ["--data", "{odd}", "info"],  # a path the tool opens
    ["validate", "{odd}"],  # a path the tool reports on
]

MISS = (
    "Error: no treatment or medicine matches '\\udcff\\udc9b'. "
    "Run 'bonemets list' to see every treatment; a treatment's page names its medicines.\n"
)


def _escaped_in(stdout: bytes, output_format: str) -> None:
    text = stdout.decode("utf-8")  # strict: nothing but UTF-8 was written
    assert "\x9b" not in text and "\udcff" not in text
    # shown as the escapes (JSON and Markdown escape the backslash in turn)
    assert "\\udcff\\udc9b" in text.replace("\\\\", "\\")
    if output_format == "json":
        json.loads(text)


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("words", BYTE_ARGUMENTS, ids=["argument", "data", "validate"])
def test_bytes_that_are_not_utf8_are_escaped_in_every_format(
    run: Run, odd_path: str, words: list[str], output_format: str
) -> None:
    """What Python makes of the bytes (see NOT_UTF8), through every renderer, on a strict
    UTF-8 stdout; the real process below shows that the OS's bytes arrive as that string."""
    args = [word.format(odd=odd_path) for word in words]
    result = run(*args, "--format", output_format)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    _escaped_in(result.stdout_bytes, output_format)


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_name_that_is_not_utf8_misses_with_one_escaped_line(run: Run, output_format: str) -> None:
    result = run("show", NOT_UTF8, "--format", output_format)
    assert (result.exit_code, result.stdout_bytes) == (1, b"")
    assert result.stderr_bytes.decode("utf-8") == MISS


def test_bytes_from_the_os_arrive_escaped_through_a_real_process(odd_path: str) -> None:
    """argv and paths as bytes, into a real process with a strict UTF-8 stdout: one run
    for each way in, the formats shared among them."""
    for words, output_format in zip(BYTE_ARGUMENTS, ["json", "table", "markdown"], strict=True):
        args = [word.format(odd=odd_path) for word in words]
        result = _bonemets(*args, "--format", output_format)
        assert (result.returncode, result.stderr) == (0, b""), (args, result.stderr)
        _escaped_in(result.stdout, output_format)
    missed = _bonemets("show", NOT_UTF8, "--format", "plain")
    assert (missed.returncode, missed.stdout, missed.stderr.decode("utf-8")) == (1, b"", MISS)


def test_a_data_path_that_is_not_utf8_and_missing_exits_3(tmp_path: Path) -> None:
    missing = os.fsdecode(os.fsencode(tmp_path) + b"/\xff.json")
    result = _bonemets("--data", missing, "list", "--format", "json")
    assert result.returncode == 3
    assert result.stdout == b""
    assert result.stderr.decode("utf-8") == (
        f"Error: {tmp_path}/\\udcff.json: does not exist; check the path\n"
    )


def test_json_writes_a_lone_surrogate_as_its_escape() -> None:
    """When a string reaches JSON raw (the renderer's own guard, not through the CLI)."""
    from bonemets_cli.render import to_json

    text = to_json({"query": f"a{NOT_UTF8}b", "n": 1})
    assert text == '{\n  "query": "a\\udcff\\udc9bb",\n  "n": 1\n}\n'
    assert os.fsencode(json.loads(text)["query"]) == b"a\xff\x9bb"  # the user's bytes
    assert to_json({"query": "plain"}) == '{\n  "query": "plain"\n}\n'


def test_an_escaped_lone_surrogate_in_data_is_invalid_with_its_place(
    run: Run, write_data: Callable[..., Path], raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["summary"]["text"] = f"Bad {NOT_UTF8} byte"
    path = write_data(json.dumps(raw_data))  # ensure_ascii: written as "\udcff\udc9b"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "\\udcff" in text)
    result = run("--data", str(path), "list")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"Error: {path}: holds an escaped lone surrogate (\\ud800-\\udfff), which is not a "
        f"character; write the character itself (line {line}, column "
    )
