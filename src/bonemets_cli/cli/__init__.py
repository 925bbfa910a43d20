"""The command line: parse arguments, ask the query layer, view, render; map errors to exit codes.

``root`` holds the app and what every command shares, ``options`` the shared options,
``commands`` the commands themselves (``safety`` those of the safety-and-reference
pack), and ``startup`` the console script. Only this
package imports Typer.
"""

from bonemets_cli.cli import commands as commands  # registers every command on the app
from bonemets_cli.cli import safety as safety  # urgent, glossary, questions
from bonemets_cli.cli import sins as sins  # registers the spinal instability score
from bonemets_cli.cli.root import app as app
from bonemets_cli.cli.startup import main as main

__all__ = ["app", "main"]
