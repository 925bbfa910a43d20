"""Views: each turns one query's result into a Document and JSON-ready data, asking nothing more.

One module per domain; ``page`` holds what every page shares (footer, JSON header,
numbered citations). A view module imports no query module at run time: the names
it prints come with the result it is given.
"""

from typing import Any, Protocol

from bonemets_cli.document import Document


class View(Protocol):
    """What the CLI renders: a page for reading and the same page as JSON-ready data."""

    def document(self) -> Document: ...

    def data(self) -> dict[str, Any]: ...
