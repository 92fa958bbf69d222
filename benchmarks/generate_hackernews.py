"""Generate a Hacker News benchmark corpus (.warc.gz): item pages with comment trees of up to 250 comments.

The page chrome and one comment row come from samples/hackernews/hn-2023-ask-more/page.html (built from the
item page markup); every page repeats them with generated users, ages and texts, and trees up to eight deep.
The same seed gives the same corpus.

    python benchmarks/generate_hackernews.py --pages 1000 --warc hackernews.warc.gz
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import GeneratedPage, World, corpus_main  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "hackernews" / "hn-2023-ask-more" / "page.html"
SITE = "https://news.ycombinator.com/"
_ROW = re.compile(r'<tr class="athing comtr" id="35812311">.*?</table></td></tr>\n', re.S)
_TREE = re.compile(r"(<table border=\"0\" class='comment-tree'>\s*)(.*?)"
                   r"(</table>\s*<a href=\"item\?id=35812044&amp;p=2\")", re.S)


def _parts() -> tuple[str, str, str]:
    """(page head, one comment row, page tail) of the sample."""
    page = SAMPLE.read_text(encoding="utf-8")
    tree = _TREE.search(page)
    return page[: tree.end(1)], _ROW.search(page).group(0), page[tree.start(3):]


def iter_corpus(seed: int = 1, pages: int = 100, max_posts: int = 250) -> Iterator[GeneratedPage]:
    head, row, tail = _parts()
    world = World(seed)
    rng = world.rng
    item = 30_000_000
    for _ in range(pages):
        item += rng.randint(100, 5000)
        thread = world.thread()
        when = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 900_000))
        out = [head.replace("35812044", str(item)).replace(
            "Ask HN: How do you keep a lab notebook for software experiments?", html.escape(thread.title))]
        level, cid = 0, item
        for _ in range(rng.randint(1, max_posts)):
            level = max(0, min(level + rng.choice((-2, -1, 0, 1, 1)), 8)) if cid != item else 0
            cid += rng.randint(1, 40)
            when += timedelta(minutes=rng.randint(1, 30))
            user = re.sub(r"\W", "", rng.choice(world.users).name.lower())[:15] or "anon"
            text = "<p>".join(html.escape(rng.choice(world.sentences)) for _ in range(rng.randint(1, 4)))
            r = row.replace("35812311", str(cid)).replace("35812044", str(item)).replace("quillon", user)
            r = r.replace('indent="0"', f'indent="{level}"').replace('width="0"', f'width="{level * 40}"')
            r = r.replace("2023-05-04T09:12:40 1683191560", f"{when:%Y-%m-%dT%H:%M:%S} {int(when.timestamp())}")
            r = re.sub(r'(<div class="commtext c00">).*?(</div>)', lambda m, t=text: m.group(1) + t + m.group(2), r,
                       count=1, flags=re.S)
            out.append(r)
        out.append(tail.replace("35812044", str(item)))
        yield GeneratedPage(f"{SITE}item?id={item}", when + timedelta(days=1), "".join(out).encode("utf-8"), thread,
                            0)


def main(argv: list[str] | None = None) -> int:
    return corpus_main(iter_corpus, __doc__, argv, max_posts=250)


if __name__ == "__main__":
    sys.exit(main())
