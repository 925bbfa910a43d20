"""The fixed choices users make on the command line; light enough to import at start-up."""

from __future__ import annotations

import enum


class OutputFormat(str, enum.Enum):
    """Every data command's --format choices."""

    table = "table"
    json = "json"
    markdown = "markdown"
    plain = "plain"
    html = "html"


class ValidateFormat(str, enum.Enum):
    """validate's --format choices: every page format, and GitHub Actions annotations."""

    table = "table"
    json = "json"
    markdown = "markdown"
    plain = "plain"
    html = "html"
    github = "github"


class ColorChoice(str, enum.Enum):
    """--color: auto follows the terminal and NO_COLOR; never and always override both."""

    auto = "auto"
    always = "always"
    never = "never"


class Audience(str, enum.Enum):
    """Who is reading: patients get plain statements, clinicians the specifics."""

    patient = "patient"
    clinician = "clinician"


class Paper(str, enum.Enum):
    """--paper: the printed page size of the HTML handout."""

    a4 = "a4"
    letter = "letter"
