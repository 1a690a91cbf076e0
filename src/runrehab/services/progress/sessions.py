"""A projected session (a ``coming_sessions`` document) in words, for the plan page, the calendar
and the report: a one-line title, the exercises with their doses, the run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runrehab.content.words import Words

Doc = dict[str, Any]
"""A session document or a part of it (``services.journal.session_view``), as JSON values."""


@dataclass(frozen=True, slots=True)
class SessionWords:
    """The product's words for a session's parts."""

    words: Words

    def _say(self, key: str, **values: object) -> str:
        return self.words.say(f"plan.session.{key}", **values)

    def dose(self, p: Doc) -> str:
        """ "3 × 10, hold 5 s each side", "2 × 45 s hold" or "5 min"."""
        sets = p["sets"]
        if "reps" in p:
            if "hold_seconds" in p:
                text = self._say("reps_hold", sets=sets, reps=p["reps"], hold=p["hold_seconds"])
            else:
                text = self._say("reps", sets=sets, reps=p["reps"])
        elif "hold_seconds" in p:
            text = self._say("hold", sets=sets, hold=p["hold_seconds"])
        elif "minutes" in p:
            if sets == 1:
                text = self._say("minutes", minutes=p["minutes"])
            else:
                text = self._say("sets_minutes", sets=sets, minutes=p["minutes"])
        else:
            text = self._say("sets", sets=sets)
        return self._say("each_side", dose=text) if p.get("per_side") else text

    def run(self, run: Doc | None) -> str:
        """ "walk/run 1 min run / 2 min walk × 10 (30 min)", "run 20 min continuous" or "no run"."""
        if run is None:
            return self._say("no_run")
        km = run.get("distance_km")
        minutes = {"total": run["total_minutes"]} | ({"km": f"{km:g}"} if km else {})
        if run["kind"] == "walk_run":
            key = "walk_run_km" if km else "walk_run"
            return self._say(
                key,
                run=run["run_minutes"],
                walk=run["walk_minutes"],
                repeats=run["repeats"],
                **minutes,
            )
        return self._say("continuous_km" if km else "continuous", **minutes)

    def title(self, session: Doc) -> str:
        """The calendar line: "Knee programme: phase 3 — 6 exercises, no run"; on hold,
        "Knee programme: on hold — 4 gentle exercises, no run"."""
        held = "hold" in session
        count = len(session["exercises"])
        kind = "gentle_exercises" if held else "exercises"
        parts = [self.words.say_count(f"plan.session.{kind}", count)] if count else []
        where = self._say("on_hold") if held else self._say("phase", n=session["phase"]["number"])
        if not session["training_day"]:
            parts = [session["day_words"], *parts]
        else:
            parts.append(self.run(session["run"]))
            if session["cross_training"] is not None:
                parts.append(session["cross_training"]["name"].lower())
        return self._say("title", where=where, parts=", ".join(parts))

    def lines(self, session: Doc) -> list[str]:
        """The session in full, one line each: warm-up, exercises, run, after-run,
        cross-training, and the lessons to read."""
        phase = session["phase"]
        out = [self._say("phase_line", n=phase["number"], name=phase["name"])]
        if "hold" in session:
            hold = session["hold"]
            out.append(self._say("hold_line", text=hold["text"], rule=hold["rule"]))
        out += [self._say("warm_up", name=p["name"], dose=self.dose(p)) for p in session["warm_up"]]
        if session["exercises"]:
            out.append(self._say("exercises_heading"))
            out += [self._item(p) for p in session["exercises"]]
        run = session["run"]
        if run is not None:
            out.append(self._say("run_line", run=self.run(run)))
            out += [f"- {limit}" for limit in run["limits"]]
        if session["after_run"]:
            out.append(self._say("after_run_heading"))
            out += [self._item(p) for p in session["after_run"]]
        cross = session["cross_training"]
        if cross is not None:
            out.append(self._say("cross_training", name=cross["name"], dose=self.dose(cross)))
        out += [
            self._say("read", title=r["title"], minutes=r["minutes"])
            for r in session.get("reading", [])
        ]
        out.append(self._say("minutes_in_all", minutes=f"{session['estimated_minutes']:g}"))
        return out

    def _item(self, p: Doc) -> str:
        return self._say("item", name=p["name"], dose=self.dose(p))
