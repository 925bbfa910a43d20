"""The process and its environment: closed and full streams, Ctrl-C, completion requests,
absurd widths, and paths with invisible direction marks (issue 17)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import PINNED_ENV, Console, Run, bonemets_process

WriteData = Callable[..., Path]

NOT_FOUND = (
    "Error: no treatment or medicine matches 'nonexistent'. Run 'bonemets list' to see every "
    "treatment; a treatment's page names its medicines.\n"
)
DISK_FULL = (
    "Error: cannot write the output: disk full (No space left on device). "
    "Free some space, then try again.\n"
)


def shell(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A bash line running ``$B`` (python -m bonemets_cli) on the pinned terminal; it
    echoes the exit code as its last line of stdout."""
    clean = {k: v for k, v in os.environ.items() if k not in PINNED_ENV}
    clean.update({k: v for k, v in PINNED_ENV.items() if v is not None})
    clean.update(env, B=f"{sys.executable} -m bonemets_cli")
    return subprocess.run(
        ["bash", "-c", f'{script}; echo "rc=$?"'],
        capture_output=True,
        text=True,
        env=clean,
        check=False,
        timeout=120,
    )


# --- closed and full streams --------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "code", "stderr"),
    [("list", 0, ""), ("show nonexistent", 1, NOT_FOUND), ("list -f json", 0, "")],
)
def test_closed_stdout_is_quiet_and_keeps_the_exit_code(
    command: str, code: int, stderr: str
) -> None:
    result = shell(f"$B {command} >&-")
    assert (result.stdout, result.stderr) == (f"rc={code}\n", stderr)


@pytest.mark.parametrize("closing", ["2>&-", "2>/dev/full"], ids=["closed", "full"])
def test_closed_or_full_stderr_keeps_the_exit_code(closing: str) -> None:
    assert shell(f"$B show nonexistent {closing}").stdout == "rc=1\n"
    assert shell(f"$B show chemotherapy --format bogus {closing}").stdout == "rc=2\n"
    assert shell(f"$B --data /nonexistent.json list {closing}").stdout == "rc=3\n"
    listed = shell(f"$B list -f plain {closing}")
    assert listed.stdout.startswith("Treatments for bone metastases\n")
    assert listed.stdout.endswith("\nrc=0\n")


@pytest.mark.parametrize("command", ["--help", "list --help", "list", "search nausea"])
def test_a_reader_gone_after_one_byte_is_quiet_and_exits_0(command: str) -> None:
    # rich ends a run whose reader has gone with exit 1 (Console.on_broken_pipe): help too
    result = shell(
        f'$B {command} | head -c1 >/dev/null; echo "rc=${{PIPESTATUS[0]}}" >&2',
        PYTHONUNBUFFERED="",
    )
    assert result.stderr == "rc=0\n"


def test_both_streams_closed_keeps_the_exit_code() -> None:
    assert shell("$B show nonexistent >&- 2>&-").stdout == "rc=1\n"
    assert shell("$B list >&- 2>&-").stdout == "rc=0\n"


@pytest.mark.parametrize(
    "command", ["list", "list -f json", "show chemo -f plain", "--help", "--version", "schema"]
)
def test_a_full_disk_is_named_and_exits_74(command: str) -> None:
    result = shell(f"$B {command} >/dev/full")
    assert (result.stdout, result.stderr) == ("rc=74\n", DISK_FULL)


def test_a_full_disk_and_a_closed_stderr_still_exit_74() -> None:
    assert shell("$B list >/dev/full 2>&-").stdout == "rc=74\n"


# --- the end of a run: flushed, then the process ends without the interpreter's teardown --


@pytest.mark.parametrize(
    ("code", "status", "stderr"),
    [("None", 0, ""), ("0", 0, ""), ("3", 3, ""), ("130", 130, ""), ("'bye'", 1, "Error: bye\n")],
)
def test_the_end_flushes_everything_written_and_keeps_the_exit_code(
    code: str, status: int, stderr: str
) -> None:
    # 1,000 characters in small writes stay in the pipe's buffer (8 KiB) until a flush
    script = (
        "import sys\n"
        "from bonemets_cli.cli.startup import end\n"
        "for _ in range(10):\n"
        "    sys.stdout.write('x' * 100)\n"
        f"end({code})\n"
    )
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=buffered,
        check=False,
        timeout=60,
    )
    assert (result.returncode, len(result.stdout), result.stderr) == (status, 1_000, stderr)


@pytest.mark.parametrize(
    ("redirect", "code", "stderr"),
    [(">/dev/full", "0", DISK_FULL), (">/dev/full", "1", ""), ("| true", "0", "")],
    ids=["full-ok", "full-after-an-error", "reader-gone"],
)
def test_what_cannot_be_written_at_the_end_is_named_unless_its_reader_has_gone(
    redirect: str, code: str, stderr: str
) -> None:
    script = (
        "import sys; from bonemets_cli.cli.startup import end; "
        f"sys.stdout.write('x' * 100); end({code})"
    )
    # `true` reads nothing and exits: the end's flush finds it gone, or, if it runs first,
    # a pipe that takes the bytes. Quiet, with the exit code, either way.
    result = shell(
        f'{sys.executable} -c "{script}" {redirect}; echo "rc=${{PIPESTATUS[0]}}" >&2',
        PYTHONUNBUFFERED="",
    )
    expected_code = "74" if stderr else code
    assert result.stderr == f"{stderr}rc={expected_code}\n"


def test_a_completion_into_a_full_disk_is_named() -> None:
    result = shell(
        "$B >/dev/full",
        _BONEMETS_COMPLETE="complete_bash",
        COMP_WORDS="bonemets sh",
        COMP_CWORD="1",
        PYTHONUNBUFFERED="",
    )
    assert (result.stdout, result.stderr) == ("rc=74\n", DISK_FULL)


def test_a_page_written_to_a_file_is_whole(run: Run, tmp_path: Path) -> None:
    # The whole path of a real process, into a file (block-buffered, unlike a terminal).
    page = tmp_path / "page.json"
    result = shell(f"$B list -f json > {page}", PYTHONUNBUFFERED="")
    assert result.stdout == "rc=0\n"
    assert page.read_text(encoding="utf-8") == run("list", "-f", "json").stdout


# --- completion -----------------------------------------------------------------------


def test_install_completion_for_the_named_shell(run: Run, tmp_path: Path) -> None:
    result = run("--install-completion", "zsh", env={"HOME": str(tmp_path)})
    installed = tmp_path / ".zfunc" / "_bonemets"
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"zsh completion installed in {installed}\n"
        "Completion will take effect once you restart the terminal.\n"
    )
    assert "_BONEMETS_COMPLETE=complete_zsh" in installed.read_text(encoding="utf-8")
    assert not (tmp_path / ".bashrc").exists()
    fish = run("--install-completion", "fish", env={"HOME": str(tmp_path)})
    assert fish.exit_code == 0
    assert (tmp_path / ".config/fish/completions/bonemets.fish").is_file()


def test_install_completion_refuses_a_shell_it_cannot_serve(run: Run, tmp_path: Path) -> None:
    result = run("--install-completion", "tcsh", env={"HOME": str(tmp_path)})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: cannot complete in 'tcsh': bonemets completes in bash, zsh, fish and "
        "powershell; name one, e.g. 'bonemets --install-completion bash'.\n"
    )
    assert list(tmp_path.iterdir()) == []  # nothing installed for another shell


def test_show_completion_for_the_named_shell(run: Run) -> None:
    result = run("--show-completion", "fish")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "complete --command bonemets" in result.stdout
    assert "_BONEMETS_COMPLETE=complete_fish" in result.stdout


def test_install_completion_into_an_unwritable_home_names_the_cause(
    run: Run, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.write_text("a file, not a folder", encoding="utf-8")  # even root cannot write in it
    result = run("--install-completion", "bash", env={"HOME": str(home)})
    assert (result.exit_code, result.stdout) == (74, "")
    assert result.stderr == (
        f"Error: cannot write {home}: file exists. Check the path, then try again.\n"
    )


@pytest.mark.parametrize(
    "env",
    [
        {"_BONEMETS_COMPLETE": "complete_bash", "COMP_WORDS": "bonemets sh", "COMP_CWORD": "²"},
        {"_BONEMETS_COMPLETE": "complete_bash", "COMP_WORDS": "bonemets sh", "COMP_CWORD": "-1"},
        {"_BONEMETS_COMPLETE": "complete_bash", "COMP_WORDS": "bonemets", "COMP_CWORD": "9" * 40},
        {"_BONEMETS_COMPLETE": "complete_bash", "COMP_WORDS": "bonemets \x1b[2J", "COMP_CWORD": ""},
        {"_BONEMETS_COMPLETE": "complete_nosuchshell"},
        {"_BONEMETS_COMPLETE": "source_bash"},
        {"_BONEMETS_COMPLETE": "complete_bash", "COMP_WORDS": "bonemets --data /dev/zero show "},
    ],
    ids=["superscript", "negative", "huge", "escape", "shell", "source", "device"],
)
def test_malformed_completion_requests_offer_nothing_quietly(
    console: Console, env: dict[str, str]
) -> None:
    result = console(**env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_an_unclosed_quote_in_a_completion_request_is_quiet() -> None:
    result = bonemets_process(
        _BONEMETS_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="bonemets 'sh"
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        result.stdout
        == """_arguments '*: :(("show":"Show one treatment or medicine\\\\: every..."))'\n"""
    )


def test_a_well_formed_completion_request_still_completes() -> None:
    result = bonemets_process(
        _BONEMETS_COMPLETE="complete_bash", COMP_WORDS="bonemets sh", COMP_CWORD="1"
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "show\n", "")


# --- widths ---------------------------------------------------------------------------


def test_an_absurd_width_is_clamped_for_help_too() -> None:
    started = time.monotonic()
    result = bonemets_process("--help", COLUMNS="99999999")
    assert time.monotonic() - started < 10
    assert (result.returncode, result.stderr) == (0, "")
    assert max(len(line) for line in result.stdout.splitlines()) == 500
    narrow = bonemets_process("show", "--help", COLUMNS="0")
    assert narrow.returncode == 0
    assert max(len(line) for line in narrow.stdout.splitlines()) == 80  # no terminal: 80


# --- paths with invisible direction marks -------------------------------------------


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"], ids=["LRM", "RLM", "ALM"])
def test_direction_marks_in_a_path_are_escaped(
    run: Run, write_data: WriteData, raw_data: dict[str, Any], mark: str
) -> None:
    escaped = ascii(mark)[1:-1]
    good = write_data(raw_data, name=f"a{mark}b.json")
    result = run("validate", str(good), "-f", "plain")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Validation of {str(good).replace(mark, escaped)}\n")
    assert mark not in result.stdout + result.stderr
    as_json = run("validate", str(good), "-f", "json").stdout
    assert mark not in as_json and f'a{escaped}b.json"' in as_json
    missing = good.with_name(f"c{mark}.json")
    failed = run("--data", str(missing), "list")
    assert (failed.exit_code, failed.stdout) == (3, "")
    assert (
        failed.stderr
        == f"Error: {str(missing).replace(mark, escaped)}: does not exist; check the path\n"
    )


# --- Ctrl-C ---------------------------------------------------------------------------


BEFORE_BONEMETS = (b"from bonemets_cli.console import main\nKeyboardInterrupt\n", b"<frozen ")
"""Where an interrupt lands while only the interpreter runs: its own start-up, or the
console script's import line. bonemets has no code running yet that could catch it
(on an idle machine that is the first few hundredths of a second)."""


def interrupted_before_bonemets(stderr: bytes) -> bool:
    """A traceback from before bonemets' first line: in the interpreter's start-up, on
    the console script's import line, or on another line of the script itself (pip's
    scripts may begin with `import re`): its innermost frame is the script's."""
    if b"Traceback" not in stderr:
        return False
    if any(place in stderr for place in BEFORE_BONEMETS):
        return True
    frames = [line for line in stderr.splitlines() if line.lstrip().startswith(b'File "')]
    return bool(frames) and b'bin/bonemets", line' in frames[-1]


@pytest.mark.slow
def test_ctrl_c_at_any_moment_exits_130_without_a_traceback() -> None:
    """From the console script's first line on, through the imports, the work and the
    exit: exit 130 and one line, or, once the work is done, its own exit code."""
    env = {k: v for k, v in os.environ.items() if k not in PINNED_ENV}
    env.update({k: v for k, v in PINNED_ENV.items() if v is not None})
    script = [str(Path(sys.executable).parent / "bonemets")]
    if not Path(script[0]).exists():
        script = [sys.executable, "-m", "bonemets_cli"]
    outcomes = []
    for delay in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5):
        process = subprocess.Popen(
            [*script, "search", "pain"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        if interrupted_before_bonemets(stderr):
            assert b"bonemets_cli/" not in stderr, stderr  # no frame of bonemets' own code
            continue  # a loaded machine: the interpreter was still starting
        outcomes.append((process.returncode, stderr))
        # interrupted, or finished before the signal came: never killed by it, never noisy
        assert (process.returncode, stderr) in ((130, b"Error: interrupted.\n"), (0, b"")), (
            delay,
            process.returncode,
            stderr,
        )
    assert (130, b"Error: interrupted.\n") in outcomes


@pytest.mark.parametrize(
    ("stderr", "before"),
    [
        (
            b'Traceback (most recent call last):\n  File "/v/bin/bonemets", line 2, in <module>\n'
            b"    import re\nKeyboardInterrupt\n",
            True,
        ),
        (
            b'Traceback (most recent call last):\n  File "/v/bin/bonemets", line 3, in <module>\n'
            b"    from bonemets_cli.console import main\nKeyboardInterrupt\n",
            True,
        ),
        (
            b'Traceback (most recent call last):\n  File "/v/bin/bonemets", line 6, in <module>\n'
            b'    sys.exit(main())\n  File "/s/bonemets_cli/console.py", line 30, in main\n'
            b"KeyboardInterrupt\n",
            False,
        ),
        (b"Error: interrupted.\n", False),
    ],
)
def test_what_counts_as_an_interrupt_before_bonemets(stderr: bytes, before: bool) -> None:
    assert interrupted_before_bonemets(stderr) is before
