"""Generate a WordPress benchmark corpus (.warc.gz): posts with threaded comments, 50 to a comment page.

The page chrome and one comment block come from samples/wordpress/wp-twentytwentyone-two-pages/page.html (built
from WordPress core's comment walker and the Twenty Twenty-One theme); every page repeats them with generated
commenters (registered or not, with or without a website), reply trees up to five deep, and bodies. The same
seed gives the same corpus.

    python benchmarks/generate_wordpress.py --pages 1000 --warc wordpress.warc.gz
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

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "wordpress" / "wp-twentytwentyone-two-pages" / "page.html"
SITE = "https://beekeeping-notes.example.org/"
PER_PAGE = 50
_LIST = re.compile(r'(<ol class="comment-list">\n)(.*?)(\t\t</ol><!-- \.comment-list -->)', re.S)
_ONE = re.compile(r'\t\t<li id="comment-736".*?</li><!-- #comment-## -->\n', re.S)


def _parts() -> tuple[str, str, str]:
    """(page head, one comment block without replies, page tail) of the sample."""
    page = SAMPLE.read_text(encoding="utf-8")
    listing = _LIST.search(page)
    return page[: listing.end(1)], _ONE.search(page).group(0), page[listing.start(3):]


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng
    count, pid = 0, 400
    while count < pages:
        pid += 1
        thread = world.thread()
        when = datetime(2014, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 3000))
        tops = []  # each top-level comment with its replies: (cid, user, when, depth) in display order
        cid = pid * 100
        for _ in range(rng.randint(1, 60)):
            branch, depth = [], 0
            for _ in range(1 + (rng.randint(0, 4) if rng.random() < 0.4 else 0)):
                cid += rng.randint(1, 5)
                when += timedelta(minutes=rng.randint(5, 900))
                branch.append((cid, rng.choice(world.users), when, depth))
                depth = min(depth + rng.choice((0, 1, 1)), 4)
            tops.append(branch)
        total = (len(tops) + PER_PAGE - 1) // PER_PAGE
        url = f"{SITE}{when:%Y/%m}/post-{pid}/"
        for page in range(total):
            out = [_chrome(head, pid, url, page, total, thread.title)]
            for branch in tops[page * PER_PAGE:(page + 1) * PER_PAGE]:
                out.append(_branch(block, rng, world, branch))
            out.append(_chrome(tail, pid, url, page, total, thread.title))
            page_url = url + (f"comment-page-{page + 1}/" if total > 1 else "")
            yield GeneratedPage(page_url, when + timedelta(days=30), "".join(out).encode("utf-8"), thread, page)
            count += 1
            if count >= pages:
                return


def _chrome(text: str, pid: int, url: str, page: int, total: int, title: str) -> str:
    text = text.replace("Swarm season is early this year", html.escape(title)).replace("412", str(pid))
    text = text.replace(f"{SITE}2021/04/swarm-season-is-early-this-year/", url)
    return re.sub(r'<span aria-current="page" class="page-numbers current">\d+</span>',
                  f'<span aria-current="page" class="page-numbers current">{page + 1}</span>', text)


def _branch(block: str, rng, world, branch) -> str:
    """A top-level comment and its replies, each nested in the previous one's ol.children when deeper."""
    out, open_levels = [], 0
    for cid, user, when, depth in branch:
        while open_levels > depth:
            out.append("</ol><!-- .children -->\n</li><!-- #comment-## -->\n")
            open_levels -= 1
        if out and open_levels == depth and depth > 0:
            out.append("</li><!-- #comment-## -->\n")
        if depth > open_levels:
            out.append('<ol class="children">\n')
            open_levels = depth
        body = "".join(f"<p>{html.escape(rng.choice(world.sentences))}</p>\n" for _ in range(rng.randint(1, 4)))
        text = block.replace("736", str(cid)).replace("Margit", html.escape(user.name))
        text = text.replace("depth-1", f"depth-{depth + 1}").replace("2021-04-15T07:31:55+01:00", when.isoformat())
        text = re.sub(r'(<div class="comment-content">\s*).*?(\s*</div><!-- \.comment-content -->)',
                      lambda m, body=body: m.group(1) + body + m.group(2), text, count=1, flags=re.S)
        out.append(text.replace("</li><!-- #comment-## -->\n", ""))
    while open_levels > 0:
        out.append("</li><!-- #comment-## -->\n</ol><!-- .children -->\n")
        open_levels -= 1
    out.append("</li><!-- #comment-## -->\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
