"""Forum engines: one module each with ``score(doc)`` and ``parse(doc, zone, links, records)``.

Every engine scores every page (weighted signs, ``toolkit.Sign``); the best score at or above
``toolkit.CLAIM`` wins, so two engines that share markup (a phpBB lookalike, schema.org on several boards) are
told apart by the weight of their evidence rather than by their order here. Ties go to the earlier engine.
"""

from __future__ import annotations

from types import ModuleType

from harvester.engines import (
    discourse,
    drupal,
    fluxbb,
    generic,
    hackernews,
    invision,
    mybb,
    phpbb,
    reddit,
    smf,
    stackexchange,
    vanilla,
    vbulletin,
    wordpress,
    xenforo,
)
from harvester.engines.toolkit import CLAIM, Detection

# Named engines; the generic engine is tried only when none of them claims the page.
NAMED: tuple[ModuleType, ...] = (drupal, phpbb, smf, vbulletin, xenforo, fluxbb, mybb, wordpress, hackernews,
                                  stackexchange, discourse, reddit, invision, vanilla)
REGISTRY: tuple[ModuleType, ...] = (*NAMED, generic)


def names() -> list[str]:
    return [engine.NAME for engine in REGISTRY]


def by_name(name: str) -> ModuleType:
    for engine in REGISTRY:
        if engine.NAME == name:
            return engine
    raise KeyError(name)


def scores(doc) -> list[Detection]:
    """Every engine's detection of the page, named engines best first (ties in registry order), generic last."""
    found = sorted((engine.score(doc) for engine in NAMED), key=lambda d: -d.score)
    return [*found, generic.score(doc)]


def detect(doc) -> ModuleType | None:
    """The best named engine that claims the page, else the generic engine if it finds a discussion."""
    found = sorted((engine.score(doc) for engine in NAMED), key=lambda d: -d.score)
    if found and found[0].score >= CLAIM:
        return by_name(found[0].engine)
    return generic if generic.detect(doc) else None


def why_not(doc) -> str:
    """Why no engine reads the page: what the generic engine looked for and did not find."""
    return generic.parse(doc, links=False).skip_reason or "no discussion found"
