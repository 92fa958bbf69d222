"""Generate a Vanilla benchmark corpus (.warc.gz): discussion pages of 30 comments under the repeated discussion.

The chrome, the discussion and one comment come from samples/vanilla/vanilla28-two-pages/page.html (built from
Vanilla 2.x's views); every page repeats them with generated members, reactions and quotes. The same seed gives
the same corpus.

    python benchmarks/generate_vanilla.py --pages 1000 --warc vanilla.warc.gz
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

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "vanilla" / "vanilla28-two-pages" / "page.html"
SITE = "https://forum.riverside-growers.example"
PER_PAGE = 30
_COMMENT = re.compile(r'<li class="Item Alt ItemComment Role_Member" id="Comment_88120">.*?</li>', re.S)


def _parts() -> tuple[str, str, str]:
    page = SAMPLE.read_text(encoding="utf-8")
    start = page.index('<li class="Item Alt ItemComment Role_Member" id="Comment_88120">')
    end = page.index("</li>", page.index('id="Comment_88124"')) + len("</li>")
    return page[:start], _COMMENT.search(page).group(0), page[end:]


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng

    def topics():
        did, cid = 4000, 100_000
        while True:
            did += rng.randint(1, 20)
            thread = world.thread()
            when = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 3_000_000))
            comments = []
            for _ in range(rng.randint(1, 120)):
                cid += rng.randint(1, 25)
                when += timedelta(minutes=rng.randint(3, 900))
                comments.append((cid, rng.choice(world.users), when))
            yield (did, thread, when), comments

    for (did, thread, when), _comments, page, _total, shown in paged(topics(), PER_PAGE, pages):
        out = [head.replace("3051", str(did)).replace("Leaf curl on peach trees", html.escape(thread.title))]
        for c_id, user, at in shown:
            body = "".join(f"<p>{html.escape(rng.choice(world.sentences))}</p>" for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.25:
                q = html.escape(rng.choice(world.users).name)
                body = (f'<blockquote class="Quote UserQuote"><div class="QuoteAuthor"><a href="/profile/{q}" '
                        f'class="js-userCard">{q}</a> said:</div><div class="QuoteText"><p>'
                        f'{html.escape(rng.choice(world.sentences))}</p></div></blockquote>{body}')
            name = html.escape(re.sub(r"\s+", "", user.name))
            b = block.replace("88120", str(c_id)).replace("GrannySmithers", name)
            b = b.replace("2019-03-14T19:30:05+00:00", at.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
            b = b.replace('<span class="Count">5</span>', f'<span class="Count">{rng.randint(1, 20)}</span>')
            out.append(re.sub(r'(<div class="Message userContent">\s*).*?(\s*</div>)',
                              lambda m, t=body: m.group(1) + t + m.group(2), b, count=1, flags=re.S))
        out.append(tail.replace("3051", str(did)))
        url = f"{SITE}/discussion/{did}/d" + (f"/p{page + 1}" if page else "")
        yield GeneratedPage(url, when + timedelta(days=3), "".join(out).encode("utf-8"), thread, page)


def main(argv: list[str] | None = None) -> int:
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
