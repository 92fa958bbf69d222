"""Generate an Invision Community benchmark corpus (.warc.gz): 4.6 topic pages of 25 posts, or with --ipb3
IP.Board 3.4 topic pages of 25 posts.

The chrome and one post come from samples/invision/ips46-two-pages/page.html (built from Invision 4's front
templates), or samples/invision/ipb3-two-pages/page.html (IP.Board 3.4's skin templates); every page repeats them
with generated members, reactions or likes and quotes naming earlier post ids. The same seed gives the same corpus.

    python benchmarks/generate_invision.py --pages 1000 --warc invision.warc.gz
    python benchmarks/generate_invision.py --pages 300 --warc ipb3.warc.gz --ipb3
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

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "invision" / "ips46-two-pages" / "page.html"
SAMPLE_3 = SAMPLE.parent.parent / "ipb3-two-pages" / "page.html"
SITE_3 = "https://forums.tidepool-anglers.example"
SITE = "https://community.retrocomputing-club.example"
PER_PAGE = 25
_POST = re.compile(r'<a id="comment-60118"></a>\n<article id="elComment_60118".*?</article>\n', re.S)


def _parts() -> tuple[str, str, str]:
    page = SAMPLE.read_text(encoding="utf-8")
    first = page.index('<a id="comment-60112"></a>')
    last = page.index("</article>\n", page.index('<article id="elComment_60121"')) + len("</article>\n")
    return page[:first], _POST.search(page).group(0), page[last:]


def _topics(world: World, topic: int, post_id: int, year: int, minutes: int):
    """Endless generated topics: ((topic id, thread, last post time), [(post id, member, time), ...]), ids rising
    by random steps from ``topic`` and ``post_id``, the first post within ``minutes`` of the start of ``year``."""
    rng = world.rng
    while True:
        topic += rng.randint(1, 40)
        thread = world.thread()
        when = datetime(year, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, minutes))
        posts = []
        for _ in range(rng.randint(1, 90)):
            post_id += rng.randint(1, 30)
            when += timedelta(minutes=rng.randint(3, 900))
            posts.append((post_id, rng.choice(world.users), when))
        yield (topic, thread, when), posts


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng

    for (topic, thread, when), posts, page, total, shown in paged(_topics(world, 9000, 70_000, 2017, 3_000_000),
                                                                  PER_PAGE, pages):
        out = [_chrome(head, topic, page, total, thread.title)]
        for pid, user, at in shown:
            out.append(_post(block, rng, world, posts, pid, user, at, topic))
        out.append(_chrome(tail, topic, page, total, thread.title))
        url = f"{SITE}/topic/{topic}-t/" + (f"page/{page + 1}/" if page else "")
        yield GeneratedPage(url, when + timedelta(days=3), "".join(out).encode("utf-8"), thread, page)


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


def _parts_3() -> tuple[str, str, str]:
    page = SAMPLE_3.read_text(encoding="utf-8")
    first, second, third = (page.index(f"<!--post:{pid}-->") for pid in (90211, 90217, 90230))
    tail = page.index("\t</div>\n</div>\n<div class='topic_controls clear")
    return page[:first], page[second:third], page[tail:]


def iter_corpus_3(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    """IP.Board 3.4 topic pages: the sample's chrome and its second post (a member, a quote, a like line)."""
    head, block, tail = _parts_3()
    world = World(seed)
    rng = world.rng

    for (topic, thread, when), posts, page, total, shown in paged(_topics(world, 5000, 120_000, 2011, 2_000_000),
                                                                  PER_PAGE, pages):
        out = [_chrome_3(head, topic, page, total, thread.title)]
        for post_id, user, at in shown:
            out.append(_post_3(block, rng, world, posts, post_id, user, at))
        out.append(_chrome_3(tail, topic, page, total, thread.title))
        url = f"{SITE_3}/topic/{topic}-t/" + (f"page-{page + 1}" if page else "")
        yield GeneratedPage(url, when + timedelta(days=3), "".join(out).encode("utf-8"), thread, page)


def _chrome_3(text: str, topic: int, page: int, total: int, title: str) -> str:
    text = text.replace("Sinking line for estuary sea trout", html.escape(title)).replace("4412", str(topic))
    return text.replace("Page 1 of 2", f"Page {page + 1} of {total}")


def _post_3(block, rng, world, posts, post_id, user, at) -> str:
    body = "".join(f"<p>{html.escape(rng.choice(world.sentences))}</p>" for _ in range(rng.randint(1, 4)))
    earlier = [p for p in posts if p[0] < post_id]
    if earlier and rng.random() < 0.3:
        q_id, q_user, q_at = rng.choice(earlier)
        body = (f'<blockquote  class="ipsBlockquote" data-author="{html.escape(q_user.name)}" data-cid="{q_id}" '
                f'data-time="{int(q_at.timestamp())}"><p>{html.escape(rng.choice(world.sentences))}</p></blockquote>'
                + body)
    slug = re.sub(r"\W+", "-", user.name.lower())
    text = block.replace("90217", str(post_id)).replace("Rusty_Reel", html.escape(user.name))
    text = text.replace("57-rusty-reel", f"{user.uid}-{slug}")
    text = text.replace('hovercard-id="57"', f'hovercard-id="{user.uid}"')
    text = text.replace("2013-04-02T21:15:00+00:00", at.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
    text = re.sub(r"(<div itemprop=\"commentText\" class='post entry-content '>\s*).*?(\s*<br />)",
                  lambda m, b=body: m.group(1) + b + m.group(2), text, count=1, flags=re.S)
    likes = rng.randint(0, 12)
    return text.replace("likes this", f"and <a href='#'>{likes} others</a> like this") if likes else text


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--ipb3" in argv:
        argv.remove("--ipb3")
        return corpus_main(iter_corpus_3, __doc__, argv)
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
