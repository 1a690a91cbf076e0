"""Use case: triage an intake assessment and say what to do next, with every reason.

The answer is a ``TriageView``; ``jsonable`` makes it the document of ``runrehab triage --json``
and ``POST /api/v1/triage`` (the contract's fields and more). Its words (the headline, what is
safe meanwhile, the conditions' names) are the words of ``intake.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from runrehab.content.schema import ProtocolFile
from runrehab.content.words import Words, shipped_words
from runrehab.engine.assessment import Assessment
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.protocol import Settings, TriageSettings
from runrehab.engine.triage import TriageResult, triage
from runrehab.engine.values import Disposition, Reason
from runrehab.services.intake.conditions import name_of
from runrehab.services.reasons import ReasonBook, ReasonView
from runrehab.services.views import jsonable

if TYPE_CHECKING:
    from runrehab.services.content import ProgrammeContent

SCHEMA_VERSION = 1


def reasons_of(book: ReasonBook, reasons: Iterable[Reason]) -> tuple[ReasonView, ...]:
    """``reasons`` described by the rules catalogue, each once."""
    return book.views(reasons)


def reason_of(book: ReasonBook, reason: Reason) -> ReasonView:
    return book.view(reason)


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Differential:
    """A condition triage considered, and whether the answers fit it."""

    condition: str
    name: str
    fits: bool
    rule: str


@dataclass(frozen=True, slots=True)
class StartPhase:
    number: int
    name: str
    goal: str


@dataclass(frozen=True, slots=True)
class PathwayAnswer:
    """The pathway self-management starts on, and why."""

    id: str
    name: str
    summary: str
    running: str
    start_phase: StartPhase
    phases: tuple[int, ...]
    reasons: tuple[ReasonView, ...]


@dataclass(frozen=True, slots=True)
class TriageView:
    """What to do now, and why: a red flag gives its instruction and reasons only (anything
    milder is kept in ``also_noted`` for the clinician)."""

    schema_version: int
    disposition: Disposition
    programme_allowed: bool
    headline: str
    reasons: tuple[ReasonView, ...]
    also_noted: tuple[ReasonView, ...]
    likely_condition: Condition | None
    differentials: tuple[Differential, ...]
    meanwhile: tuple[str, ...]
    pathway: PathwayAnswer | None

    @property
    def red_flag(self) -> bool:
        return self.disposition.severity >= Disposition.URGENT.severity

    @property
    def self_manage(self) -> bool:
        return self.disposition is Disposition.SELF_MANAGE


# --- the words of an answer -------------------------------------------------------------------


def headline(words: Words, disposition: Disposition) -> str:
    """What to do, in one sentence, for ``disposition``."""
    return words.say(f"intake.headline.{disposition.value}")


def until_seen(words: Words, disposition: Disposition) -> tuple[str, ...]:
    """What is safe until the runner is seen (none for self-management), its pain numbers
    those of the settings (rendered when the words were loaded)."""
    return tuple(words.under(f"intake.meanwhile.{disposition.value}").values())


# --- the use case -----------------------------------------------------------------------------


def triage_answer(
    assessment: Assessment,
    protocol: ProtocolFile,
    book: ReasonBook,
    settings: tuple[Settings, TriageSettings],
    words: Words,
) -> TriageView:
    """The triage of ``assessment``. It takes the content's parts rather than a whole
    ``ProgrammeContent`` so that ``runrehab triage`` loads no more than it needs."""
    result = triage(assessment, settings[1])
    red_flag = result.disposition.severity >= Disposition.URGENT.severity
    shown = result.leading_reasons if red_flag else result.reasons
    pathway = None
    if result.disposition is Disposition.SELF_MANAGE:
        pathway = _pathway(assessment, protocol, book, settings[0])
    return TriageView(
        schema_version=SCHEMA_VERSION,
        disposition=result.disposition,
        programme_allowed=result.programme_allowed,
        headline=headline(words, result.disposition),
        reasons=reasons_of(book, shown),
        also_noted=reasons_of(book, result.reasons[len(shown) :]),
        likely_condition=Condition(
            result.likely_condition, name_of(words, result.likely_condition)
        ),
        differentials=tuple(_differentials(result, words)),
        meanwhile=until_seen(words, result.disposition),
        pathway=pathway,
    )


def triage_of(assessment: Assessment, content: ProgrammeContent) -> TriageView:
    """``triage_answer`` with the parts of ``content``."""
    return triage_answer(
        assessment, content.catalogue.protocol, content.book, content.settings, content.words
    )


def _differentials(result: TriageResult, words: Words) -> Iterator[Differential]:
    for d in result.differentials:
        yield Differential(d.condition, name_of(words, d.condition), d.fits, d.rule)


def _pathway(
    assessment: Assessment, protocol: ProtocolFile, book: ReasonBook, settings: Settings
) -> PathwayAnswer:
    choice = choose_pathway(assessment, settings)
    pathway = next(p for p in protocol.pathway if p.id == choice.pathway.value)
    phase = next(p for p in protocol.phase if p.number == choice.start_phase)
    return PathwayAnswer(
        id=pathway.id,
        name=pathway.name,
        summary=pathway.summary,
        running=pathway.running,
        start_phase=StartPhase(phase.number, phase.name, phase.goal),
        phases=tuple(pathway.phases),
        reasons=reasons_of(book, choice.reasons),
    )


# --- for the callers not moved to the typed answer yet (issue 14) -----------------------------


class _Headlines(Mapping[Disposition, str]):
    """``HEADLINES[disposition]``: the shipped words' headline (use ``headline`` instead)."""

    def __getitem__(self, disposition: Disposition) -> str:
        return headline(shipped_words(), disposition)

    def __iter__(self) -> Iterator[Disposition]:
        return iter(Disposition)

    def __len__(self) -> int:
        return len(Disposition)


HEADLINES: Mapping[Disposition, str] = _Headlines()


def triage_view(
    assessment: Assessment,
    protocol: ProtocolFile,
    book: ReasonBook,
    settings: tuple[Settings, TriageSettings],
) -> dict[str, Any]:
    """The triage answer as its JSON document (``triage_answer``, for callers that still add
    keys to it)."""
    document: dict[str, Any] = jsonable(
        triage_answer(assessment, protocol, book, settings, shipped_words())
    )
    return document
