"""Two kinds of run notes: caveats a board should read, and notes for the operator only.

A stage that finds something worth saying returns it with its tables (:class:`align.stages.StageResult`)
as a :class:`Caveat` or an :class:`OperatorNote`, warning classes a caller can filter. Most are
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


class AlignWarning(UserWarning):
    """A note a stage returns about its numbers; filter by class (``isinstance`` or ``warnings`` filters)."""

    @property
    def text(self) -> str:
        return str(self)


class Caveat(AlignWarning):
    """A caveat a board should read beside the numbers."""


class OperatorNote(AlignWarning):
    """A note for whoever runs align: the run log and the manifest show it, the report does not."""


def as_warning(note: str | AlignWarning) -> AlignWarning:
    """The warning class of a note written as text (operator notes carry :data:`OPERATOR_PREFIX`)."""
    if isinstance(note, AlignWarning):
        return note
    return OperatorNote(str(note)[len(OPERATOR_PREFIX):]) if is_operator(note) else Caveat(str(note))


def as_text(warning: str | AlignWarning) -> str:
    """A warning as the manifest and the report's caveats record it (operator notes keep their prefix)."""
    return operator(str(warning)) if isinstance(warning, OperatorNote) else str(warning)
