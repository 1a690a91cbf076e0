"""A session document (``runrehab.services.journal.session_view.session_view``) in words, for
the calendar and the report: a one-line title, and the exercises with their doses."""

from __future__ import annotations

from typing import Any

View = dict[str, Any]


def dose(p: View) -> str:
    """ "3 × 10, hold 5 s each side", "2 × 45 s hold" or "5 min"."""
    sets = p["sets"]
    if "reps" in p:
        text = f"{sets} × {p['reps']}"
        if "hold_seconds" in p:
            text += f", hold {p['hold_seconds']} s"
    elif "hold_seconds" in p:
        text = f"{sets} × {p['hold_seconds']} s hold"
    elif "minutes" in p:
        text = f"{p['minutes']} min" if sets == 1 else f"{sets} × {p['minutes']} min"
    else:
        text = f"{sets} sets"
    return text + (" each side" if p.get("per_side") else "")


def run_words(run: View | None) -> str:
    """ "walk/run 1 min run / 2 min walk × 10 (30 min)", "run 20 min continuous" or "no run"."""
    if run is None:
        return "no run"
    distance = f", about {run['distance_km']:g} km" if run.get("distance_km") else ""
    if run["kind"] == "walk_run":
        return (
            f"walk/run {run['run_minutes']} min run / {run['walk_minutes']} min walk "
            f"× {run['repeats']} ({run['total_minutes']} min{distance})"
        )
    return f"run {run['total_minutes']} min continuous{distance}"


def title(session: View) -> str:
    """The calendar line: "Knee programme: phase 3 — 6 exercises, no run"; on hold,
    "Knee programme: on hold — 4 gentle exercises, no run"."""
    held = "hold" in session
    count = len(session["exercises"])
    kind = "gentle exercise" if held else "exercise"
    parts = [f"{count} {kind}" + ("" if count == 1 else "s")] if count else []
    where = "on hold" if held else f"phase {session['phase']['number']}"
    if not session["training_day"]:
        return f"Knee programme: {where} — " + ", ".join([session["day_words"], *parts])
    parts.append(run_words(session["run"]))
    if session["cross_training"] is not None:
        parts.append(session["cross_training"]["name"].lower())
    return f"Knee programme: {where} — " + ", ".join(parts)


def lines(session: View) -> list[str]:
    """The session in full, one line each: warm-up, exercises, run, after-run, cross-training,
    and the lessons to read."""
    out = [f"Phase {session['phase']['number']}: {session['phase']['name']}"]
    if "hold" in session:
        hold = session["hold"]
        out.append(f"{hold['text']} (rule {hold['rule']})")
    out += [f"Warm-up: {p['name']}, {dose(p)}" for p in session["warm_up"]]
    if session["exercises"]:
        out.append("Exercises:")
        out += [f"- {p['name']}: {dose(p)}" for p in session["exercises"]]
    run = session["run"]
    if run is not None:
        out.append(f"Run: {run_words(run)}")
        out += [f"- {limit}" for limit in run["limits"]]
    if session["after_run"]:
        out.append("After the run:")
        out += [f"- {p['name']}: {dose(p)}" for p in session["after_run"]]
    cross = session["cross_training"]
    if cross is not None:
        out.append(f"Cross-training: {cross['name']}, {dose(cross)}")
    out += [f"Read: {r['title']}, {r['minutes']} min" for r in session.get("reading", [])]
    out.append(f"About {session['estimated_minutes']:g} minutes in all.")
    return out
