"""A generated XenForo corpus for the benchmarks: XF2 (70%) and XF1 thread pages with full chrome, 20 posts a
page, in English, German, French and Spanish, rendered by ``xenforo_pages``. Streams like ``generate.py``.

    python benchmarks/generate.py --engine xenforo --mb 100 --warc bench/xf100.warc.gz
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import generate
import xenforo_pages as xp

PER_PAGE = 20  # XenForo's default messages per page
LANGS = (("en", "America/Chicago"), ("de", "Europe/Berlin"), ("fr", "Europe/Paris"), ("es", "Europe/Madrid"))
TITLES = ("Member", "Active member", "Well-known member", "Moderator", "New member")


class World(generate.World):
    """Drupal's world of users and sentences, as XenForo members."""

    def __init__(self, seed: int):
        super().__init__(seed)
        rng = self.rng
        self.members = [xp.Member(u.name, u.uid, rng.choice(TITLES), datetime(2012, 1, 1, tzinfo=UTC)
                                  + timedelta(days=rng.randint(0, 3000)), rng.randint(1, 9000),
                                  rng.choice((None, None, "Leeds", "Bremen", "Lyon", "Sevilla")), u.picture is not None)
                        for u in self.users]
        self.next_thread = 1000
        self.next_post = 50000

    def xf_thread(self) -> tuple[xp.Thread, str]:
        rng = self.rng
        lang, zone = LANGS[rng.randrange(len(LANGS))]
        tz = ZoneInfo(zone)
        count = max(2, min(400, int(math.exp(rng.gauss(math.log(25), 1.0)))))
        when = datetime(2014, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 4_000_000))
        posts: list[xp.Post] = []
        quotes: list[tuple | None] = []
        for _ in range(count):
            when += timedelta(minutes=rng.randint(3, 3000))
            author = xp.Member(f"Gast{rng.randint(1, 99)}", None) if rng.random() < 0.03 else rng.choice(self.members)
            body = "<br />\n<br />\n".join(self.paragraphs(1, 4))
            quote = None
            if posts and rng.random() < 0.25:  # rendered below, once the version is known
                quoted = posts[rng.randrange(len(posts))]
                words = " ".join(self.sentences[rng.randrange(len(self.sentences))].split()[:8])
                quote = (quoted.author.name, quoted.id, quoted.author.user_id, words)
            likes = [m.name for m in rng.sample(self.members, rng.choice((0, 0, 1, 2, 3)))]
            post = xp.Post(self.next_post, author, when, body, likes=likes,
                           others=rng.choice((0, 0, 0, 4, 17)) if likes else 0,
                           edited=when + timedelta(minutes=20) if rng.random() < 0.1 else None,
                           deleted=rng.random() < 0.02, signature="Sent from my workbench" if rng.random() < 0.2
                           else None)
            posts.append(post)
            quotes.append(quote)
            self.next_post += rng.randint(1, 4)
        self.next_thread += rng.randint(1, 5)
        thread = xp.Thread(site="https://forum.example.net", thread_id=self.next_thread,
                           slug=f"topic-{self.next_thread}",
                           title=" ".join(self.sentences[rng.randrange(len(self.sentences))].split()[:7]).capitalize(),
                           board="General discussion", board_path="forums/general-discussion.4/",
                           crumbs=[("Forums", "forums/")], board_title="Example Board", lang=lang, tz=tz,
                           pages=[posts[i:i + PER_PAGE] for i in range(0, len(posts), PER_PAGE)],
                           locked=rng.random() < 0.05)
        version = "2" if rng.random() < 0.7 else "1"
        for post, quote in zip(posts, quotes, strict=True):
            if quote:
                name, pid, uid, words = quote
                quote = xp.xf2_quote(thread, name, pid, uid, words) if version == "2" else \
                    xp.xf1_quote(thread, name, pid, words)
                post.body = quote + "\n" + post.body
        return thread, version


def iter_corpus(seed: int = 1, pages: int | None = None, mb: float | None = None) -> Iterator[generate.GeneratedPage]:
    """Thread pages until ``pages`` pages or ``mb`` megabytes; 5% also as a Wayback replay copy."""
    world = World(seed)
    count = size = 0

    def enough() -> bool:
        return (pages is not None and count >= pages) or (mb is not None and size >= mb * 1e6)

    while not enough():
        thread, version = world.xf_thread()
        render = xp.xf2_page if version == "2" else xp.xf1_page
        crawled = thread.pages[-1][-1].when + timedelta(days=world.rng.randint(30, 700))
        for number in range(1, len(thread.pages) + 1):
            url = thread.url(number)
            body = render(thread, number).encode("utf-8")
            yield generate.GeneratedPage(url, crawled, body, None, number - 1)
            count, size = count + 1, size + len(body)
            if world.rng.random() < generate.WAYBACK_SHARE and not enough():
                ts = (crawled - timedelta(days=world.rng.randint(1, 20))).strftime("%Y%m%d%H%M%S")
                copy = xp.wayback_copy(render(thread, number), ts, url, thread.site).encode("utf-8")
                yield generate.GeneratedPage(f"https://web.archive.org/web/{ts}/{url}", crawled, copy, None,
                                             number - 1, True)
                count, size = count + 1, size + len(copy)
            if enough():
                return
