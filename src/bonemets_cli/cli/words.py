"""The words of a command line, read before Typer parses them: where the command is,
the root options a user gave after it, and the names of several words given to an
option."""

from __future__ import annotations

from itertools import pairwise

ROOT_OPTIONS_WITH_VALUE = frozenset({"--data", "--color"})
"""The root options that take a value: the word after them is not a command."""

ROOT_FLAGS = frozenset({"--no-pager"})
"""The root options that take no value, and may also follow the command."""

NAME_METAVARS = frozenset({"CANCER", "TREATMENT", "GOAL", "ROUTE", "STATE", "SIDE_EFFECT"})
"""An option with one of these metavars takes a name, which may be of several words."""


def root_options_first(words: list[str]) -> list[str]:
    """The root options a user gave after the command, moved before it, so that
    `bonemets list --color never` means `bonemets --color never list`. Words after
    `--` stay where they are."""
    command = command_index(words)
    if command is None:
        return words
    moved: list[str] = []
    rest: list[str] = []
    index = command + 1
    while index < len(words):
        word = words[index]
        if word == "--":
            rest += words[index:]
            break
        if word in ROOT_OPTIONS_WITH_VALUE and index + 1 < len(words):
            moved += words[index : index + 2]
            index += 2
            continue
        if word in ROOT_FLAGS or word.split("=", 1)[0] in ROOT_OPTIONS_WITH_VALUE:
            moved.append(word)
        else:
            rest.append(word)
        index += 1
    return [*words[:command], *moved, words[command], *rest]


def command_word(words: list[str]) -> str | None:
    """The command the words name, if any: the first word that is not a root option or
    its value."""
    index = command_index(words)
    return None if index is None else words[index]


def empty_data(words: list[str]) -> bool:
    """Whether --data is given an empty value before the command (`--data ''`, or
    `--data=`), which would read as the current folder."""
    command = command_index(words)
    before = words if command is None else words[:command]
    return "--data=" in before or any(
        word == "--data" and value == "" for word, value in pairwise(before)
    )


def command_index(words: list[str]) -> int | None:
    """Where the command is: the first word that is not a root option or its value."""
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
        elif word == "--":
            return None
        elif word.startswith("-"):
            skip = word in ROOT_OPTIONS_WITH_VALUE
        else:
            return index
    return None


def names_joined(words: list[str], options: frozenset[str]) -> list[str]:
    """A command's words with the value of each option that takes a name running to the
    next option, as one word: `--treatment zoledronic acid` means `--treatment 'zoledronic
    acid'`, and `--cancer=solid tumours` means `--cancer='solid tumours'`. Words after
    `--` stay as they are."""
    joined: list[str] = []
    value_next = in_value = False
    for index, word in enumerate(words):
        if word == "--":
            return [*joined, *words[index:]]
        option = word.startswith("-")
        if in_value and not option:
            joined[-1] += f" {word}"
            continue
        joined.append(word)
        if value_next and not option:  # the first word of the value
            value_next, in_value = False, True
        else:
            value_next = word in options
            in_value = "=" in word and word.split("=", 1)[0] in options
    return joined
