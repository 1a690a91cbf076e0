"""No text can break a runner's journal (issue 13, finding 1).

Arbitrary Unicode (lone surrogates, NUL and other control characters included, and invalid
UTF-8 bytes in forms) is thrown at every text field of every document and form a runner can
send: the check-in's notes, exercise ids and watch-run id, questionnaire answers, the account's
name, time zone and passwords, the check-in, sign-up and log-in forms, the library search. Text
that breaks the rule is refused with its place named; text that passes is stored. Either way
every page and every API answer of that runner still answers without a 5xx, and the runner can
still export their data.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrehab.text import bad_texts, text_problem
from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD, ProgrammeRunner, api_routes

NASTY = ["\ud800", "a\udfffb", "\x00", "x\x07y", "\x1b[31m", "\u202e", "\ufffe", "\x85", "é\u0301"]
TEXT = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=()), max_size=24),
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY), min_size=1, max_size=3).map("".join),
)
EXAMPLES = 12


def _json(me: ProgrammeRunner, method: str, path: str, body: Any) -> Any:
    """Send ``body`` as JSON text, lone surrogates escaped as JSON allows ("\\ud800")."""
    headers = {"Content-Type": "application/json", "X-CSRF-Token": me.csrf}
    return me.client.request(method, path, content=json.dumps(body).encode(), headers=headers)


def _form(me: ProgrammeRunner, path: str, fields: dict[str, str]) -> Any:
    """Post a form whose values may hold bytes that are not UTF-8 at all."""
    pairs = {"csrf_token": me.csrf, **fields}
    body = "&".join(
        f"{quote(k.encode('utf-8', 'surrogatepass'))}={quote(v.encode('utf-8', 'surrogatepass'))}"
        for k, v in pairs.items()
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return me.client.post(path, content=body.encode(), headers=headers, follow_redirects=False)


def _refused_or_kept(answer: Any, text: str, kept: tuple[int, ...] = (200, 201, 303)) -> None:
    assert answer.status_code < 500, answer.text[:300]
    if text_problem(text) is not None:
        assert answer.status_code in (400, 409, 422), (answer.status_code, answer.text[:300])
    else:
        assert answer.status_code in (*kept, 400, 409, 422), answer.text[:300]


def _checkin(day: str, notes: str, exercise: str, activity: str) -> dict[str, Any]:
    return {
        "date": day,
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 2},
        "this_morning_vs_usual": "same",
        "signs": {"swelling": "none", "limp": False, "giving_way": False},
        "exercises": [{"id": exercise, "sets": 3, "reps": 10, "max_pain": 1}],
        "run": {"minutes": 10, "max_pain": 1, "activity_id": activity},
        "notes": notes,
    }


def _readable_paths(client: TestClient) -> list[str]:
    """Every GET page and API answer of the app, with its path filled in for this runner."""
    fill = {
        "activity_id": "none",
        "exercise_id": "clamshell",
        "topic": "what-is-runners-knee",
        "rule_id": "d1-amber-last-run",
        "name": "pain",
        "job_id": "none",
        "instrument": "kujala",
        "path": "style.css",
        "lesson_id": "pain-and-load",
    }
    paths = []
    for route in api_routes(client.app.routes):  # type: ignore[attr-defined]
        if "GET" not in (route.methods or ()):
            continue
        names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        if any(n not in fill for n in names):
            continue
        path = re.sub(r"{(\w+)(?::\w+)?}", lambda m: fill[m.group(1)], route.path)
        if path not in ("/api/docs", "/docs"):
            paths.append(path)
    found = sorted(set(paths))
    assert len(found) > 40, found  # the walk really reaches the app's pages and answers
    return found


def test_arbitrary_text_anywhere_never_breaks_a_page_or_an_answer(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    me.page("/today")
    quick = ["/api/v1/checkins", "/api/v1/history", "/api/v1/export", "/api/v1/today"]
    quick += ["/checkin", "/today", "/api/v1/account"]
    start, seen = clock.current, []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(texts=st.lists(TEXT, min_size=6, max_size=6))
    def throw(texts: list[str]) -> None:
        notes, exercise, activity, answer, name, search = texts
        # a new day each time, within the session's life however long Hypothesis searches
        seen.append(1)
        clock.current = start + timedelta(days=len(seen) % 20)
        day = clock.now().date().isoformat()
        doc = _checkin(day, notes, exercise, activity)
        sent = _json(me, "POST", "/api/v1/checkins", doc)
        assert sent.status_code < 500, sent.text[:300]
        if list(bad_texts(doc)):
            assert sent.status_code == 422
            fields = {e["field"] for e in sent.json()["errors"]}
            assert fields == {path for path, _ in bad_texts(doc)}
        _refused_or_kept(
            _json(me, "POST", "/api/v1/questionnaires/weekly_pain", {"answers": {answer: answer}}),
            answer,
        )
        _refused_or_kept(_json(me, "PUT", "/api/v1/account/timezone", {"timezone": name}), name)
        _refused_or_kept(
            _json(
                me,
                "PUT",
                "/api/v1/account/password",
                {"current_password": name, "new_password": search},
            ),
            name,
            kept=(204, 429),  # wrong current passwords: the re-check throttle may say wait
        )
        _refused_or_kept(_form(me, "/checkin", {"date": day, "notes": notes}), notes)
        me.page("/today")
        stranger = TestClient(me.client.app, base_url="http://127.0.0.1")
        account = {"email": f"{search}@example.com", "password": PASSWORD, "name": name}
        signed_up = stranger.post(
            "/api/v1/accounts",
            content=json.dumps(account).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert signed_up.status_code < 500, signed_up.text[:300]
        stranger.cookies.clear()
        login = stranger.post(
            "/api/v1/session",
            content=json.dumps({"email": me.email, "password": search}).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert login.status_code < 500
        query = quote(search.encode("utf-8", "surrogatepass"))  # bytes that may not be UTF-8
        assert me.client.get(f"/library/search?q={query}").status_code < 500
        for path in quick:
            assert me.client.get(path).status_code == 200, path

    throw()
    # then every page and API answer, with everything that was kept
    for path in _readable_paths(me.client):
        answer = me.client.get(path)
        assert answer.status_code < 500, f"{path}: {answer.status_code} {answer.text[:300]}"
    assert me.client.get("/api/v1/export").status_code == 200
