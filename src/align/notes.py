"""Two kinds of run notes: caveats a board should read, and notes for the operator only.

A stage that finds something worth saying appends it to the run's ``warnings`` list. Most are
caveats about the numbers ("employment observed only to 2022"); some only matter to whoever runs
align (a hashing salt, industry codes that had no data, model internals). Operator notes are
marked here, in one place, by a prefix that survives the manifest's JSON; the report shows
board caveats only, while the run log and the manifest keep both.
"""

from __future__ import annotations

from collections.abc import Iterable

OPERATOR_PREFIX = "operator: "


def operator(text: str) -> str:
    """Mark a note as one for the operator (run log and manifest), not for the board's caveats."""
    return text if is_operator(text) else OPERATOR_PREFIX + text


def is_operator(note: str) -> bool:
    return str(note).startswith(OPERATOR_PREFIX)


def board_caveats(notes: Iterable[str]) -> list[str]:
    """The notes a board member should read beside the numbers."""
    return [str(n) for n in notes if not is_operator(n)]


def operator_notes(notes: Iterable[str]) -> list[str]:
    """The notes for whoever runs align, without their marker."""
    return [str(n)[len(OPERATOR_PREFIX):] for n in notes if is_operator(n)]
