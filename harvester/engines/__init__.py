"""Forum engines: one module each with ``detect(doc)`` and ``parse(doc, options)``, tried in this order."""

from __future__ import annotations

from types import ModuleType

from harvester.engines import drupal, xenforo

REGISTRY: tuple[ModuleType, ...] = (xenforo, drupal)  # XenForo 2 emits schema.org; it goes first


def names() -> list[str]:
    return [engine.NAME for engine in REGISTRY]


def by_name(name: str) -> ModuleType:
    for engine in REGISTRY:
        if engine.NAME == name:
            return engine
    raise KeyError(name)


def detect(doc) -> ModuleType | None:
    for engine in REGISTRY:
        if engine.detect(doc):
            return engine
    return None
