"""Generate a FluxBB 1.5 benchmark corpus (.warc.gz): topic pages of 25 posts (FluxBB's default) with the chrome.

The chrome and one post block come from samples/fluxbb/fluxbb15-two-pages/page-1.html (built from FluxBB's
templates); every page repeats them with generated members, guests, dates, bodies, quotes, edit notes and
signatures. The same seed gives the same corpus.

    python benchmarks/generate_fluxbb.py --pages 1000 --warc fluxbb.warc.gz
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

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "fluxbb" / "fluxbb15-two-pages" / "page-1.html"
SITE = "http://swl-corner.example.org/forum/"
PER_PAGE = 25
_POST = re.compile(r'<div id="p20411" class="blockpost.*?\n</div>\n(?=<div id="p|\n)', re.S)


def _parts() -> tuple[str, str, str]:
    """(page head, one post block, page tail) of the sample, the other posts removed."""
    page = SAMPLE.read_text(encoding="utf-8")
    first = _POST.search(page)
    end = page.index('<div class="postlinksb">')
    return page[: first.start()], first.group(0), page[end:]


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng

    def topics():
        topic = 300
        while True:
            topic += 1
            thread = world.thread()
            posts = []
            when = datetime(2012, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 2500))
            pid = topic * 100
            for n in range(rng.randint(2, 80)):
                pid += rng.randint(1, 9)
                when += timedelta(minutes=rng.randint(3, 2000))
                posts.append((pid, rng.choice(world.users) if rng.random() < 0.95 else None, when, n))
            yield (topic, thread, when), posts

    for (topic, thread, when), posts, page, total, shown in paged(topics(), PER_PAGE, pages):
        out = [_chrome(head, topic, page, total, thread.title)]
        for post in shown:
            out.append(_post(block, rng, world, posts, post, thread.title))
        out.append(_chrome(tail, topic, page, total, thread.title))
        url = f"{SITE}viewtopic.php?id={topic}" + (f"&p={page + 1}" if page else "")
        yield GeneratedPage(url, when + timedelta(days=30), "".join(out).encode("utf-8"), thread, page)


def _chrome(text: str, topic: int, page: int, total: int, title: str) -> str:
    text = text.replace("Long wire on a balcony: worth it?", html.escape(title)).replace("id=318", f"id={topic}")
    text = text.replace("tid=318", f"tid={topic}")
    links = " ".join(f"<strong>{n + 1}</strong>" if n == page else
                     f'<a href="viewtopic.php?id={topic}{"" if n == 0 else f"&amp;p={n + 1}"}">{n + 1}</a>'
                     for n in range(total))
    return re.sub(r'<span class="pages-label">Pages: </span>.*?</p>',
                  f'<span class="pages-label">Pages: </span>{links}</p>', text, flags=re.S)


def _post(block, rng, world, posts, post, title) -> str:
    pid, user, when, n = post
    paragraphs = [" ".join(rng.choice(world.sentences) for _ in range(rng.randint(1, 5)))
                  for _ in range(rng.randint(1, 4))]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    earlier = [p for p in posts if p[0] < pid and p[1] is not None]
    if earlier and rng.random() < 0.3:
        quoted = rng.choice(earlier)
        body = (f'<div class="quotebox"><cite>{html.escape(quoted[1].name)} wrote:</cite><blockquote><div><p>'
                f'{html.escape(rng.choice(world.sentences))}</p></div></blockquote></div>{body}')
    text = block.replace("20411", str(pid)).replace("#1<", f"#{n + 1}<")
    text = text.replace("2013-10-01 21:14:08", when.strftime("%Y-%m-%d %H:%M:%S"))
    text = text.replace("firstpost", "firstpost" if n == 0 else "").replace(
        "<h3>Long wire on a balcony: worth it?", f"<h3>{'' if n == 0 else 'Re: '}{html.escape(title)}")
    if user is None:
        text = re.sub(r"<dt>.*?</dl>", f"<dt><strong>{html.escape(rng.choice(world.users).name)} (guest)</strong></dt>"
                      '\n<dd class="usertitle"><strong>Guest</strong></dd>\n</dl>', text, count=1, flags=re.S)
    else:
        text = text.replace("profile.php?id=57", f"profile.php?id={user.uid}").replace(
            ">marta_k<", f">{html.escape(user.name)}<").replace("Posts: 412", f"Posts: {rng.randint(1, 5000)}")
    text = re.sub(r'(<div class="postmsg">\s*).*?(\s*<p class="postedit">|\s*</div>)',
                  lambda m: m.group(1) + body + m.group(2), text, count=1, flags=re.S)
    if rng.random() > 0.2:
        text = re.sub(r'\s*<p class="postedit">.*?</p>', "", text, count=1, flags=re.S)
    return text


def main(argv: list[str] | None = None) -> int:
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
