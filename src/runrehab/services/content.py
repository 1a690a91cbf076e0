"""The programme content a use case needs, loaded once per language: engine protocol,
catalogue, reasons, words (``content.locale``: the English content, or a translation of it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import cast

from runrehab.content import loader, locale
from runrehab.content.loader import Catalogue
from runrehab.content.placeholders import pain_numbers_of
from runrehab.content.words import Words, shipped_words
from runrehab.engine.load import LoadSettings
from runrehab.engine.metrics import MetricsSettings
from runrehab.engine.protocol import Protocol, Settings, TriageSettings
from runrehab.engine.questionnaire import Instrument
from runrehab.services.reasons import ReasonBook


@dataclass(frozen=True, slots=True)
class ProgrammeContent:
    protocol: Protocol
    catalogue: Catalogue
    book: ReasonBook
    settings: tuple[Settings, TriageSettings]
    load: LoadSettings = field(default_factory=LoadSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    words: Words = field(default_factory=shipped_words)
    """The product's own wording, by key (``content.words``)."""
    language: str = locale.DEFAULT
    """The language of its texts (``content.locale.LANGUAGES``)."""
    shipped: bool = False
    """The content shipped with RunRehab (which has a translation), not a test's own."""
    _kept: dict[str, dict[str, object]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """What is worked out from the content once and asked on every "today"."""

    def phase_name(self, number: int) -> str:
        return next(p.name for p in self.catalogue.protocol.phase if p.number == number)

    @property
    def pain(self) -> dict[str, str]:
        """The numbers a text may name (``{green_max_pain}``), as the engine uses them: what
        templates and Python texts show, so they never type a threshold of their own."""
        kept = self._kept.get("pain")
        if kept is None:
            kept = self._kept["pain"] = dict(pain_numbers_of(self.protocol))
        return cast(dict[str, str], dict(kept))

    @property
    def instruments(self) -> dict[str, Instrument]:
        """The outcome questionnaires as engine values, by id (built once)."""
        kept = self._kept.get("instruments")
        if kept is None:
            questionnaires = self.catalogue.questionnaires
            kept = {k: loader.engine_instrument(v) for k, v in questionnaires.items()}
            self._kept["instruments"] = kept
        return cast(dict[str, Instrument], dict(kept))


def shipped_content(language: str | None = None) -> ProgrammeContent:
    """The content shipped with RunRehab, in ``language`` (default: the current one)."""
    return _shipped_content(language or locale.current())


@cache
def _shipped_content(language: str) -> ProgrammeContent:
    catalogue = loader.catalogue(language)
    load, metrics = loader.engine_load_settings(catalogue.protocol)
    return ProgrammeContent(
        loader.protocol(language),
        catalogue,
        ReasonBook(catalogue.rules, catalogue.sources, shipped_words(language)),
        loader.engine_settings(catalogue.protocol),
        load,
        metrics,
        shipped_words(language),
        language,
        shipped=True,
    )


def in_language(content: ProgrammeContent, language: str) -> ProgrammeContent:
    """``content`` in ``language``: the shipped content's translation, or ``content`` itself
    when it is already in that language or is not the shipped content (a test's own)."""
    if content.language == language or not content.shipped:
        return content
    return shipped_content(language)
