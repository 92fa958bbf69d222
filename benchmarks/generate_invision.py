"""Generate an Invision Community benchmark corpus (.warc.gz): 4.6 topic pages of 25 posts.

The chrome and one post come from samples/invision/ips46-two-pages/page.html (built from Invision 4's front
templates); every page repeats them with generated members, guests, reactions and quotes naming earlier comment
ids. The same seed gives the same corpus.

    python benchmarks/generate_invision.py --pages 1000 --warc invision.warc.gz
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

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "invision" / "ips46-two-pages" / "page.html"
SITE = "https://community.retrocomputing-club.example"
PER_PAGE = 25
_POST = re.compile(r'<a id="comment-60118"></a>\n<article id="elComment_60118".*?</article>\n', re.S)


def _parts() -> tuple[str, str, str]:
    page = SAMPLE.read_text(encoding="utf-8")
    first = page.index('<a id="comment-60112"></a>')
    last = page.index("</article>\n", page.index('<article id="elComment_60121"')) + len("</article>\n")
    return page[:first], _POST.search(page).group(0), page[last:]


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng
    count, topic, cid = 0, 9000, 70_000
    while count < pages:
        topic += rng.randint(1, 40)
        thread = world.thread()
        when = datetime(2017, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 3_000_000))
        posts = []
        for _ in range(rng.randint(1, 90)):
            cid += rng.randint(1, 30)
            when += timedelta(minutes=rng.randint(3, 900))
            posts.append((cid, rng.choice(world.users), when))
        total = (len(posts) + PER_PAGE - 1) // PER_PAGE
        for page in range(total):
            out = [_chrome(head, topic, page, total, thread.title)]
            for pid, user, at in posts[page * PER_PAGE:(page + 1) * PER_PAGE]:
                out.append(_post(block, rng, world, posts, pid, user, at, topic))
            out.append(_chrome(tail, topic, page, total, thread.title))
            url = f"{SITE}/topic/{topic}-t/" + (f"page/{page + 1}/" if page else "")
            yield GeneratedPage(url, when + timedelta(days=3), "".join(out).encode("utf-8"), thread, page)
            count += 1
            if count >= pages:
                return


def _chrome(text: str, topic: int, page: int, total: int, title: str) -> str:
    text = text.replace("Replacing the PSU in a 1984 home computer", html.escape(title)).replace("8841", str(topic))
    return re.sub(r'data-pages="\d+" data-ipspagination-pages="\d+"',
                  f'data-pages="{total}" data-ipspagination-pages="{total}"', text)


def _post(block, rng, world, posts, pid, user, at, topic) -> str:
    body = "".join(f"<p>{html.escape(rng.choice(world.sentences))}</p>" for _ in range(rng.randint(1, 4)))
    earlier = [p for p in posts if p[0] < pid]
    if earlier and rng.random() < 0.3:
        q_id, q_user, _ = rng.choice(earlier)
        name = html.escape(q_user.name)
        body = (f'<blockquote class="ipsQuote" data-ipsquote="" data-ipsquote-contentcommentid="{q_id}" '
                f'data-ipsquote-contentid="{topic}" data-ipsquote-username="{name}"><div class="ipsQuote_citation">'
                f'{name} said:</div><div class="ipsQuote_contents"><p>{html.escape(rng.choice(world.sentences))}</p>'
                f'</div></blockquote>{body}')
    slug = re.sub(r"\W+", "-", user.name.lower())
    text = block.replace("60118", str(pid)).replace("8841", str(topic)).replace("Solderstation", html.escape(user.name))
    text = text.replace("97-solderstation", f"{user.uid}-{slug}")
    text = text.replace("2021-03-09T20:02:15Z", at.strftime("%Y-%m-%dT%H:%M:%SZ"))
    text = re.sub(r'(<div data-role="commentContent"[^>]*>\s*).*?(\s*</div>\s*<div class="ipsItemControls">)',
                  lambda m, b=body: m.group(1) + b + m.group(2), text, count=1, flags=re.S)
    return text.replace("<span>9</span>", f"<span>{rng.randint(1, 30)}</span>")


def main(argv: list[str] | None = None) -> int:
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
