"""Numbers in the content's prose, rendered from the settings the engine uses.

A text field of any content file may name a number instead of typing it, so that what a runner
reads is always the number the engine applies::

    "Keep knee discomfort at most {green_max_pain}/10."      -> "... at most 2/10."
    "Stop if the pain goes above {stop_exercise_pain_above}/10."
    "Move on at worst pain {gate:p1-worst-pain}/10 or less." -> a phase gate's pain limit

``{name}`` is a field of the protocol's ``[settings]``, ``[triage]`` or ``[load]`` table
(the last in content texts only), or one of the derived numbers of :data:`DERIVED`;
``{gate:<gate id>}`` is the pain limit of a phase gate.

``{quote:...}`` marks a number that is *quoted* from a source, not applied by RunRehab
("Article 000 moves runners on at {quote:3/10}"); it renders as the text inside. A quotation
says what an article or a study says; it must never state what RunRehab does.

An unknown name is a content error naming the file and the field. The same values are handed to
the web templates and the Python texts shown to people (:func:`pain_numbers`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from runrehab.engine import protocol as p
from runrehab.errors import ContentError

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
QUOTE = "quote:"
GATE = "gate:"


def _zone(low: int, high: int) -> str:
    """A zone of the scale as a person reads it: "3" when it is one number, "3–5" otherwise."""
    return str(low) if low == high else f"{low}–{high}"


DERIVED: Mapping[str, Callable[[p.Settings, p.TriageSettings], int | str]] = {
    # AMBER starts one above GREEN's ceiling; so does "ease off" during an exercise
    "amber_min_pain": lambda s, t: s.green_max_pain + 1,
    # the AMBER zone as text: "3" (one number) or "3–5"
    "amber_pain": lambda s, t: _zone(s.green_max_pain + 1, s.amber_max_pain),
    # RED starts one above AMBER's ceiling
    "red_min_pain": lambda s, t: s.amber_max_pain + 1,
    # a full planned run needs pain at rest below the reduced-running line
    "rest_pain_full_run_max": lambda s, t: s.rest_pain_reduced_from - 1,
}
"""Numbers that follow from the settings: ``{amber_min_pain}`` is ``green_max_pain + 1``;
``{amber_pain}`` is the AMBER zone as it reads ("3", or "3–5" when it spans numbers)."""


def number_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def pain_numbers(
    settings: p.Settings, triage: p.TriageSettings, gates: Mapping[str, int] | None = None
) -> dict[str, str]:
    """Every name a text may use, with the text it renders as."""
    found = {f.name: number_text(getattr(triage, f.name)) for f in dataclasses.fields(triage)}
    found.update(
        {f.name: number_text(getattr(settings, f.name)) for f in dataclasses.fields(settings)}
    )
    found.update({name: number_text(rule(settings, triage)) for name, rule in DERIVED.items()})
    found.update({f"{GATE}{gate}": number_text(limit) for gate, limit in (gates or {}).items()})
    return found


def pain_numbers_of(protocol: p.Protocol) -> dict[str, str]:
    """:func:`pain_numbers` of an engine protocol, its gates' pain limits included."""
    gates: dict[str, int] = {}
    for phase in protocol.phases:
        for gate in phase.gates:
            if isinstance(gate, p.WorstPainAtMost):
                gates[gate.id] = gate.threshold
            elif isinstance(gate, p.ExerciseTest | p.WalkTest):
                gates[gate.id] = gate.max_pain
    return pain_numbers(protocol.settings, protocol.triage, gates)


class UnknownPlaceholder(ValueError):
    """A ``{name}`` that names no setting."""


def render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every placeholder replaced; a text without braces is returned as it is."""
    if "{" not in text and "}" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        name = match[1]
        if name.startswith(QUOTE) and name[len(QUOTE) :].strip():
            return name[len(QUOTE) :]
        if name in values:
            return values[name]
        raise UnknownPlaceholder(f"unknown placeholder {{{name}}}")

    rendered = PLACEHOLDER.sub(one, text)
    if "{" in rendered or "}" in rendered:
        raise UnknownPlaceholder(f"unmatched brace in {text!r}")
    return rendered


def render_tree(value: Any, values: Mapping[str, str], file: str, place: str = "$") -> Any:
    """Parsed TOML values with every string rendered; an error names ``file`` and the place
    (``$.rule[3].text``) of the string that names an unknown placeholder."""
    if isinstance(value, str):
        try:
            return render(value, values)
        except UnknownPlaceholder as err:
            raise ContentError(file, place, str(err)) from None
    if isinstance(value, dict):
        return {k: render_tree(v, values, file, f"{place}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [render_tree(v, values, file, f"{place}[{i}]") for i, v in enumerate(value)]
    return value
