"""One error hierarchy for the engine.

Exceptions are for bad input and bugs. Infeasibility of a scenario is a result status, not an exception.
Validators gather every problem and raise once, so a planner sees the whole list at the first try.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    Rendered as ``file:row: column: what is wrong (the value)``; parts that do not apply are left out.
    ``message`` is the English text (the command line and the JSON); a problem made by :func:`problem` also
    carries its message id and values, so :meth:`text` writes it in the planner's language.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    key: str | None = None
    values: Mapping[str, object] | None = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The problem as ``file:row: column: what (value)``, the ``what`` in ``lang`` when it has an id."""
        message = self.message
        if self.key is not None and lang != "en":
            from engine.core.i18n import t  # the catalogs are read when a problem is shown, not on import

            message = t(self.key, lang, **dict(self.values or {}))  # Text values render in lang too
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        text = f"{where}: {self.column}: {message}" if self.column else f"{where}: {message}"
        if self.value is not None:
            shown = repr(self.value) if isinstance(self.value, str) else str(self.value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            text += f" ({shown})"
        return text


def problem(file: str, key: str, row: int | None = None, column: str | None = None, value: object = None,
            /, **values: object) -> Problem:
    """A :class:`Problem` whose message is the catalog entry ``key`` with ``values`` (its English text kept)."""
    from engine.core.i18n import t

    return Problem(file, t(key, "en", **values), row, column, value, key, values or None)


def problems_json(problems: list[Problem]) -> list[dict[str, object]]:
    """Problems for a JSON client: the English text, and the message id and values to translate it."""
    from engine.core.i18n import json_value

    return [{"file": p.file, "row": p.row, "column": p.column, "value": p.value, "message": p.message,
             "message_id": p.key, "values": {k: json_value(v) for k, v in (p.values or {}).items()}}
            for p in problems]


class EngineError(Exception):
    """Root of every error the engine raises on purpose."""


class ProblemsError(EngineError):
    """An error carrying every problem found, not just the first."""

    kind = "input"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.render())

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Errors cross process boundaries (solves run in worker processes): rebuild from the problems.
        return (type(self), (self.problems,))

    def render(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the {self.kind}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def lines(self, lang: str) -> list[str]:
        """Each problem in ``lang`` (those without a message id in English)."""
        return [p.text(lang) for p in self.problems]


class DataValidationError(ProblemsError):
    """A dataset or an indicators table is not usable as it stands."""

    kind = "data"


class RuleValidationError(ProblemsError):
    """A rules file in ``rules/`` is not valid."""

    kind = "rules"


class ScenarioError(ProblemsError):
    """A scenario file is not valid."""

    kind = "scenario"


class SolverUnavailableError(EngineError):
    """No working LP/MILP solver could be found."""


class ExitCode(IntEnum):
    """What every ``roadmap`` command exits with (the one table of them)."""

    OK = 0
    FAILURE = 1  # an unexpected failure (a bug), or a solve that stopped without a plan
    INVALID = 2  # invalid input: every problem is listed as ``file:row: column: what (value)``
    INFEASIBLE = 3  # the scenario has no plan; the JSON still says which constraints conflict
    INTERRUPTED = 130
