"""Deadlines: the figure a requirement's sentences state, checked against the active profile's threshold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..domain import Threshold
from . import keyterms as _kt
from .features import Hit
from .scoring import Scored, weak_words

# A parameter's unit is its name's suffix (``_hours``, ``_days``, ``_months``: the library checks it).
_HOURS_PER_UNIT = {"hours": 1, "days": 24, "months": 24 * 30}  # a month as the duration parser counts it


def _unit_of(parameter: str) -> str:
    for unit in ("hours", "months"):
        if parameter.endswith(f"_{unit}"):
            return unit
    return "days"


def _over_threshold(parameter: str, value: float, th: Threshold, wording: str, profile: str) -> str:
    unit = _unit_of(parameter)
    tv = th.value if th.value is None or not float(th.value).is_integer() else int(th.value)
    stated = f"{value:g} {unit}" + (f' ("{wording}")' if wording else "")
    if th.is_law:
        return (
            f"the contract allows {stated}; the {profile} profile requires at most {tv:g} {unit} ({th.basis})"
        )
    basis = f": {th.basis}" if th.basis else ""
    return (
        f"the contract allows {stated}; the {profile} profile asks for at most {tv:g} {unit}, "
        f"a project recommendation, not a legal requirement{basis}"
    )



def _only_timing_words(h: Hit, w: Mapping[str, Any]) -> bool:
    """Every hedge and weak wording of the sentence is a vague time ("promptly", ``timing`` lexicon)."""
    timing = w["lexicon"]["vague_timing"]
    words = list(h.hedges) + [weak_words(x) for x in h.weaks]
    return all(any(t in word for t in timing) for word in words)


@dataclass(slots=True)
class DeadlineCheck:
    """What the deadline of one requirement adds to its decision."""

    params: dict[str, Any] = field(default_factory=dict)  # the figure, its wording and the profile's limit
    reasons: list[str] = field(default_factory=list)  # why the deadline stops "satisfied"
    state: int = 0  # +1 a fixed deadline within the profile's limit, -1 vague / too long / late clock start
    blocked: bool = False  # a hard rule forbids "satisfied"
    firm: bool = False  # the deadline's sentence commits with only timing words around the fixed number
    stated: Scored | None = None  # the sentence stating the deadline (the best evidence)


def check_deadline(
    rid: str, parameter: str, text: str, relevant: list[Scored], library: Any, w: Mapping[str, Any]
) -> DeadlineCheck:
    """The deadline stated for ``rid`` (the best-scoring relevant sentence that states one) against the
    active profile's threshold for ``parameter``."""
    out = DeadlineCheck()
    params = out.params
    nums = _kt.numbers(text, relevant, parameter, w["lexicon"])
    th: Threshold | None = library.threshold(parameter)
    per_unit = _HOURS_PER_UNIT[_unit_of(parameter)]
    if nums:
        hours = nums["hours"]
        value = None if hours is None else hours / per_unit
        if value is not None and per_unit != 1:
            value = int(value) if float(value).is_integer() else round(value, 1)
        elif value is not None:
            value = int(hours) if float(hours).is_integer() else hours
        params[parameter] = value
        params["wording"] = nums["wording"]
        if parameter == "breach_notice_max_hours":
            params["clock_start"] = nums["clock_start"]
        out.stated = nums["hit"]
    if th is not None:
        params["threshold"] = th.value
        params["threshold_unit"] = th.unit
        params["threshold_basis"] = th.basis
        params["threshold_is_law"] = th.is_law
        if parameter == "breach_notice_max_hours":
            params["threshold_hours"] = th.value
    value = params.get(parameter)
    if nums and value is not None:
        out.state = 1
        h = nums["hit"].hit
        out.firm = h.modal and not (h.refusals or h.denies) and _only_timing_words(h, w)
    if not nums or value is None:
        if rid in w["timeframe_required"]:
            out.blocked = True
            out.state = -1
            wording = nums.get("wording") if nums else None
            out.reasons.append(f'no fixed deadline ("{wording}")' if wording else "no fixed deadline is stated")
    elif th is not None and th.value is not None and value > th.value:
        out.blocked = True
        out.state = -1
        out.reasons.append(
            _over_threshold(parameter, value, th, params.get("wording", ""), library.profile.name)
        )
    if parameter == "breach_notice_max_hours" and params.get("clock_start") in {"confirmation", "determination"}:
        need = th.clock_start if th is not None and th.clock_start else "discovery"
        if need != params["clock_start"]:
            out.blocked = True
            out.state = -1
            out.reasons.append(f"the clock starts at {params['clock_start']}, not at {need}")
    return out
