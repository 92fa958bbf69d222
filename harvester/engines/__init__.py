"""Forum engines: one module each with ``score(doc)`` and ``parse(doc, zone, links, records)``.

Every engine scores every page (weighted signs, ``toolkit.Sign``); the best score at or above
``toolkit.CLAIM`` wins, so two engines that share markup (a phpBB lookalike, schema.org on several boards) are
told apart by the weight of their evidence rather than by their order here. Ties go to the earlier engine.
"""

from __future__ import annotations

from types import ModuleType

from harvester.engines import drupal, vbulletin
from harvester.engines.toolkit import CLAIM, Detection

REGISTRY: tuple[ModuleType, ...] = (drupal, vbulletin)


def names() -> list[str]:
    return [engine.NAME for engine in REGISTRY]


def by_name(name: str) -> ModuleType:
    for engine in REGISTRY:
        if engine.NAME == name:
            return engine
    raise KeyError(name)


def scores(doc) -> list[Detection]:
    """Every engine's detection of the page, best first (ties in registry order)."""
    found = [engine.score(doc) for engine in REGISTRY]
    return sorted(found, key=lambda d: -d.score)


def detect(doc) -> ModuleType | None:
    best = scores(doc)[0] if REGISTRY else None
    return by_name(best.engine) if best is not None and best.score >= CLAIM else None
