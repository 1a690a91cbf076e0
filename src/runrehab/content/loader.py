"""Load the protocol data files, check them strictly, and build the engine's values from them.

Every problem is a :class:`~runrehab.errors.ContentError` naming the file and the place in it:
a TOML syntax error, an unknown or missing key, a wrong type, or a reference to an exercise,
rule or source that does not exist.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from runrehab.content import schema as s
from runrehab.engine import protocol as p
from runrehab.engine import questionnaire as q
from runrehab.engine.load import LoadSettings
from runrehab.engine.metrics import MetricsSettings
from runrehab.engine.values import PathwayId
from runrehab.errors import ContentError

DATA = Path(__file__).parent / "data"
T = TypeVar("T")
_PLACE = re.compile(r"^(?P<message>.*?) - at `(?P<place>[^`]*)`$", re.DOTALL)


def decode(path: Path, kind: type[T]) -> T:
    """Decode one TOML file strictly into ``kind``; errors name the file and the place."""
    try:
        return msgspec.convert(_parsed(path), type=kind)
    except msgspec.ValidationError as err:
        match = _PLACE.match(str(err))
        place, message = (match["place"], match["message"]) if match else ("$", str(err))
        raise ContentError(_name(path), place, message) from None
    except msgspec.DecodeError as err:
        raise ContentError(_name(path), "TOML syntax", str(err)) from None
    except OSError as err:
        raise ContentError(_name(path), "$", f"cannot read: {err.strerror}") from None


def _parsed(path: Path) -> Any:
    """The file's TOML as plain values. Parsing TOML is the slow part of loading (tomllib is
    pure Python), so the parsed values are cached per file, keyed by the file's size and time;
    the strict schema check still runs on every load."""
    stat = path.stat()
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    cached = _cache_dir() / f"{key[:32]}.msgpack"
    try:
        return msgspec.msgpack.decode(cached.read_bytes())
    except (OSError, msgspec.DecodeError):
        pass
    values = msgspec.toml.decode(path.read_bytes())
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(msgspec.msgpack.encode(values))
        temporary.replace(cached)  # atomic: a reader never sees half a file
    return values


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "runrehab" / "content"


def _name(path: Path) -> str:
    try:
        return str(path.relative_to(DATA.parent))
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything in the data folder, decoded and cross-checked."""

    sources: Mapping[str, s.Source]
    rules: Mapping[str, s.Rule]
    exercises: Mapping[str, s.Exercise]
    protocol: s.ProtocolFile
    avoid: tuple[s.Avoid, ...]
    knowledge: s.KnowledgeFile
    questionnaires: Mapping[str, s.Questionnaire]


# --- the pieces -----------------------------------------------------------------------------


def load_sources(data: Path = DATA) -> dict[str, s.Source]:
    entries = decode(data / "sources.toml", s.SourcesFile).source
    return _unique(entries, data / "sources.toml", "source")


def load_rules(
    data: Path = DATA, sources: Mapping[str, s.Source] | None = None
) -> dict[str, s.Rule]:
    """Every rule of every file under ``rules/``, with its sources and links checked."""
    sources = sources if sources is not None else load_sources(data)
    rules: dict[str, s.Rule] = {}
    files = {
        path: decode(path, s.RulesFile).rule for path in sorted((data / "rules").glob("*.toml"))
    }
    for path, entries in files.items():
        for index, rule in enumerate(entries):
            place = f"$.rule[{index}]"
            if rule.id in rules:
                raise ContentError(_name(path), f"{place}.id", f"duplicate rule id {rule.id!r}")
            _known(rule.sources, sources, path, f"{place}.sources", "source")
            rules[rule.id] = rule
    for path, entries in files.items():  # links may point into a later file: check them last
        for index, rule in enumerate(entries):
            _known(rule.implemented_by, rules, path, f"$.rule[{index}].implemented_by", "rule")
    return rules


def load_exercises(
    data: Path = DATA, sources: Mapping[str, s.Source] | None = None
) -> dict[str, s.Exercise]:
    sources = sources if sources is not None else load_sources(data)
    exercises: dict[str, s.Exercise] = {}
    for path in sorted((data / "exercises").glob("*.toml")):
        exercise = decode(path, s.Exercise)
        if exercise.id != path.stem:
            raise ContentError(
                _name(path), "$.id", f"id {exercise.id!r} differs from the file name"
            )
        _known(exercise.sources, sources, path, "$.sources", "source")
        exercises[exercise.id] = exercise
    for exercise in exercises.values():
        path = data / "exercises" / f"{exercise.id}.toml"
        _known(
            [exercise.progression.exercise] if exercise.progression.exercise else [],
            exercises,
            path,
            "$.progression.exercise",
            "exercise",
        )
        _known(
            [exercise.regression.exercise] if exercise.regression.exercise else [],
            exercises,
            path,
            "$.regression.exercise",
            "exercise",
        )
        _known(exercise.substitutes, exercises, path, "$.substitutes", "exercise")
    return exercises


def load_protocol_file(data: Path = DATA) -> s.ProtocolFile:
    return decode(data / "protocol.toml", s.ProtocolFile)


def load_catalogue(data: Path = DATA) -> Catalogue:
    """Load and cross-check every data file."""
    sources = load_sources(data)
    rules = load_rules(data, sources)
    exercises = load_exercises(data, sources)
    protocol = load_protocol_file(data)
    _check_protocol(protocol, exercises, rules, sources, data / "protocol.toml")
    avoid = decode(data / "avoid.toml", s.AvoidFile).avoid
    _check_avoid(avoid, exercises, sources, data / "avoid.toml")
    knowledge = decode(data / "knowledge.toml", s.KnowledgeFile)
    _check_knowledge(knowledge, sources, data / "knowledge.toml")
    questionnaires = load_questionnaires(data, sources)
    return Catalogue(sources, rules, exercises, protocol, tuple(avoid), knowledge, questionnaires)


def load_questionnaires(
    data: Path = DATA, sources: Mapping[str, s.Source] | None = None
) -> dict[str, s.Questionnaire]:
    """The outcome questionnaires, with their ids, points and sources checked."""
    sources = sources if sources is not None else load_sources(data)
    path = data / "questionnaires.toml"
    found = _unique(decode(path, s.QuestionnairesFile).questionnaire, path, "questionnaire")
    for i, questionnaire in enumerate(found.values()):
        at = f"$.questionnaire[{i}]"
        _known(questionnaire.sources, sources, path, f"{at}.sources", "source")
        _check_questionnaire(questionnaire, path, at)
    return found


# --- cross-checks ---------------------------------------------------------------------------


def _unique(entries: Iterable[T], path: Path, what: str) -> dict[str, T]:
    found: dict[str, T] = {}
    for index, entry in enumerate(entries):
        key = getattr(entry, "id")  # noqa: B009 - every entry kind has an id
        if key in found:
            raise ContentError(_name(path), f"$.{what}[{index}].id", f"duplicate id {key!r}")
        found[key] = entry
    return found


def _known(
    refs: Iterable[str | None], known: Mapping[str, object], path: Path, place: str, what: str
) -> None:
    for ref in refs:
        if ref is not None and ref not in known:
            raise ContentError(_name(path), place, f"unknown {what} {ref!r}")


def _check_protocol(
    protocol: s.ProtocolFile,
    exercises: Mapping[str, s.Exercise],
    rules: Mapping[str, s.Rule],
    sources: Mapping[str, s.Source],
    path: Path,
) -> None:
    numbers = [phase.number for phase in protocol.phase]
    if numbers != [1, 2, 3, 4, 5]:
        raise ContentError(_name(path), "$.phase", f"phases must be numbered 1 to 5, got {numbers}")
    for i, phase in enumerate(protocol.phase):
        at = f"$.phase[{i}]"
        _known(phase.exercises, exercises, path, f"{at}.exercises", "exercise")
        _known(phase.daily_exercises, exercises, path, f"{at}.daily_exercises", "exercise")
        _known([phase.rule, phase.stall_rule], rules, path, f"{at}.rule", "rule")
        _known(phase.sources, sources, path, f"{at}.sources", "source")
        for exercise_id in (*phase.exercises, *phase.daily_exercises):
            if not any(d.phase <= phase.number for d in exercises[exercise_id].doses):
                raise ContentError(
                    _name(path),
                    f"{at}.exercises",
                    f"exercise {exercise_id!r} has no dose for phase {phase.number}",
                )
        for j, gate in enumerate(phase.gates):
            refs = [getattr(gate, "exercise", None), *getattr(gate, "exercises", [])]
            _known(refs, exercises, path, f"{at}.gates[{j}]", "exercise")
    for i, pathway in enumerate(protocol.pathway):
        _known([pathway.rule], rules, path, f"$.pathway[{i}].rule", "rule")
    for i, item in enumerate(protocol.after_run):
        _known([item.exercise], exercises, path, f"$.after_run[{i}].exercise", "exercise")
        _known([item.rule], rules, path, f"$.after_run[{i}].rule", "rule")
    _known(protocol.warm_up, exercises, path, "$.warm_up", "exercise")
    rungs = [r.number for r in protocol.rung]
    if rungs != sorted(set(rungs)):
        raise ContentError(_name(path), "$.rung", "rung numbers must rise without repeats")


def _check_avoid(
    avoid: Iterable[s.Avoid],
    exercises: Mapping[str, s.Exercise],
    sources: Mapping[str, s.Source],
    path: Path,
) -> None:
    for i, entry in enumerate(avoid):
        _known(entry.alternatives, exercises, path, f"$.avoid[{i}].alternatives", "exercise")
        _known(entry.sources, sources, path, f"$.avoid[{i}].sources", "source")


def _check_knowledge(k: s.KnowledgeFile, sources: Mapping[str, s.Source], path: Path) -> None:
    terms = {t.id: t for t in k.glossary}
    _unique(k.topic, path, "topic")
    _unique(k.faq, path, "faq")
    _unique(k.glossary, path, "glossary")
    cited = {
        "topic": [t.sources for t in k.topic],
        "faq": [f.sources for f in k.faq],
        "glossary": [g.sources for g in k.glossary],
    }
    for what, lists in cited.items():
        for i, refs in enumerate(lists):
            _known(refs, sources, path, f"$.{what}[{i}].sources", "source")
    for i, term in enumerate(k.glossary):
        _known(term.related, terms, path, f"$.glossary[{i}].related", "glossary term")


def _check_questionnaire(questionnaire: s.Questionnaire, path: Path, at: str) -> None:
    """Unique item and option ids; choice points within the item's maximum, each item with a
    0-point and a full-point answer, the maxima summing to 100; a scale score names a scale."""
    items = _unique(questionnaire.item, path, f"{at[2:]}.item")
    choices = [item for item in items.values() if isinstance(item, s.ChoiceItem)]
    for j, item in enumerate(questionnaire.item):
        place = f"{at}.item[{j}]"
        if isinstance(item, s.ChoiceItem):
            _check_choice(item, path, place)
        elif item.low >= item.high:
            raise ContentError(_name(path), f"{place}.high", "high must be above low")
    if questionnaire.score_item is not None:
        if not isinstance(items.get(questionnaire.score_item), s.ScaleItem):
            raise ContentError(
                _name(path), f"{at}.score_item", f"no scale item {questionnaire.score_item!r}"
            )
        return
    total = sum(item.max_points for item in choices)
    if len(choices) != len(items) or total != 100:
        raise ContentError(
            _name(path), f"{at}.item", f"choice item maxima must sum to 100, got {total}"
        )


def _check_choice(item: s.ChoiceItem, path: Path, place: str) -> None:
    _unique(item.options, path, f"{place[2:]}.options")
    for k, option in enumerate(item.options):
        if option.points > item.max_points:
            raise ContentError(
                _name(path),
                f"{place}.options[{k}].points",
                f"{option.points} is above the item's maximum {item.max_points}",
            )
    points = {option.points for option in item.options}
    if 0 not in points or item.max_points not in points:
        raise ContentError(
            _name(path), f"{place}.options", "needs a 0-point answer and a full-point answer"
        )


# --- engine values --------------------------------------------------------------------------


def engine_settings(protocol: s.ProtocolFile) -> tuple[p.Settings, p.TriageSettings]:
    fields = msgspec.structs.asdict(protocol.settings)
    fields.pop("notes")
    return p.Settings(**fields), p.TriageSettings(**msgspec.structs.asdict(protocol.triage))


def engine_load_settings(protocol: s.ProtocolFile) -> tuple[LoadSettings, MetricsSettings]:
    """The running-load and measuring numbers of the protocol file, as engine values."""
    load = msgspec.structs.asdict(protocol.load)
    load.pop("notes")
    metrics = msgspec.structs.asdict(protocol.metrics)
    metrics.pop("notes")
    return LoadSettings(**load), MetricsSettings(**metrics)


def engine_exercise(e: s.Exercise) -> p.Exercise:
    doses = tuple(
        p.Dose(
            d.phase,
            d.sets,
            d.reps,
            d.hold_seconds,
            d.minutes,
            d.per_side,
            d.rest_seconds,
            d.tempo,
            d.frequency,
        )
        for d in e.doses
    )
    return p.Exercise(
        e.id,
        e.name,
        e.category,
        frozenset(e.equipment),
        e.loaded,
        e.knee_load,
        e.priority,
        doses,
        tuple(e.substitutes),
        e.max_reps,
        e.max_hold_seconds,
        e.progression.exercise,
        e.regression.exercise,
    )


def _engine_gate(g: s.Gate) -> p.Gate:
    if isinstance(g, s.MinDaysGate):
        return p.MinDays(g.id, g.days)
    if isinstance(g, s.WorstPainGate):
        return p.WorstPainAtMost(g.id, g.threshold, g.days)
    if isinstance(g, s.GreenSessionsGate):
        return p.GreenSessions(g.id, g.sessions, tuple(g.exercises))
    if isinstance(g, s.ExerciseTestGate):
        return p.ExerciseTest(g.id, g.exercise, g.sets, g.reps, g.max_pain)
    if isinstance(g, s.WalkTestGate):
        return p.WalkTest(g.id, g.minutes, g.max_pain)
    return p.LadderComplete(g.id)


def engine_protocol(protocol: s.ProtocolFile, exercises: Mapping[str, s.Exercise]) -> p.Protocol:
    settings, triage = engine_settings(protocol)
    phases = tuple(
        p.Phase(
            ph.number,
            ph.id,
            ph.name,
            ph.running,
            tuple(ph.exercises),
            tuple(ph.daily_exercises),
            tuple(_engine_gate(g) for g in ph.gates),
            ph.stall_days,
            ph.stall_rule,
            ph.rule,
        )
        for ph in protocol.phase
    )
    pathways = tuple(
        p.Pathway(
            PathwayId(pw.id), tuple(pw.phases), pw.rule, {t.phase: t.day for t in pw.timeline}
        )
        for pw in protocol.pathway
    )
    rungs = tuple(
        p.Rung(
            r.id,
            r.number,
            r.run_minutes,
            r.walk_minutes,
            r.repeats,
            r.optional,
            r.article_total_minutes,
        )
        for r in protocol.rung
    )
    after = tuple(
        p.AfterRunItem(a.exercise, a.sets, a.reps, a.hold_seconds, a.per_side, a.rule)
        for a in protocol.after_run
    )
    return p.Protocol(
        protocol.id,
        protocol.version,
        settings,
        triage,
        phases,
        pathways,
        rungs,
        {k: engine_exercise(v) for k, v in exercises.items()},
        after,
        tuple(protocol.warm_up),
    )


def engine_instrument(questionnaire: s.Questionnaire) -> q.Instrument:
    items = tuple(
        q.Item(
            item.id,
            item.question,
            tuple(q.Option(o.id, o.label, o.points) for o in item.options),
        )
        if isinstance(item, s.ChoiceItem)
        else q.Item(item.id, item.question, (), item.low, item.high)
        for item in questionnaire.item
    )
    return q.Instrument(questionnaire.id, questionnaire.name, items, questionnaire.score_item)


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process."""
    return load_catalogue()


@cache
def protocol() -> p.Protocol:
    """The shipped protocol as engine values, loaded once per process."""
    c = catalogue()
    return engine_protocol(c.protocol, c.exercises)
