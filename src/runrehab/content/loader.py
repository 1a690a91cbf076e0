"""Load the protocol data files, check them strictly, and build the engine's values from them.

Every problem is a :class:`~runrehab.errors.ContentError` naming the file and the place in it:
a TOML syntax error, an unknown or missing key, a wrong type, or a reference to an exercise,
rule or source that does not exist.

Each language is a folder of the same files (``content.locale``): ``load_catalogue(folder)``
checks a translation exactly as strictly as the English (a translated id or enum, a missing
file, fail alike); only the bibliography and the traceability are read from the English folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from runrehab.content import locale
from runrehab.content import schema as s
from runrehab.content.cache import cache_dir, keep_newest, write_atomically
from runrehab.content.placeholders import number_text, pain_numbers, render_tree
from runrehab.engine import protocol as p
from runrehab.engine import questionnaire as q
from runrehab.engine.education import Lesson
from runrehab.engine.load import LoadSettings
from runrehab.engine.metrics import MetricsSettings
from runrehab.engine.values import PathwayId
from runrehab.errors import ContentError

DATA = locale.DATA
T = TypeVar("T")
_PLACE = re.compile(r"^(?P<message>.*?) - at `(?P<place>[^`]*)`$", re.DOTALL)


def decode(path: Path, kind: type[T], values: Mapping[str, str] | None = None) -> T:
    """Decode one TOML file strictly into ``kind``; errors name the file and the place.
    With ``values``, every ``{placeholder}`` of its texts is rendered first
    (:mod:`runrehab.content.placeholders`)."""
    try:
        parsed = _parsed(path)
        if values is not None:
            parsed = render_tree(parsed, values, _name(path))
        return msgspec.convert(parsed, type=kind)
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
    pure Python), so the parsed values are cached per file, keyed by the file's bytes (a
    wheel's files may all have one time, so a changed file may keep its size and time); the
    strict schema check still runs on every load."""
    raw = path.read_bytes()
    cached = cache_dir() / f"{hashlib.sha256(raw).hexdigest()[:32]}.msgpack"
    try:
        return msgspec.msgpack.decode(cached.read_bytes())
    except (OSError, msgspec.DecodeError):
        pass
    values = msgspec.toml.decode(raw)
    write_atomically(cached, msgspec.msgpack.encode(values))
    return values


def english_only(data: Path, name: str) -> Path:
    """``data/name``, or the English file for a file every language reads in English (the
    bibliography, the traceability) that a translation's folder does not have."""
    path = data / name
    if name in locale.ENGLISH_ONLY and not path.exists():
        return DATA / name
    return path


def untranslated(data: Path) -> list[str]:
    """The English files a translation's folder (``data/locales/<lang>``) lacks, as paths
    relative to the data folder (``exercises/step-down.toml``); none for any other folder."""
    if data.parent.name != "locales":
        return []
    return locale.missing_files(data)


def check_complete(data: Path) -> None:
    """A ``ContentError`` naming the first English file a translation lacks: a language is
    all of the content or none of it."""
    missing = untranslated(data)
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise ContentError(_name(data / missing[0]), "$", f"not translated{more}")


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
    firing_tests: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Product rule id -> the fast tests that make it fire (``traceability.toml``)."""
    lessons: tuple[s.Lesson, ...] = ()
    """The core lessons of week 1 (``education.toml``), in their file's order."""


# --- the pieces -----------------------------------------------------------------------------


def placeholder_values(data: Path = DATA) -> dict[str, str]:
    """What each ``{placeholder}`` of the texts renders as: the protocol's settings, the numbers
    derived from them, and the pain limit of each phase gate (``{gate:p1-worst-pain}``)."""
    protocol = decode(data / "protocol.toml", s.ProtocolFile)
    gates: dict[str, int] = {}
    for phase in protocol.phase:
        for gate in phase.gates:
            if isinstance(gate, s.WorstPainGate):
                gates[gate.id] = gate.threshold
            elif isinstance(gate, s.ExerciseTestGate | s.WalkTestGate):
                gates[gate.id] = gate.max_pain
    settings, triage = engine_settings(protocol)
    values = pain_numbers(settings, triage, gates)
    # the [load] table's numbers too (``{default_runs_per_week}``), and the ratios people
    # read as percentages (``{longest_run_cap_percent}`` is 110)
    load, _ = engine_load_settings(protocol)
    for f in dataclasses.fields(load):
        values.setdefault(f.name, number_text(getattr(load, f.name)))
    ratios = {
        "rebuild_start_ratio": load.rebuild_start_ratio,
        "rebuild_weekly_step_ratio": load.rebuild_weekly_step_ratio,
        "longest_run_cap": settings.longest_run_cap_ratio,
    }
    for name, ratio in ratios.items():
        values[f"{name}_percent"] = number_text(round(ratio * 100, 6))
    return values


def load_sources(data: Path = DATA, values: Mapping[str, str] | None = None) -> dict[str, s.Source]:
    values = values if values is not None else placeholder_values(data)
    path = english_only(data, "sources.toml")
    return _unique(decode(path, s.SourcesFile, values).source, path, "source")


def load_rules(
    data: Path = DATA,
    sources: Mapping[str, s.Source] | None = None,
    values: Mapping[str, str] | None = None,
) -> dict[str, s.Rule]:
    """Every rule of every file under ``rules/``, with its sources and links checked."""
    values = values if values is not None else placeholder_values(data)
    sources = sources if sources is not None else load_sources(data, values)
    rules: dict[str, s.Rule] = {}
    files = {
        path: decode(path, s.RulesFile, values).rule
        for path in sorted((data / "rules").glob("*.toml"))
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
    data: Path = DATA,
    sources: Mapping[str, s.Source] | None = None,
    values: Mapping[str, str] | None = None,
) -> dict[str, s.Exercise]:
    values = values if values is not None else placeholder_values(data)
    sources = sources if sources is not None else load_sources(data, values)
    exercises: dict[str, s.Exercise] = {}
    for path in sorted((data / "exercises").glob("*.toml")):
        exercise = decode(path, s.Exercise, values)
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
        _check_substitutes(exercise, exercises, path)
    return exercises


def _check_substitutes(
    exercise: s.Exercise, exercises: Mapping[str, s.Exercise], path: Path
) -> None:
    """A substitute stands in for missing gear: an exercise needing none has no substitute,
    and a substitute never needs the gear it stands in for (what every home has, a wall, a step
    or a chair, is never gear: ``schema.AtHome``)."""
    if exercise.substitutes and not exercise.equipment:
        raise ContentError(
            _name(path),
            "$.substitutes",
            "an exercise that needs no gear is never swapped away: drop its substitutes",
        )
    for index, other in enumerate(exercise.substitutes):
        if set(exercises[other].equipment) & set(exercise.equipment):
            raise ContentError(
                _name(path),
                f"$.substitutes[{index}]",
                f"{other!r} needs the same gear as the exercise it stands in for",
            )


def load_protocol_file(
    data: Path = DATA, values: Mapping[str, str] | None = None
) -> s.ProtocolFile:
    values = values if values is not None else placeholder_values(data)
    return decode(data / "protocol.toml", s.ProtocolFile, values)


def load_catalogue(data: Path = DATA) -> Catalogue:
    """Load and cross-check every data file, its texts rendered from the protocol's settings."""
    check_complete(data)
    values = placeholder_values(data)
    sources = load_sources(data, values)
    rules = load_rules(data, sources, values)
    exercises = load_exercises(data, sources, values)
    protocol = load_protocol_file(data, values)
    _check_protocol(protocol, exercises, rules, sources, data / "protocol.toml")
    avoid = decode(data / "avoid.toml", s.AvoidFile, values).avoid
    _check_avoid(avoid, exercises, sources, data / "avoid.toml")
    knowledge = decode(data / "knowledge.toml", s.KnowledgeFile, values)
    _check_knowledge(knowledge, sources, data / "knowledge.toml", rules)
    questionnaires = load_questionnaires(data, sources, values)
    _check_fear_threshold(protocol.settings, questionnaires, data / "protocol.toml")
    firing = load_traceability(data, rules)
    lessons = load_lessons(data, knowledge, rules, sources)
    return Catalogue(
        sources,
        rules,
        exercises,
        protocol,
        tuple(avoid),
        knowledge,
        questionnaires,
        firing,
        lessons,
    )


def load_lessons(
    data: Path,
    knowledge: s.KnowledgeFile,
    rules: Mapping[str, s.Rule],
    sources: Mapping[str, s.Source],
) -> tuple[s.Lesson, ...]:
    """The lessons of ``education.toml``: unique ids, each naming a knowledge page, a rule and
    sources that exist (the schema keeps each day within week 1)."""
    path = data / "education.toml"
    lessons = decode(path, s.EducationFile).lesson
    _unique(lessons, path, "lesson")
    topics = {t.id: t for t in knowledge.topic}
    for i, lesson in enumerate(lessons):
        at = f"$.lesson[{i}]"
        _known([lesson.topic], topics, path, f"{at}.topic", "knowledge topic")
        _known([lesson.rule], rules, path, f"{at}.rule", "rule")
        _known(lesson.sources, sources, path, f"{at}.sources", "source")
    return tuple(lessons)


def load_traceability(
    data: Path = DATA, rules: Mapping[str, s.Rule] | None = None
) -> dict[str, tuple[str, ...]]:
    """The generated map of product rules to the tests that make them fire (written by
    ``scripts/generate_traceability.py``); every rule id must exist, and appear once."""
    rules = rules if rules is not None else load_rules(data)
    path = english_only(data, "traceability.toml")
    found: dict[str, tuple[str, ...]] = {}
    for i, entry in enumerate(decode(path, s.TraceabilityFile).firing):
        _known([entry.rule], rules, path, f"$.firing[{i}].rule", "rule")
        if entry.rule in found:
            raise ContentError(_name(path), f"$.firing[{i}].rule", f"duplicate {entry.rule!r}")
        found[entry.rule] = tuple(entry.tests)
    return found


def load_questionnaires(
    data: Path = DATA,
    sources: Mapping[str, s.Source] | None = None,
    values: Mapping[str, str] | None = None,
) -> dict[str, s.Questionnaire]:
    """The outcome questionnaires, with their ids, points and sources checked."""
    values = values if values is not None else placeholder_values(data)
    sources = sources if sources is not None else load_sources(data, values)
    path = data / "questionnaires.toml"
    questionnaires = decode(path, s.QuestionnairesFile, values).questionnaire
    found = _unique(questionnaires, path, "questionnaire")
    for i, questionnaire in enumerate(found.values()):
        at = f"$.questionnaire[{i}]"
        _known(questionnaire.sources, sources, path, f"{at}.sources", "source")
        _check_questionnaire(questionnaire, path, at)
    for asked in (q.KUJALA, q.WEEKLY_PAIN, q.FEAR_OF_MOVEMENT):
        if asked not in found:
            raise ContentError(
                _name(path), "$.questionnaire", f"missing {asked!r}: the engine asks for it"
            )
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
    _check_ladder_steps(protocol, path)
    _check_pain_model(protocol.settings, path)
    _check_reachable(protocol, exercises, path)


def _check_reachable(
    protocol: s.ProtocolFile, exercises: Mapping[str, s.Exercise], path: Path
) -> None:
    """Every strength exercise of the library is prescribed somewhere (a phase, a gate, the
    warm-up, the after-run routine, or as a substitute or regression of one of those), or is
    listed in ``library_only`` with why: an exercise with doses that no phase names is never
    shown to a runner (the open-chain knee extension once was)."""
    reach = set(protocol.warm_up) | {a.exercise for a in protocol.after_run}
    for phase in protocol.phase:
        reach |= {*phase.exercises, *phase.daily_exercises}
        for gate in phase.gates:
            reach |= {getattr(gate, "exercise", None), *getattr(gate, "exercises", [])} - {None}
    for exercise_id in list(reach):
        exercise = exercises[exercise_id]
        reach |= set(exercise.substitutes)
        if exercise.regression is not None and exercise.regression.exercise:
            reach.add(exercise.regression.exercise)
    _known(protocol.library_only, exercises, path, "$.library_only", "exercise")
    for exercise_id in protocol.library_only:
        if exercise_id in reach:
            raise ContentError(
                _name(path), f"$.library_only.{exercise_id}", "is prescribed: not library-only"
            )
    for exercise in exercises.values():
        if exercise.category == "strength" and exercise.id not in reach | set(
            protocol.library_only
        ):
            raise ContentError(
                _name(path),
                "$.phase",
                f"strength exercise {exercise.id!r} is in no phase: prescribe it or list it "
                "in library_only with why",
            )


def _check_pain_model(settings: s.Settings, path: Path) -> None:
    """One pain model for running and exercise: GREEN up to ``green_max_pain``, AMBER above it
    up to ``amber_max_pain``, RED above; a run and an exercise both stop where RED begins, and a
    day's worst pain is not RED below the session's RED line."""
    at = "$.settings"
    s_ = settings
    if not s_.green_max_pain < s_.amber_max_pain:
        raise ContentError(
            _name(path), f"{at}.amber_max_pain", "the AMBER ceiling must be above the GREEN one"
        )
    for name in ("stop_run_pain_above", "stop_exercise_pain_above"):
        if getattr(s_, name) != s_.amber_max_pain:
            raise ContentError(
                _name(path),
                f"{at}.{name}",
                f"must equal amber_max_pain ({s_.amber_max_pain}): a run or an exercise stops "
                "where RED begins",
            )
    if s_.day_worst_pain_red_above < s_.amber_max_pain:
        raise ContentError(
            _name(path),
            f"{at}.day_worst_pain_red_above",
            f"must be at least amber_max_pain ({s_.amber_max_pain})",
        )


MAX_RUNG_STEP_RATIO = 1.35
"""After the ladder's first step, no rung has more than 35 % more minutes of running than the
one before it (issue 12; Trials 2023's template uses small steps), nor fewer."""


def _check_ladder_steps(protocol: s.ProtocolFile, path: Path) -> None:
    running = [r.run_minutes * r.repeats for r in protocol.rung]
    for i in range(2, len(running)):
        before, now = running[i - 1], running[i]
        if not before <= now <= before * MAX_RUNG_STEP_RATIO:
            raise ContentError(
                _name(path),
                f"$.rung[{i}]",
                f"{now} minutes of running after {before}: a rung after the second may add at "
                f"most {MAX_RUNG_STEP_RATIO * 100 - 100:.0f} % and never go down",
            )


def _check_avoid(
    avoid: Iterable[s.Avoid],
    exercises: Mapping[str, s.Exercise],
    sources: Mapping[str, s.Source],
    path: Path,
) -> None:
    for i, entry in enumerate(avoid):
        _known(entry.alternatives, exercises, path, f"$.avoid[{i}].alternatives", "exercise")
        _known(entry.sources, sources, path, f"$.avoid[{i}].sources", "source")
        _check_avoided_exercise(entry, exercises.get(entry.id), path, f"$.avoid[{i}]")


def _check_avoided_exercise(
    entry: s.Avoid, exercise: s.Exercise | None, path: Path, at: str
) -> None:
    """An exercise of the library that is avoided in a phase has no dose there, so no session,
    warm-up or cross-training of that phase can offer it (cycling is left out in phase 1)."""
    if exercise is None:
        return
    for phase in entry.avoid_in_phases:
        if any(d.phase <= phase for d in exercise.doses):
            raise ContentError(
                _name(path),
                f"{at}.avoid_in_phases",
                f"{exercise.id!r} is avoided in phase {phase} but has a dose for it",
            )


def _check_knowledge(
    k: s.KnowledgeFile,
    sources: Mapping[str, s.Source],
    path: Path,
    rules: Mapping[str, s.Rule],
) -> None:
    terms = {t.id: t for t in k.glossary}
    for i, topic in enumerate(k.topic):
        _known(topic.rules, rules, path, f"$.topic[{i}].rules", "rule")
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
    if len(choices) != len(items) or total != questionnaire.max_score:
        raise ContentError(
            _name(path),
            f"{at}.item",
            f"choice item maxima must sum to {questionnaire.max_score}, got {total}",
        )


def _check_fear_threshold(
    settings: s.Settings, questionnaires: Mapping[str, s.Questionnaire], path: Path
) -> None:
    """A high fear-of-movement score must be a score the screen can reach."""
    top = questionnaires[q.FEAR_OF_MOVEMENT].max_score
    if settings.fear_screen_high_from > top:
        raise ContentError(
            _name(path),
            "$.settings.fear_screen_high_from",
            f"{settings.fear_screen_high_from} is above the screen's highest score, {top}",
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


def engine_protocol(
    protocol: s.ProtocolFile,
    exercises: Mapping[str, s.Exercise],
    lessons: tuple[Lesson, ...] = (),
) -> p.Protocol:
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
        lessons,
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


def catalogue(language: str | None = None) -> Catalogue:
    """The shipped catalogue in ``language`` (default: the current one, ``content.locale``),
    loaded once per process and language."""
    return _catalogue(language or locale.current())


@cache
def _catalogue(language: str) -> Catalogue:
    return cached_catalogue(locale.data_folder(language))


def cached_catalogue(data: Path = DATA) -> Catalogue:
    """``load_catalogue(data)``, kept between runs (``content.cache``): checking and rendering
    every file costs each command line answer about 15 ms, reading the checked catalogue back
    2 ms. It is found by a hash of the bytes of every file the catalogue is made from and of
    the code that checks and renders them, so a changed file is never served stale; a missing
    or unreadable copy is loaded afresh, and content with a problem is never kept."""
    check_complete(data)  # what a translation lacks is not in the hash
    cached = cache_dir() / f"catalogue-{_catalogue_key(data)}.msgpack"
    try:
        return _catalogue_decoder().decode(cached.read_bytes())
    except (OSError, msgspec.DecodeError):  # a ValidationError is a DecodeError
        pass
    found = load_catalogue(data)
    write_atomically(cached, msgspec.msgpack.encode(found))
    keep_newest(cached.parent.glob("catalogue-*.msgpack"), KEPT_CATALOGUES)
    return found


KEPT_CATALOGUES = 8
"""Checked catalogues kept at most (one a language, a version, a checkout...): each is
400 kB, and every change of a file or of the code makes another."""


@cache
def _catalogue_decoder() -> msgspec.msgpack.Decoder[Catalogue]:
    return msgspec.msgpack.Decoder(Catalogue)


_CODE = Path(__file__).resolve().parent.parent


def _catalogue_key(data: Path) -> str:
    """A hash of what ``load_catalogue(data)`` reads (a translation reads some English files
    too), and of the content's and the engine's code (a check or a rendered number may
    change with them)."""
    digest = hashlib.sha256()
    folders = [
        (folder / sub)
        for folder in dict.fromkeys([data, DATA])
        for sub in ("", "rules", "exercises")
    ]
    files = [p for folder in folders for p in sorted(folder.glob("*.toml"))]
    files += sorted((_CODE / "content").glob("*.py")) + sorted((_CODE / "engine").glob("*.py"))
    for path in files:
        raw = path.read_bytes()
        digest.update(f"{path}\0{len(raw)}\0".encode())
        digest.update(raw)
    return digest.hexdigest()[:32]


def protocol(language: str | None = None) -> p.Protocol:
    """The shipped protocol as engine values (its names in ``language``, default the current
    one), loaded once per process and language."""
    return _protocol(language or locale.current())


@cache
def _protocol(language: str) -> p.Protocol:
    c = _catalogue(language)
    return engine_protocol(c.protocol, c.exercises, engine_lessons(c))


def engine_lessons(c: Catalogue) -> tuple[Lesson, ...]:
    """The catalogue's lessons as engine values, each titled as its knowledge page."""
    titles = {t.id: t.title for t in c.knowledge.topic}
    return tuple(
        Lesson(x.id, x.topic, titles[x.topic], x.day, x.minutes, x.rule) for x in c.lessons
    )


@cache
def answers(data: Path = DATA) -> s.AnswersFile:
    """What the content says of the contract's answers: the informational ones (read by no
    rule, with why) and the warning signs outside ``signs``. Each field must name a field of its
    document's schema (``tests/unit/engine/test_every_answer_is_read.py`` checks it)."""
    path = data / "answers.toml"
    found = decode(path, s.AnswersFile)
    keys = [("informational", i, (e.document, e.field)) for i, e in enumerate(found.informational)]
    keys += [("warning_sign", i, (e.document, e.field)) for i, e in enumerate(found.warning_sign)]
    seen: set[tuple[str, str]] = set()
    for kind, index, key in keys:
        if key in seen:
            raise ContentError(
                _name(path), f"$.{kind}[{index}].field", f"{key[1]!r} is listed twice"
            )
        seen.add(key)
    return found


def movement_file(data: Path = DATA) -> s.MovementFile:
    """The movement check's settings and video limits (``movement.toml``), checked: a clip
    tracked fairly is tracked better than one tracked poorly."""
    path = data / "movement.toml"
    found = decode(path, s.MovementFile)
    if found.settings.fair_share >= found.settings.good_share:
        raise ContentError(_name(path), "$.settings.fair_share", "must be below good_share")
    return found


def engine_movement_settings(found: s.MovementFile) -> Any:
    """``movement.toml``'s settings as the engine's ``MovementSettings``."""
    from runrehab.engine.movement import MovementSettings

    fields = msgspec.structs.asdict(found.settings)
    fields.pop("notes")
    return MovementSettings(**fields)
