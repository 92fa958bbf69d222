"""Generate an SMF 2.1 benchmark corpus (.warc.gz): topic pages of 15 messages with the full page chrome.

The chrome and one message block are taken from samples/smf/smf21-two-pages/page-0.html (built from SMF 2.1's
public templates); every page repeats them with generated members, dates, bodies, quotes linked by message id,
likes, edit notes and signatures. The same seed gives the same corpus.

    python benchmarks/generate_smf.py --pages 1000 --warc smf.warc.gz
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import GeneratedPage, World, paged, write_warc  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "smf" / "smf21-two-pages" / "page-0.html"
SITE = "https://forum.harbourlights-astro.example/"
PER_PAGE = 15
_POST = re.compile(r'\n\t\t\t\t<div class="windowbg" id="msg5501">.*?<hr class="post_separator">', re.S)


def _parts() -> tuple[str, str, str]:
    """(page head, one message block, page tail) of the sample, the other messages removed."""
    page = SAMPLE.read_text(encoding="utf-8")
    first = _POST.search(page)
    end = page.index("\n\t\t\t</form>\n\t\t</div><!-- #forumposts -->")
    return page[: first.start()], first.group(0), page[end:]


def _date(when: datetime) -> str:
    return when.strftime("%b %d, %Y, %I:%M %p")


def iter_corpus(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng

    def topics():
        topic = 1000
        while True:
            topic += 1
            thread = world.thread()
            messages = []
            when = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 1500))
            msg = topic * 100
            for n in range(rng.randint(3, 60)):
                msg += rng.randint(1, 9)
                when += timedelta(minutes=rng.randint(5, 3000))
                user = rng.choice(world.users)
                messages.append((msg, user, when, n))
            yield (topic, thread), messages

    for (topic, thread), messages, page, total, shown in paged(topics(), PER_PAGE, pages):
        out = [_chrome(head, topic, page, total, thread.title)]
        for msg_id, user, when, n in shown:
            out.append(_message(block, rng, world, messages, msg_id, user, when, n, thread.title))
        out.append(_chrome(tail, topic, page, total, thread.title))
        url = f"{SITE}index.php?topic={topic}.{page * PER_PAGE}"
        yield GeneratedPage(url, when + timedelta(days=30), "".join(out).encode("utf-8"), thread, page)


def _chrome(text: str, topic: int, page: int, total: int, title: str) -> str:
    text = text.replace("First light with a 150mm Dobsonian", html.escape(title))
    text = text.replace("topic=812.0", f"topic={topic}.0").replace("topic=812.4", f"topic={topic}.{PER_PAGE}")
    text = text.replace("iTopicId: 812", f"iTopicId: {topic}")
    text = text.replace('sd_topic" value="812', f'sd_topic" value="{topic}')
    pager = " ".join(f'<span class="current_page">{n + 1}</span>' if n == page else
                     f'<a class="nav_page" href="{SITE}index.php?topic={topic}.{n * PER_PAGE}">{n + 1}</a>'
                     for n in range(total))
    return re.sub(r'<span class="pages">Pages</span>.*?\n\t\t\t</div>',
                  f'<span class="pages">Pages</span>{pager} \n\t\t\t</div>', text, flags=re.S)


def _message(block, rng, world, messages, msg_id, user, when, n, title) -> str:
    paragraphs = [" ".join(rng.choice(world.sentences) for _ in range(rng.randint(1, 5)))
                  for _ in range(rng.randint(1, 4))]
    body = "<br><br>".join(html.escape(p) for p in paragraphs)
    earlier = [m for m in messages if m[0] < msg_id]
    if earlier and rng.random() < 0.3:
        q_id, q_user, q_when, _ = rng.choice(earlier)
        body = (f'<blockquote class="bbc_standard_quote"><cite><a href="{SITE}index.php?msg={q_id}">Quote from: '
                f'{html.escape(q_user.name)} on {_date(q_when)}</a></cite>{html.escape(rng.choice(world.sentences))}'
                f'</blockquote>{body}')
    text = block.replace("5501", str(msg_id)).replace("Nadia Perrault", html.escape(user.name))
    text = text.replace("u=41", f"u={user.uid}").replace("Mar 14, 2023, 09:15 PM", _date(when))
    text = text.replace("First light with a 150mm Dobsonian", html.escape(("Re: " if n else "") + title))
    text = re.sub(r'(<div class="inner" data-msgid="\d+" id="msg_\d+">).*?(\n\t\t\t\t\t\t\t\t</div>)',
                  lambda m: m.group(1) + "\n\t\t\t\t\t\t\t\t\t" + body + m.group(2), text, count=1, flags=re.S)
    likes = rng.choice((0, 0, 0, 1, 2, 5))
    text = re.sub(r"\d+ people</a> like this\.", f"{likes} people</a> like this." if likes else "", text)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warc", required=True)
    args = ap.parse_args(argv)
    count, total = write_warc(iter_corpus(args.seed, args.pages), args.warc)
    print(f"{args.warc}: {count} pages, {total / 1e6:.1f} MB of HTML", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
