"""Generate a Stack Exchange benchmark corpus (.warc.gz): question pages with answers and comments.

The page chrome, the question and one answer come from samples/stackexchange/se-2022-accepted-answer/page.html
(built from the question page markup); every page repeats them with generated users, scores, bodies, 1-30
answers and 0-5 comments a post. The same seed gives the same corpus.

    python benchmarks/generate_stackexchange.py --pages 1000 --warc stackexchange.warc.gz
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

SAMPLE = (Path(__file__).resolve().parent.parent / "samples" / "stackexchange" / "se-2022-accepted-answer"
          / "page.html")
SITE = "https://cooking.stackexchange.example"
_ANSWER = re.compile(r'<a name="48215"></a>\n<div id="answer-48215".*?\n</div>\n(?=<a name="48230">)', re.S)
_COMMENT = re.compile(r'<li id="comment-501802".*?</li>', re.S)
_SECOND = re.compile(r'<a name="48230"></a>\n<div id="answer-48230".*?\n</div>\n', re.S)


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    page = SAMPLE.read_text(encoding="utf-8")
    answer = _ANSWER.search(page).group(0)
    comment = _COMMENT.search(page).group(0)
    head = page[: _ANSWER.search(page).start()]
    tail = page[_SECOND.search(page).end():]
    world = World(seed)
    rng = world.rng
    qid, cid = 50_000, 600_000
    for _ in range(pages):
        qid += rng.randint(10, 900)
        thread = world.thread()
        when = datetime(2014, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 4_000_000))
        out = [head.replace("48211", str(qid)).replace("Why does my sourdough starter smell like acetone?",
                                                        html.escape(thread.title))]
        aid = qid
        for n in range(rng.randint(1, 30)):
            aid += rng.randint(1, 50)
            when += timedelta(minutes=rng.randint(5, 3000))
            user = rng.choice(world.users)
            body = "\n".join(f"<p>{html.escape(rng.choice(world.sentences))}</p>" for _ in range(rng.randint(1, 5)))
            comments = []
            for _c in range(rng.choice((0, 0, 1, 2, 5))):
                cid += rng.randint(1, 30)
                c = comment.replace("501802", str(cid)).replace("48215", str(aid))
                c = c.replace("This fixed mine in three days, thanks.", html.escape(rng.choice(world.sentences)))
                comments.append(c.replace('data-comment-score="5"', f'data-comment-score="{rng.randint(0, 9)}"'))
            a = answer.replace("48215", str(aid)).replace("48211", str(qid)).replace(
                'data-score="21"', f'data-score="{rng.randint(-3, 200)}"')
            if n:
                a = a.replace(" accepted-answer js-accepted-answer", "").replace("acceptedAnswer", "suggestedAnswer")
            a = a.replace("Okonkwo", html.escape(user.name)).replace("/users/5511/", f"/users/{user.uid}/")
            a = a.replace("2022-02-09 19:12:08Z", f"{when:%Y-%m-%d %H:%M:%S}Z")
            a = re.sub(r'(<div class="s-prose js-post-body" itemprop="text">\n).*?(\n    </div>)',
                       lambda m, b=body: m.group(1) + b + m.group(2), a, count=1, flags=re.S)
            shown = "".join(comments)
            out.append(_COMMENT.sub(lambda m, c=shown: c, a, count=1))
        out.append(tail)
        yield GeneratedPage(f"{SITE}/questions/{qid}/q", when + timedelta(days=10), "".join(out).encode("utf-8"),
                            thread, 0)


def main(argv: list[str] | None = None) -> int:
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
