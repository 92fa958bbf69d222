"""robots.txt rules per host, parsed with protego (handles wildcards, Allow precedence, Crawl-delay the
way Google documents them, which hand-written parsers get wrong)."""

from __future__ import annotations

from urllib.parse import urlsplit

AGENT = "harvester"


class Rules:
    def __init__(self, text: str | None, status: int):
        self.status = status
        self.parser = None
        if text is not None and 200 <= status < 300:
            from protego import Protego

            self.parser = Protego.parse(text)

    def allowed(self, url: str) -> bool:
        if self.status >= 500 or self.status < 0:
            return False  # the site is struggling or unreachable: treat everything as off limits for now
        if self.parser is None:
            return True  # 4xx: no robots.txt
        return self.parser.can_fetch(url, AGENT)

    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(AGENT)
        return float(delay) if delay is not None else None


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
