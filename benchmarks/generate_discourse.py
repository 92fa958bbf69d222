"""Generate a Discourse benchmark corpus (.warc.gz): crawler-view topic pages of 20 posts.

The chrome and one post come from samples/discourse/discourse24-two-pages/page.html (built from Discourse's
crawler view); every page repeats them with generated users, likes, times, bodies and quotes naming earlier
posts. The same seed gives the same corpus.

    python benchmarks/generate_discourse.py --pages 1000 --warc discourse.warc.gz
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

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "discourse" / "discourse24-two-pages" / "page.html"
SITE = "https://forum.openmapcrafters.example"
PER_PAGE = 20
_POST = re.compile(r"    <div itemscope itemtype='http://schema.org/DiscussionForumPosting'"
                   r" class='topic-body crawler-post'>.*?\n    </div>\n", re.S)


def _parts() -> tuple[str, str, str]:
    page = SAMPLE.read_text(encoding="utf-8")
    posts = list(_POST.finditer(page))
    return page[: posts[0].start()], posts[1].group(0), page[posts[-1].end():]


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng
    count, topic = 0, 5000
    while count < pages:
        topic += rng.randint(1, 30)
        thread = world.thread()
        when = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 2_000_000))
        total_posts = rng.randint(1, 80)
        users = [re.sub(r"\W", "", rng.choice(world.users).name.lower())[:15] or "anon" for _ in range(total_posts)]
        total = (total_posts + PER_PAGE - 1) // PER_PAGE
        for page in range(total):
            title = html.escape(thread.title)
            out = [head.replace("4127", str(topic)).replace("Offline tiles for field surveys", title)]
            for n in range(page * PER_PAGE + 1, min(total_posts, (page + 1) * PER_PAGE) + 1):
                when += timedelta(minutes=rng.randint(1, 600))
                body = "".join(f"<p>{html.escape(rng.choice(world.sentences))}</p>\n" for _ in range(rng.randint(1, 4)))
                if n > 1 and rng.random() < 0.25:
                    q = rng.randint(1, n - 1)
                    body = (f'<aside class="quote no-group" data-username="{users[q - 1]}" data-post="{q}" '
                            f'data-topic="{topic}">\n<div class="title">{users[q - 1]}:</div>\n<blockquote>\n<p>'
                            f'{html.escape(rng.choice(world.sentences))}</p>\n</blockquote>\n</aside>\n{body}')
                likes = rng.choice((0, 0, 1, 2, 3, 8, 20))
                b = block.replace("/u/kwame", f"/u/{users[n - 1]}").replace(">kwame<", f">{users[n - 1]}<")
                b = b.replace("2020-07-14T09:03:11Z", when.strftime("%Y-%m-%dT%H:%M:%SZ"))
                b = b.replace("<span itemprop='position'>2</span>", f"<span itemprop='position'>{n}</span>")
                shown = f"<span class='post-likes'>{likes} Likes</span>" if likes else ""
                b = b.replace('content="4" />', f'content="{likes}" />').replace(
                    "<span class='post-likes'>4 Likes</span>", shown)
                b = re.sub(r"(<div class='post' itemprop='articleBody'>\n).*?(\n        </div>)",
                           lambda m, t=body: m.group(1) + t + m.group(2), b, count=1, flags=re.S)
                out.append(b)
            out.append(tail.replace("4127", str(topic)))
            url = f"{SITE}/t/topic/{topic}" + (f"?page={page + 1}" if page else "")
            yield GeneratedPage(url, when + timedelta(days=5), "".join(out).encode("utf-8"), thread, page)
            count += 1
            if count >= pages:
                return


def main(argv: list[str] | None = None) -> int:
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
