"""Generate a FluxBB 1.5 (or, with --punbb14, PunBB 1.4) benchmark corpus (.warc.gz): topic pages of 25 posts.

The chrome and one post block come from samples/fluxbb/fluxbb15-two-pages/page-1.html (built from FluxBB's
templates); every page repeats them with generated members, guests, dates, bodies, quotes, edit notes and
signatures. The same seed gives the same corpus.

    python benchmarks/generate_fluxbb.py --pages 1000 --warc fluxbb.warc.gz
    python benchmarks/generate_fluxbb.py --punbb14 --pages 1000 --warc punbb14.warc.gz

With --punbb14 the chrome and post block come from samples/fluxbb/punbb14-two-pages/page-1.html (PunBB 1.4.2).
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
    return _corpus(seed, pages, _parts(), _chrome, _post, SITE, first_topic=300, year=2012)


def _corpus(seed, pages, parts, chrome, post, site, first_topic: int, year: int) -> Iterator[GeneratedPage]:
    """Pages of generated topics in one style: its chrome around PER_PAGE of its post blocks."""
    head, block, tail = parts
    world = World(seed)
    rng = world.rng

    def topics():
        topic = first_topic
        while True:
            topic += 1
            thread = world.thread()
            posts = []
            when = datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 2500))
            pid = topic * 100
            for n in range(rng.randint(2, 80)):
                pid += rng.randint(1, 9)
                when += timedelta(minutes=rng.randint(3, 2000))
                posts.append((pid, rng.choice(world.users) if rng.random() < 0.95 else None, when, n))
            yield (topic, thread, when), posts

    for (topic, thread, when), posts, page, total, shown in paged(topics(), PER_PAGE, pages):
        out = [chrome(head, topic, page, total, thread.title)]
        for one in shown:
            out.append(post(block, rng, world, posts, one, thread.title))
        out.append(chrome(tail, topic, page, total, thread.title))
        url = f"{site}viewtopic.php?id={topic}" + (f"&p={page + 1}" if page else "")
        yield GeneratedPage(url, when + timedelta(days=30), "".join(out).encode("utf-8"), thread, page)


def _body(rng, world, posts, pid: int, quote_inner: str) -> str:
    """Generated paragraphs, after a quote of an earlier member's post three times in ten (``quote_inner``: what
    wraps the quoted text inside the blockquote, '<div><p>%s</p></div>' in FluxBB, '<p>%s</p>' in PunBB)."""
    paragraphs = [" ".join(rng.choice(world.sentences) for _ in range(rng.randint(1, 5)))
                  for _ in range(rng.randint(1, 4))]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    earlier = [p for p in posts if p[0] < pid and p[1] is not None]
    if earlier and rng.random() < 0.3:
        quoted = rng.choice(earlier)
        inner = quote_inner % html.escape(rng.choice(world.sentences))
        body = (f'<div class="quotebox"><cite>{html.escape(quoted[1].name)} wrote:</cite><blockquote>{inner}'
                f'</blockquote></div>{body}')
    return body


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
    body = _body(rng, world, posts, pid, "<div><p>%s</p></div>")
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


PUNBB_SAMPLE = SAMPLE.parent.parent / "punbb14-two-pages" / "page-1.html"
PUNBB_SITE = "http://www.brewers-bench.example.net/forum/"
_POST_14 = re.compile(r'\t\t<div class="post odd firstpost topicpost">.*?\n\t\t</div>\n(?=\t\t<div class="post )', re.S)


def _parts_14() -> tuple[str, str, str]:
    """(page head, the opening post's block, page tail) of the PunBB 1.4 sample."""
    page = PUNBB_SAMPLE.read_text(encoding="utf-8")
    first = _POST_14.search(page)
    end = page.index('\t</div>\n\n\t<div class="main-foot">')
    return page[: first.start()], first.group(0), page[end:]


def iter_corpus_punbb14(seed: int = 1, pages: int = 100) -> Iterator[GeneratedPage]:
    return _corpus(seed, pages, _parts_14(), _chrome_14, _post_14, PUNBB_SITE, first_topic=1200, year=2010)


def _chrome_14(text: str, topic: int, page: int, total: int, title: str) -> str:
    text = text.replace("First all-grain batch tastes of cardboard", html.escape(title))
    text = text.replace("id=1187", f"id={topic}").replace("tid=1187", f"tid={topic}")
    links = " ".join(f"<strong>{n + 1}</strong>" if n == page else
                     f'<a href="{PUNBB_SITE}viewtopic.php?id={topic}{"" if n == 0 else f"&amp;p={n + 1}"}">{n + 1}</a>'
                     for n in range(total))
    text = re.sub(r'<p class="paging"><span class="pages">Pages</span> .*?</p>',
                  f'<p class="paging"><span class="pages">Pages</span> {links}</p>', text)
    return re.sub(r"\(Page \d+ of \d+\)", f"(Page {page + 1} of {total})", text)


def _post_14(block, rng, world, posts, post, title) -> str:
    pid, user, when, n = post
    body = _body(rng, world, posts, pid, "<p>%s</p>")
    text = block.replace("8801", str(pid)).replace('<span class="post-num">1<', f'<span class="post-num">{n + 1}<')
    text = text.replace("2012-03-10 20:14:08", when.strftime("%Y-%m-%d %H:%M:%S"))
    text = text.replace("First all-grain batch tastes of cardboard", html.escape(title))
    if n:
        text = text.replace("odd firstpost topicpost", "odd replypost").replace("Topic by ", "Reply by ").replace(
            ">Topic: ", ">Re: ")
    if user is None:
        guest = f"{html.escape(rng.choice(world.users).name)} (guest)"
        text = re.sub(r'<a title="[^"]*" href="[^"]*profile\.php\?id=42">hop_ranger</a></span>',
                      f"<strong>{guest}</strong></span>", text, count=1)
        text = re.sub(r'(<ul class="author-ident">).*?(</ul>\s*<ul class="author-info">).*?(</ul>)',
                      rf'\1<li class="username"><strong>{guest}</strong></li><li class="usertitle"><span>Guest</span>'
                      r"</li>\2\3", text, count=1, flags=re.S)
    else:
        name = html.escape(user.name)
        text = text.replace("profile.php?id=42", f"profile.php?id={user.uid}").replace(">hop_ranger<", f">{name}<")
        text = text.replace("Go to hop_ranger's", f"Go to {name}'s").replace('alt="hop_ranger"', f'alt="{name}"')
        text = text.replace("avatars/42.png", f"avatars/{user.uid}.png")
        text = text.replace("Posts: <strong>37<", f"Posts: <strong>{rng.randint(1, 5000)}<")
    text = re.sub(r'(<div class="entry-content">\s*).*?(\s*</div>)', lambda m: m.group(1) + body + m.group(2), text,
                  count=1, flags=re.S)
    if rng.random() > 0.2:
        text = re.sub(r' <span class="post-edit">.*?</span>', "", text, count=1)
    return text


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--punbb14" in argv:
        argv.remove("--punbb14")
        return corpus_main(iter_corpus_punbb14, __doc__, argv)
    return corpus_main(iter_corpus, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
