"""Generate a Reddit benchmark corpus (.warc.gz): classic comments pages (with --redesign, 2018-2022 redesign
pages) with trees of up to 200 comments.

The chrome and one comment come from samples/reddit/oldreddit-nested-more/page.html (built from the open-source
reddit templates); every page repeats them with generated users, scores and texts, nested up to six deep. The
same seed gives the same corpus.

    python benchmarks/generate_reddit.py --pages 1000 --warc reddit.warc.gz

``--redesign`` writes 2018-2022 redesign pages instead: the chrome and one comment from
samples/reddit/redesign-2020-wayback/page.html (without its Wayback wrapping), flat comment elements indented by
level, and the state JSON (posts.models, features.comments.models) the server put in each page.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import GeneratedPage, World, corpus_main  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "reddit" / "oldreddit-nested-more" / "page.html"
SITE = "https://old.reddit.com"
_LIST = re.compile(r'(<div id="siteTable_t3_d8k2xq" class="sitetable nestedlisting">)(.*)'
                   r'(</div></div></div><div class="footer-parent">)', re.S)
_ONE = re.compile(r'<div class=" thing id-t1_f0a4f10 .*?<div class="child" ></div><div class="clearleft"></div></div>'
                  r'<div class="clearleft"></div>', re.S)


def _parts() -> tuple[str, str, str]:
    page = SAMPLE.read_text(encoding="utf-8")
    listing = _LIST.search(page)
    return page[: listing.end(1)], _ONE.search(page).group(0), page[listing.start(3):]


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def _threads(world: World, pages: int) -> Iterator[tuple[str, object]]:
    """(base-36 link id, generated thread) for each page; ids rise by random steps, as Reddit's do."""
    link_n = 20_000_000
    for _ in range(pages):
        link_n += world.rng.randint(10, 5000)
        yield _base36(link_n), world.thread()


def iter_corpus(seed: int = 1, pages: int = 100, max_posts: int = 200) -> Iterator[GeneratedPage]:
    head, block, tail = _parts()
    world = World(seed)
    rng = world.rng
    cid_n = 900_000_000
    for link, thread in _threads(world, pages):
        when = datetime(2016, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 3_000_000))
        out = [head.replace("d8k2xq", link).replace("First tour: which direction round the loop?",
                                                     html.escape(thread.title))]
        open_levels, level = 0, 0
        for i in range(rng.randint(1, max_posts)):
            level = 0 if i == 0 else max(0, min(level + rng.choice((-2, -1, 0, 0, 1)), 5))
            while open_levels > level:
                out.append("</div></div><div class=\"clearleft\"></div></div><div class=\"clearleft\"></div>")
                open_levels -= 1
            cid_n += rng.randint(1, 400)
            cid = _base36(cid_n)
            when += timedelta(minutes=rng.randint(1, 90))
            person = rng.choice(world.users)
            user = re.sub(r"\W", "", person.name)[:18] or "anon"
            text = "".join(f"<p>{html.escape(rng.choice(world.sentences))}</p>" for _ in range(rng.randint(1, 3)))
            b = block.replace("f0a4f10", cid).replace("d8k2xq", link).replace("first_tour_kit", user)
            b = b.replace("t2_8hhx0", f"t2_{_base36(person.uid)}")
            b = b.replace("2019-09-11T18:30:51+00:00", when.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
            b = b.replace('<span class="score-hidden">[score hidden]</span>',
                          f'<span class="score unvoted" title="{rng.randint(-5, 900)}">points</span>')
            b = re.sub(r'(<div class="md">).*?(</div>)', lambda m, t=text: m.group(1) + t + m.group(2), b, count=1,
                       flags=re.S)
            # open this comment's child listing for the next (deeper) one, or close it right away
            b = b.replace('<div class="child" ></div><div class="clearleft"></div></div><div class="clearleft"></div>',
                          f'<div class="child" ><div id="siteTable_t1_{cid}" class="sitetable listing">')
            out.append(b)
            open_levels = level + 1  # this comment stays open: the next one may be its reply
        while open_levels > 0:
            out.append("</div></div><div class=\"clearleft\"></div></div><div class=\"clearleft\"></div>")
            open_levels -= 1
        out.append(tail)
        yield GeneratedPage(f"{SITE}/r/bench/comments/{link}/_/", when + timedelta(days=2),
                            "".join(out).encode("utf-8"), thread, 0)


REDESIGN = SAMPLE.parent.parent / "redesign-2020-wayback" / "page.html"
_WAYBACK = re.compile(r'<script type="text/javascript" src="/web/.*?<!-- End Wayback Rewrite JS Include -->'
                      r'|<!-- BEGIN WAYBACK TOOLBAR INSERT -->.*?<!-- END WAYBACK TOOLBAR INSERT -->'
                      r'|(?<=</html>)<!--.*', re.S)
_STATE = re.compile(r'(<script id="data">window\.___r = )(.*?)(;window\.___prefetches)', re.S)


def _redesign_parts() -> tuple[str, str, str]:
    page = _WAYBACK.sub("", REDESIGN.read_text(encoding="utf-8")).replace("/web/20200817093012/", "")
    start = page.index('<div><div id="t1_g18k2ab"')
    end = page.index('</div></div></div><div class="_1BFbVxT49QnrAN3fqEFUUy">')
    return page[:start], page[start:page.index('<div><div id="t1_g18m7cd"')], page[end:]


def iter_redesign_corpus(seed: int = 1, pages: int = 100, max_posts: int = 200) -> Iterator[GeneratedPage]:
    head, block, tail = _redesign_parts()
    state = json.loads(_STATE.search(tail).group(2))
    world = World(seed)
    rng = world.rng
    cid_n = 900_000_000
    for link, thread in _threads(world, pages):
        when = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 1_500_000))
        post = dict(state["posts"]["models"]["t3_i8m2qz"], id=f"t3_{link}", title=thread.title,
                    created=int(when.timestamp() * 1000))
        models: dict[str, dict] = {}
        out = [head.replace("i8m2qz", link).replace("How do you keep a sourdough starter alive on holiday?",
                                                     html.escape(thread.title))]
        branch: dict[int, str] = {}
        level = 0
        for i in range(rng.randint(1, max_posts)):
            level = 0 if i == 0 else max(0, min(level + rng.choice((-2, -1, 0, 0, 1)), 5))
            cid_n += rng.randint(1, 400)
            cid = f"t1_{_base36(cid_n)}"
            branch[level] = cid
            when += timedelta(minutes=rng.randint(1, 90))
            person = rng.choice(world.users)
            user = re.sub(r"\W", "", person.name)[:18] or "anon"
            score = rng.randint(-5, 900)
            paras = [rng.choice(world.sentences) for _ in range(rng.randint(1, 3))]
            text = "".join(f'<p class="_1qeIAgB0cPwnLhDF9XSiJM">{html.escape(p)}</p>' for p in paras)
            b = block.replace("t1_g18k2ab", cid).replace("g18k2ab", cid[3:]).replace("i8m2qz", link)
            b = b.replace("levain_larry", user).replace("42 points", f"{score} points").replace(">42<", f">{score}<")
            b = b.replace("padding-left:16px", f"padding-left:{16 + 21 * level}px")
            b = b.replace("level 1", f"level {level + 1}")
            b = re.sub(r'(RichTextJSON-root">).*?(</div>)', lambda m, t=text: m.group(1) + t + m.group(2), b, count=1,
                       flags=re.S)
            out.append(b)
            models[cid] = {"id": cid, "postId": post["id"], "parentId": branch[level - 1] if level else post["id"],
                           "depth": level, "author": user, "authorId": f"t2_{_base36(person.uid)}", "score": score,
                           "isScoreHidden": False, "created": int(when.timestamp() * 1000), "isRemoved": False,
                           "permalink": f"/r/Breadit/comments/{link}/_/{cid[3:]}/", "bodyMD": "\n\n".join(paras)}
        page_state = dict(state, posts={"models": {post["id"]: dict(post, numComments=len(models))}},
                          features={"comments": {"models": models}})
        state_js = json.dumps(page_state, separators=(",", ":"))
        page_tail = tail.replace("i8m2qz", link)
        out.append(_STATE.sub(lambda m, js=state_js: m.group(1) + js + m.group(3), page_tail, count=1))
        yield GeneratedPage(f"https://www.reddit.com/r/Breadit/comments/{link}/_/", when + timedelta(days=2),
                            "".join(out).encode("utf-8"), thread, 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--redesign" in argv:
        argv.remove("--redesign")
        return corpus_main(iter_redesign_corpus, __doc__, argv, max_posts=200)
    return corpus_main(iter_corpus, __doc__, argv, max_posts=200)


if __name__ == "__main__":
    sys.exit(main())
