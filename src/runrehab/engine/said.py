"""What the engine means by a detail, as words' key and facts, not as an English sentence.

A detail a runner reads ("3 of at least 7 days in the phase") is a ``Said``: the key of a text
of ``content/data/words/details.toml`` and the facts it names (numbers, days, names, and other
``Said`` for its parts). The services put it in the reader's language (``services.details``);
``english`` renders it with the engine's own English table, which is the English words file's
text for each key (a test holds them equal), for the ``detail`` strings the engine has always
given (journals, exports, the command line's JSON).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from string import Template


@dataclass(frozen=True, slots=True)
class Said:
    """The text named ``key`` (in ``words/details.toml``) and the facts it names."""

    key: str
    facts: tuple[tuple[str, object], ...] = ()


def said(key: str, /, **facts: object) -> Said:
    return Said(key, tuple(facts.items()))


def semicolons(items: tuple[Said, ...]) -> Said:
    """``items`` one after the other, parted by semicolons ("a; b; c")."""
    first, *rest = items
    return first if not rest else said("semicolon", first=first, rest=semicolons(tuple(rest)))


@dataclass(frozen=True, slots=True)
class Km:
    """A distance in kilometres: the reader gets it in their units (km or miles)."""

    value: float


@dataclass(frozen=True, slots=True)
class Iso:
    """A day the engine's English has always written as ``2026-12-08``; a reader gets it
    written their way."""

    day: date


@dataclass(frozen=True, slots=True)
class Speaker:
    """How to put a ``Said`` in one language: its texts by key, and how it writes a day, a
    number and a list of days."""

    text: Callable[[str], str]
    day: Callable[[date], str]
    number: Callable[[float], str]
    joined: Callable[[list[str]], str]
    """Days of a list ("Mon 7 Dec and Tue 8 Dec"); other lists are joined with commas."""
    iso: Callable[[date], str] = date.isoformat
    distance: Callable[[float], str] = lambda km: f"{km:.1f} km"


def spoken(thing: Said, speaker: Speaker) -> str:
    """``thing`` in the speaker's language: each fact written as the speaker writes it."""
    values = {name: _fact(value, speaker) for name, value in thing.facts}
    return Template(speaker.text(thing.key)).substitute(values)


def _fact(value: object, speaker: Speaker) -> str:
    if isinstance(value, Said):
        return spoken(value, speaker)
    if isinstance(value, Iso):
        return speaker.iso(value.day)
    if isinstance(value, Km):
        return speaker.distance(value.value)
    if isinstance(value, date):
        return speaker.day(value)
    if isinstance(value, tuple):
        items = [_fact(v, speaker) for v in value]
        if all(isinstance(v, date) for v in value):
            return speaker.joined(items)
        return ", ".join(items)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return speaker.number(value)
    return str(value)


def day_words(d: date) -> str:
    """A day as the English details write it: "Tue 8 Dec"."""
    return f"{d:%a} {d.day} {d:%b}"


ENGLISH: Mapping[str, str] = {
    "fits_runners_knee": "pain $where, brought on by $what, that came on gradually",
    "both": "$first and $second",
    "place_around_kneecap": "around kneecap",
    "place_behind_kneecap": "behind kneecap",
    "provoked_running": "running",
    "provoked_stairs_down": "stairs down",
    "provoked_stairs_up": "stairs up",
    "provoked_squatting": "squatting",
    "provoked_prolonged_sitting": "prolonged sitting",
    "provoked_kneeling": "kneeling",
    "provoked_jumping": "jumping",
    "provoked_downhill_running": "downhill running",
    "gate_min_days": "$days of at least $least days in the phase",
    "gate_ladder_complete": "walk/run ladder complete",
    "gate_on_rung": "on rung $rung of the walk/run ladder",
    "gate_worst_pain": "worst pain at most $threshold/10 on $days days in a row",
    "gate_green_sessions": "$sessions GREEN sessions in a row with every set done",
    "gate_green_sessions_on": "$sessions GREEN sessions in a row with every set done ($days)",
    "gate_exercise_done": "$name $sets×$reps on $day at pain $pain/10",
    "gate_exercise_failed": "$name $sets×$reps on $day: $why",
    "gate_exercise_not_yet": "$name $sets×$reps at pain $pain/10 or less: not reported yet",
    "gate_walk_done": "$minutes-minute $what on $day at pain $pain/10 without a limp",
    "gate_walk_failed": "$minutes-minute $what on $day: $why",
    "gate_walk_not_yet": "a $minutes-minute brisk walk at pain $pain/10 or less: not reported yet",
    "walk": "walk",
    "run": "run",
    "red_day": "a RED day",
    "only_done": "only $sets×$reps done",
    "pain_not_reported": "the highest pain during it was not reported",
    "pain_above": "at pain $pain/10, above $limit/10",
    "with_limp": "with a limp",
    "pain_rose": "the pain rose during it",
    "shorter_than": "shorter than $minutes minutes",
    "triage_says": "triage says $disposition",
    "disposition_emergency": "emergency",
    "disposition_urgent": "urgent",
    "disposition_see_clinician": "see_clinician",
    "disposition_self_manage": "self_manage",
    "rest_pain_over": "pain at rest $pain/10 (limit $limit)",
    "rest_pain": "pain at rest $pain/10",
    "no_running_before": "no running before $day",
    "not_a_training_day": "$day is not a training day",
    "ran_on": "ran on $day",
    "signs": "$signs",
    "sign_limp": "a limp",
    "sign_swelling": "swelling",
    "sign_giving_way": "giving way",
    "sign_stride": "the last run changed your stride",
    "last_run_pain": "last run pain $pain/10",
    "last_run_pain_rising": "last run pain $pain/10, rising",
    "worse_this_morning": "worse this morning",
    "slow_over_a_day": "pain after the last run took more than 24 hours to settle",
    "runs_this_week": "$runs runs in the six days before today; your usual is $limit a week",
    "ran_next_run": "ran on $last; the next run can be on $next",
    "last_run_next_run": "last run on $last; the next run can be on $next",
    "settling_not_reported": "settling time of the last run not reported",
    "settled_after": "pain took $minutes minutes to settle",
    "watch_run_not_reported": "your watch recorded a run on $day that no check-in reports",
    "check_in_first": "check in before you run",
    "say_morning": "say how the knee felt this morning",
    "cadence_target": "your usual step rate $usual a minute (median of $runs runs): aim for "
    "$low–$high; set the metronome to $bpm beats a minute",
    "lesson": "$title ($when)",
    "lesson_day": "day $day",
    "lesson_carried": "due on day $day, still to read",
    "worry_high": "your worry check scored $score on $day; $high or more is high",
    "walk_day": "the $minutes-minute brisk walk today, loaded work on the next training day",
    "warm_up": "$name, $minutes minutes",
    "starting_doses": "the starting doses of phase $phase",
    "weekday_mon": "mon",
    "weekday_tue": "tue",
    "weekday_wed": "wed",
    "weekday_thu": "thu",
    "weekday_fri": "fri",
    "weekday_sat": "sat",
    "weekday_sun": "sun",
    "run_on": "run on $day: $minutes minutes",
    "run_on_km": "run on $day: $minutes minutes, $distance",
    "run_add_to_checkin": "$run: add it to that day's check-in",
    "broke_cap_minutes": "$run; the longest of the $days days before was $longest minutes, "
    "so the limit was $limit",
    "broke_cap_km": "$run; the longest of the $days days before was $longest, so the limit was "
    "$limit",
    "hills": "hills",
    "speed_work": "speed work",
    "hills_and_speed": "hills and speed work",
    "hills_too_soon": "$run had $what",
    "hills_too_soon_until": "$run had $what; they come back from $day",
    "week_km_over": "$distance from $start to $end; half your usual week is $limit",
    "week_minutes_over": "$minutes minutes from $start to $end; half your usual week is $limit",
    "planned_over_cap": "run planned on $day: $minutes minutes, over the limit of $limit minutes",
    "planned_over_cap_km": "run planned on $day: $minutes minutes, over the limit of $limit "
    "minutes or $distance",
    "rebuild_target": "rebuild week $week: $percent % of your usual $usual minutes a week "
    "($source), over $runs runs: a run of $minutes minutes",
    "usual_from_watch": "from your watch, the $weeks weeks before the pain",
    "usual_reported": "as you reported it",
    "usual_unknown": "not known: the ladder's last run",
    "no_recent_run_cap": "no run in the last $days days: at most $minutes minutes",
    "capped_at": "capped at $minutes minutes: $percent % of your longest run of the last $days "
    "days ($longest minutes on $day)",
    "hills_back_now": "hills or faster running may come back now: one at a time, not both in one "
    "week",
    "flat_until": "flat and easy until $day",
    "session_pain": "pain $pain/10 during exercise or running",
    "worst_pain_day": "worst pain $pain/10 in the last 24 hours",
    "run_pain_rose": "pain rose during the run",
    "stride_changed": "the pain changed your stride",
    "morning_worse": "the knee was worse this morning",
    "knee_gave_way": "the knee gave way",
    "slow_to_settle": "pain took more than an hour to settle after the run",
    "settling_unknown": "how fast the pain settled was not reported",
    "red_days": "$days RED days in the last $window days",
    "green_at_rung": "$sessions GREEN sessions at rung $rung",
    "no_run_since": "no run since $day",
    "semicolon": "$first; $rest",
    "not_before_day": "phase $phase starts on day $day at the earliest",
    "extra_days_set": "$days extra days set",
    "ready_since": "ready since $day; running starts after $days more days",
    "stalled_days": "$days days without moving on from phase $phase",
    "stalled_weeks": "$weeks weeks without moving on from phase $phase",
    "dose_step": "dose step $step",
    "rf_deformed_after_injury": "the knee looks deformed after an injury",
    "rf_foot_numb": "the foot is numb, cold or pale",
    "rf_calf_and_breathless": "calf pain or swelling with breathlessness or chest pain",
    "rf_breathless": "breathlessness or chest pain",
    "rf_swelling_after_injury": "swelling that came on soon after an injury",
    "rf_marked_swelling": "marked swelling of the knee",
    "rf_locked": "the knee is locked",
    "rf_kneecap_out": "the kneecap came out of place",
    "rf_warm_swollen": "a warm or red knee with swelling or fever",
    "rf_infection_risk": "swelling, warmth or redness with diabetes, a weak immune system, "
    "or a recent injection or operation on the knee",
    "rf_calf": "calf pain or swelling",
    "rf_deformed": "the knee looks deformed",
    "rf_fever": "a fever, or feeling unwell",
    "rf_walking_limp": "walking with a limp",
    "rf_hip_thigh": "hip, groin or thigh pain",
    "rf_hot": "hot",
    "rf_red": "red",
    "rf_unwell": "fever or unwell",
    "rf_cannot_walk_4": "cannot take 4 steps",
    "rf_cannot_bend_90": "cannot bend the knee to 90°",
    "rf_tender_bone": "tender kneecap or bony point",
    "rf_ottawa_age": "age $age (Ottawa rules: $limit or over)",
    "rf_after_injury": "after an injury: $signs",
    "rf_pop_cannot_straighten": "a pop, then cannot straighten the knee or lift the straight leg",
    "rf_injury_cannot_straighten": "after an injury, cannot straighten the knee or lift the "
    "straight leg",
    "rf_young_limp": "age $age with a limp or hip, groin or thigh pain",
    "rf_wakes_at_night": "pain that wakes you at night",
    "rf_constant_pain": "constant pain not eased by rest",
    "rf_weight_loss": "unexplained weight loss",
    "rf_cancer": "a history of cancer",
    "rf_hard_lump": "a hard lump near the knee",
    "rf_catching": "catching",
    "rf_visible_swelling": "visible swelling",
    "rf_stiffness": "morning stiffness of $minutes minutes",
    "rf_swelling_mild": "mild swelling",
    "rf_swelling_marked": "marked swelling",
    "running_pain_fine": "running pain $pain/10, stable, settles within 24 hours, stride unchanged",
    "not_running_now": "not running at present",
    "running_pain_not_given": "running pain not given",
    "running_pain_above": "running pain $pain/10 is above $limit/10",
    "pain_rises_in_run": "pain rises during the run",
    "pain_not_settling": "pain does not settle within 24 hours",
    "pain_changes_stride": "the pain changes your stride",
    "limping": "you are limping",
    "rest_pain_above": "pain at rest $pain/10 is above $limit/10",
    "loaded_yesterday": "loaded work was done yesterday",
    "loaded_this_week": "$sessions loaded sessions in the last 7 days already",
    "test_report": "$name $sets×$reps: report its highest pain",
    "test_report_sides": "$name $sets×$reps each side: report its highest pain",
    "instead_of": "$substitute instead of $exercise",
    "left_out_needs": "$name left out: needs $gear",
    "gear_resistance_band": "resistance_band",
    "gear_step": "step",
    "gear_wall": "wall",
    "gear_box_or_chair": "box_or_chair",
    "gear_foam_roller": "foam_roller",
    "gear_massage_ball": "massage_ball",
    "gear_gym": "gym",
    "gear_pool": "pool",
    "gear_bike": "bike",
    "gear_elliptical": "elliptical",
    "rung_down": "one rung down today: rung $rung",
    "repeats_today": "$repeats of $total repeats today",
    "capped_minutes": "capped at $minutes minutes",
    "capped_distance": "capped at $distance",
    "quarter_shorter": "a quarter shorter today",
    "walk_waits": "the brisk walk waits for a day without loaded work",
    "walk_test_report": "a $minutes-minute brisk walk: report its highest pain and any limp",
    "left_out_to_fit": "$name left out to fit $budget minutes",
    "no_warm_up_to_fit": "no separate warm-up (nothing loaded and no run today), to fit $budget "
    "minutes",
    "after_run_left_out": "the after-run $name left out to fit $budget minutes",
    "shortened_to": "$name shortened to $minutes minutes",
    "listed": "$items",
    "worst_pain_rising": "worst pain $first → $second → $third/10 in the reports of $days",
    "kujala_change": "Kujala $base → $last ($change; a change of $mic matters)",
    "worst_pain_change": "worst pain $base → $last/10 ($change; a drop of $mic matters)",
    "r7_assumes": "R7 assumes $percent adherence; referred whatever the adherence",
    "adherence_unknown": "adherence unknown ($rule)",
    "adherence_logged": "training logged on $percent of days ($rule)",
}
"""The English of every key the engine says (``words/details.toml`` holds the same texts)."""

ENGLISH_SPEAKER = Speaker(
    text=lambda key: ENGLISH[key],
    day=day_words,
    number=lambda n: f"{n:g}",
    joined=" and ".join,
)


def english(thing: Said) -> str:
    """``thing`` in English, as the engine's ``detail`` strings read."""
    return spoken(thing, ENGLISH_SPEAKER)
