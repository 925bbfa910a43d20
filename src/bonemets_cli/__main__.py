"""Lets ``python -m bonemets_cli`` behave exactly like the ``bonemets`` command."""

from bonemets_cli.console import main

main()
