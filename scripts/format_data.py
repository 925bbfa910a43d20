"""Rewrite data/knowledge.json in its canonical layout, validate it, and record its digest.

Two-space indent; short arrays of plain values and small objects on one line, so
curators' diffs stay small. When the file is valid, its SHA-256 goes into
data/knowledge.sha256: bonemets then reads those exact bytes without validating
them again on every run (any other bytes are validated in full).

``python scripts/format_data.py --check`` exits 1 when the layout or digest is stale.
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
    from bonemets_cli import knowledge

    current = DATA.read_text(encoding="utf-8")
    formatted = canonical(current)
    stamp = knowledge.recorded_digest_path(DATA)
    recorded = stamp.read_text(encoding="ascii") if stamp.exists() else ""
    if "--check" in sys.argv[1:]:
        fresh = recorded.split()[:1] == [knowledge.digest(current.encode("utf-8"))]
        stale = formatted != current or not fresh
        sys.exit("data/knowledge.json: run scripts/format_data.py" if stale else 0)
    DATA.write_text(formatted, encoding="utf-8")
    report = knowledge.check(DATA)
    if report.problems:
        stamp.unlink(missing_ok=True)
        for problem in report.problems:
            print(f"{DATA}: {problem}", file=sys.stderr)
        sys.exit(f"{DATA} is invalid: no digest recorded")
    line = f"{knowledge.digest(formatted.encode('utf-8'))}  {DATA.name}\n"
    stamp.write_text(line, encoding="ascii")


if __name__ == "__main__":
    main()
