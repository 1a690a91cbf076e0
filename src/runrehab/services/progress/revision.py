"""A revision of a runner's journal: changes whenever anything a chart or the report shows
could change, so a drawing is made once per change and the browser's copy is checked by ETag.

The journal has no counter of its own, so the revision is a hash of what each record says
about its own change: a check-in's day and revision, a response's day and time, an activity's
import time, an override's creation and undoing, the programme's dates and decisions. It reads
the records but folds nothing (about 3 ms for a 90-day journal, against 100+ ms to draw). The
day matters too: a day without a check-in is a gap only once it has come. A cache keyed by it
is only an optimisation; the journal stays the one source of truth.
"""

from __future__ import annotations

import hashlib
from datetime import date

from runrehab.services.ports import UnitOfWork


def journal_revision(uow: UnitOfWork, person_id: str, today: date) -> str:
    """A short hash of the runner's records and ``today``."""
    with uow:
        repo = uow.repo
        programmes = repo.programmes(person_id)
        person = repo.get_person(person_id)
        parts: list[object] = [person_id, today.isoformat(), person and person.name]
        parts += [(p.id, p.started_on, p.ended_on, p.state) for p in programmes]
        for p in programmes:
            parts += [(d.day, d.action, d.phase, d.rung, d.colour) for d in repo.decisions(p.id)]
        parts += [(a.version, a.recorded_at) for a in repo.assessments(person_id)]
        parts += [(c.day, c.revision, c.recorded_at) for c in repo.checkins(person_id)]
        parts += [(r.instrument, r.day, r.recorded_at) for r in repo.responses(person_id)]
        parts += [
            (a.id, a.imported_at, a.sport, a.content_hash) for a in repo.activities(person_id)
        ]
        parts += [(o.override, o.created_at, o.undone_at) for o in repo.overrides(person_id)]
        parts += [(n.day, n.created_at) for n in repo.notes(person_id)]
        parts += [(r.lesson_id, r.day) for r in repo.lessons_read(person_id)]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:24]
