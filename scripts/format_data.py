"""Rewrite data/knowledge.json in its canonical layout, so curators' diffs stay small.

Two-space indent; short arrays of plain values and small objects on one line.
``python scripts/format_data.py --check`` exits 1 when the file is not canonical.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "knowledge.json"
WIDTH = 100


def dumps(value: Any, indent: int = 0, prefix: int = 0) -> str:
    """JSON for ``value``, starting ``indent + prefix`` characters into its line."""
    inline = json.dumps(value, ensure_ascii=False)
    scalars = isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)
    small = (
        isinstance(value, dict)
        and len(value) <= 3
        and not any(isinstance(v, (dict, list)) and v for v in value.values())
    )
    if not isinstance(value, (dict, list)) or (
        (scalars or small or not value) and indent + prefix + len(inline) <= WIDTH
    ):
        return inline
    pad = " " * (indent + 2)
    if isinstance(value, list):
        items = [pad + dumps(item, indent + 2) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    keys = {key: json.dumps(key, ensure_ascii=False) + ": " for key in value}
    items = [
        f"{pad}{keys[key]}{dumps(item, indent + 2, len(keys[key]))}" for key, item in value.items()
    ]
    return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"


def canonical(text: str) -> str:
    return dumps(json.loads(text)) + "\n"


def main() -> None:
    current = DATA.read_text(encoding="utf-8")
    formatted = canonical(current)
    if "--check" in sys.argv[1:]:
        sys.exit(0 if formatted == current else "data/knowledge.json: run scripts/format_data.py")
    DATA.write_text(formatted, encoding="utf-8")


if __name__ == "__main__":
    main()
