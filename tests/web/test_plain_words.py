"""Plain words first, evidence one tap away (issue 16, item 2).

Today, the plan and the knee check's result lead with what to do; the reasons, their sources and
the rule ids sit in a "Why?" drawer that starts closed. The words a runner sees without opening
anything carry no rule id, no source line and none of the programme's internal jargon, and a
term that needs it is explained where it stands. No library page shows a repository path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.web.conftest import Browser, ProgrammeRunner
from tests.web.test_onboarding import TYPICAL_STEPS, walk

JARGON = re.compile(r"\b(?-i:GREEN|AMBER)\b|full dose|\bgates?\b|pathway", re.IGNORECASE)
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


@dataclass
class _Drawer:
    open: bool
    summary: str = ""
    text: list[str] = field(default_factory=list)


class Reading(HTMLParser):
    """A page as a runner first sees it: the text outside closed ``<details>`` (a drawer's
    summary is seen), each drawer with its text, and where the rule ids and sources are."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.drawers: list[_Drawer] = []
        self._open_drawers: list[_Drawer] = []
        self.seen: list[str] = []
        self.chips_in_sight: list[str] = []
        self.chips_in_drawers: list[str] = []
        self._chip_depth: int | None = None
        self._in_main = False
        self._skip = 0

    def _hidden(self) -> bool:
        return any(hides for _, hides in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "main":
            self._in_main = True
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _VOID:
            return
        hides = False
        if tag == "details":
            drawer = _Drawer(open="open" in a)
            self.drawers.append(drawer)
            self._open_drawers.append(drawer)
            hides = not drawer.open
        if tag == "summary" and self.stack and self.stack[-1][0] == "details":
            # a closed drawer's summary is in sight: lift the drawer's hiding for it
            self.stack[-1] = ("details", False)
            hides = False
            self.stack.append(("summary", False))
            return
        self.stack.append((tag, hides))
        if "rule-id" in classes or "source" in classes:
            self._chip_depth = len(self.stack)
            (self.chips_in_drawers if self._hidden() else self.chips_in_sight).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in _VOID:
            return
        while self.stack:
            top, _ = self.stack.pop()
            if self._chip_depth is not None and len(self.stack) < self._chip_depth:
                self._chip_depth = None
            if top == "summary" and self.stack and self.stack[-1][0] == "details":
                drawer = self._open_drawers[-1]
                self.stack[-1] = ("details", not drawer.open)
            if top == "details":
                self._open_drawers.pop()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._in_main or self._skip:
            return
        if self._chip_depth is not None:
            chips = self.chips_in_drawers if self._hidden() else self.chips_in_sight
            chips[-1] += data
        if self._open_drawers:
            drawer = self._open_drawers[-1]
            if self.stack and self.stack[-1][0] == "summary":
                drawer.summary += data
            else:
                drawer.text.append(data)
        if not self._hidden():
            self.seen.append(data)

    @property
    def text_in_sight(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.seen))


def read(html: str) -> Reading:
    reading = Reading()
    reading.feed(html)
    reading.close()
    return reading


def why_drawers(reading: Reading) -> list[_Drawer]:
    return [d for d in reading.drawers if d.summary.strip().startswith("Why")]


def assert_plain(html: str, first_rule: str) -> Reading:
    """What a page must be: the first reason in a closed "Why?" drawer, no rule id or source in
    sight, no repository path and no jargon."""
    reading = read(html)
    drawers = why_drawers(reading)
    assert drawers, "no Why? drawer"
    first = drawers[0]
    assert not first.open and first.summary.strip() == "Why?"
    assert first_rule in "".join(first.text), f"{first_rule} is not in the first Why? drawer"
    assert all(not d.open for d in drawers)
    assert reading.chips_in_drawers, "the rule ids went missing"
    assert reading.chips_in_sight == [], f"rule ids or sources in sight: {reading.chips_in_sight}"
    seen = reading.text_in_sight
    assert "Source:" not in seen and "shared/" not in html
    assert not JARGON.search(seen), f"jargon in sight: {JARGON.findall(seen)}"
    return reading


def test_today_leads_with_what_to_do_and_folds_the_why(
    runner_with_programme: ProgrammeRunner,
) -> None:
    html = runner_with_programme.page("/today").text
    reading = assert_plain(html, "n1-no-running-in-this-phase")
    seen = reading.text_in_sight
    # what to do comes first: the answer and the headline before any drawer
    assert seen.index("Can I run today?") < seen.index("Why?")
    assert "Exercises" in seen


def test_the_plan_folds_reasons_sources_and_check_ids_and_explains_its_terms(
    runner_with_programme: ProgrammeRunner,
) -> None:
    html = runner_with_programme.page("/plan").text
    reading = assert_plain(html, "pathway-rest-and-rebuild")
    seen = reading.text_in_sight
    assert "Your route" in seen and "(the kind of plan your knee check chose)" in seen
    assert '<dfn id="term-pathway">' in html
    # the current phase's checks are in sight, their ids only in its drawer
    assert "At least 3 days in this phase." in seen
    assert "p1-min-days" not in seen and "p1-min-days" in html
    # the first week is in sight; later weeks and phases one tap away
    assert "Tue 1 Dec (today)" in seen and "Wed 23 Dec" not in seen and "Wed 23 Dec" in html


def test_the_knee_check_result_leads_with_the_answer_and_folds_the_why(runner: Browser) -> None:
    assert walk(runner, TYPICAL_STEPS).status_code == 303
    html = runner.page("/start/result").text
    reading = assert_plain(html, "sm-fits-runners-knee")
    seen = reading.text_in_sight
    assert seen.index("Your plan:") < seen.index("Your first week")
    assert "pathway-rest-and-rebuild" not in seen and "pathway-rest-and-rebuild" in html


def test_no_library_page_shows_a_repository_path(runner: Browser) -> None:
    link = re.compile(r'href="(/library[^"#?]*)"')
    todo, seen = ["/library"], {"/library"}
    while todo:
        path = todo.pop()
        page = runner.page(path)
        assert page.status_code == 200, path
        if "html" not in page.headers.get("content-type", ""):
            continue
        assert "shared/" not in page.text, f"{path} shows a repository path"
        for found in link.findall(page.text):
            if found not in seen:
                seen.add(found)
                todo.append(found)
    assert len(seen) > 100  # every rule, exercise, topic and glossary page was read
