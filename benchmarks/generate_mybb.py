"""Generate a MyBB 1.8 benchmark corpus (.warc.gz): thread pages of 20 posts (MyBB's default) with the chrome.

The chrome and one post block come from samples/mybb/mybb18-two-pages/page-1.html (built from MyBB 1.8's theme
templates); every page repeats them with generated members, guests, dates, bodies, quotes linked by pid,
edit notes and signatures. The same seed gives the same corpus.

    python benchmarks/generate_mybb.py --pages 1000 --warc mybb.warc.gz
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import GeneratedPage, World, corpus_main, paged  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "mybb" / "mybb18-two-pages" / "page-1.html"
SITE = "https://forum.tidewater-kayak.example.com/"
PER_PAGE = 20
_POST = re.compile(r'\n<a name="pid19304" id="pid19304"></a>.*?\n</div>\n(?=\n<a name="pid)', re.S)


def _parts() -> tuple[str, str, str]:
    """(page head, one post block, page tail) of the sample, the other posts removed."""
    page = SAMPLE.read_text(encoding="utf-8")
    first = _POST.search(page)
    end = page.index("\n\t</div>\n</td></tr>")
    return page[: first.start()], first.group(0), page[end:]


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng

    def topics():
        tid = 2000
        while True:
            tid += 1
            thread = world.thread()
            posts = []
            when = datetime(2016, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 2500))
            pid = tid * 10
            for n in range(rng.randint(2, 70)):
                pid += rng.randint(1, 9)
                when += timedelta(minutes=rng.randint(3, 2000))
                posts.append((pid, rng.choice(world.users) if rng.random() < 0.95 else None, when, n))
            yield (tid, thread, when), posts

    for (tid, thread, when), posts, page, total, shown in paged(topics(), PER_PAGE, pages):
        out = [_chrome(head, tid, page, total, thread.title)]
        for post in shown:
            out.append(_post(block, rng, world, posts, post, tid))
        out.append(_chrome(tail, tid, page, total, thread.title))
        url = f"{SITE}showthread.php?tid={tid}" + (f"&page={page + 1}" if page else "")
        yield GeneratedPage(url, when + timedelta(days=30), "".join(out).encode("utf-8"), thread, page)


def _chrome(text: str, tid: int, page: int, total: int, title: str) -> str:
    text = text.replace("Rudder or skeg for a first sea kayak?", html.escape(title)).replace("tid=2071", f"tid={tid}")
    items = " ".join(f'<span class="pagination_current">{n + 1}</span>' if n == page else
                     f'<a href="showthread.php?tid={tid}&amp;page={n + 1}" class="pagination_page">{n + 1}</a>'
                     for n in range(total))
    return re.sub(r'<span class="pages">Pages \(\d+\):</span>.*?</div>',
                  f'<span class="pages">Pages ({total}):</span>\n{items}\n</div>', text, flags=re.S)


def _date(when: datetime) -> str:
    return when.strftime("%m-%d-%Y, %I:%M %p")


def _post(block, rng, world, posts, post, tid) -> str:
    pid, user, when, n = post
    paragraphs = [" ".join(rng.choice(world.sentences) for _ in range(rng.randint(1, 5)))
                  for _ in range(rng.randint(1, 4))]
    body = "<br />\n".join(html.escape(p) for p in paragraphs)
    earlier = [p for p in posts if p[0] < pid and p[1] is not None]
    if earlier and rng.random() < 0.3:
        q_pid, q_user, q_when, _ = rng.choice(earlier)
        body = (f'<blockquote class="mycode_quote"><cite><span> ({_date(q_when)})</span>'
                f'{html.escape(q_user.name)} Wrote: '
                f'<a href="{SITE}showthread.php?pid={q_pid}#pid{q_pid}" class="quick_jump"></a></cite>'
                f'{html.escape(rng.choice(world.sentences))}</blockquote><br />\n{body}')
    text = block.replace("19304", str(pid)).replace("#1<", f"#{n + 1}<").replace("tid=2071", f"tid={tid}")
    text = text.replace("06-17-2023, 08:42 PM", _date(when))
    if user is None:
        text = re.sub(r'<div class="post_author">.*?\n</div>\n<div class="post_content">',
                      f'<div class="post_author">\n\t<div class="author_information">\n\t\t\t<strong>'
                      f'<span class="largetext">{html.escape(rng.choice(world.users).name)} (guest)</span></strong> '
                      f'<br />\n\t\t\t<span class="smalltext">'
                      f'Guest<br /></span>\n\t</div>\n\t<div class="author_statistics">&nbsp;</div>\n</div>\n'
                      f'<div class="post_content">', text, count=1, flags=re.S)
    else:
        text = text.replace("uid=14", f"uid={user.uid}").replace(">nina.holm<", f">{html.escape(user.name)}<")
    text = re.sub(r'(<div class="post_body scaleimages" id="pid_\d+">\s*).*?(\s*</div>)',
                  lambda m: m.group(1) + body + m.group(2), text, count=1, flags=re.S)
    if rng.random() > 0.2:
        text = re.sub(r'<span class="edited_post">.*?</span>', "", text, count=1, flags=re.S)
    return text


def main(argv: list[str] | None = None) -> int:
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
