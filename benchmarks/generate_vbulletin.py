"""Generate a vBulletin benchmark corpus: vB 4.2 thread pages (postbit_legacy, ten posts per page) in the full page
chrome of samples/vbulletin/vb4-legacy-en (header, navbar, breadcrumb, ads, thread tools, footer), with generated
posts (quotes with post ids, thanks boxes, edit notes, signatures, guests, deleted posts), written as a .warc.gz.

    python benchmarks/generate_vbulletin.py --mb 100 --warc bench/vb100.warc.gz
    python benchmarks/run.py bench/vb100.warc.gz
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples" / "vbulletin"
PER_PAGE = 10
WORDS = ("the paddle rudder skeg tide crossing boat hull deck hatch spray skirt current wind swell ferry glide "
         "brace roll stroke edge bow stern cockpit foam kit launch beach harbour chart compass route headland "
         "rock surf weather forecast knots miles trip camp gear dry bag pump float tow rope").split()
NAMES = ("salt_spray", "Eddyline Ed", "knot_a_sailor", "tideline", "harbour_hank", "Brace Betty", "ferry_glider",
         "kelp_king", "pumpkinseed", "surf_ski_sam", "chartplotter", "drybag_dan")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _frame(path: Path, start: str, end: str) -> tuple[str, str]:
    """The sample page around its post list: (everything up to ``start``'s line end, everything from ``end``)."""
    text = path.read_text(encoding="utf-8" if "vb4" in path.parent.name else "latin-1")
    a = text.index(start)
    a = text.index("\n", a) + 1
    return text[:a], text[text.index(end):]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _vb4_post(rng, pid: int, n: int, when: datetime, thread_url: str, earlier: list[tuple[int, str]]) -> str:
    uid = rng.randrange(len(NAMES))
    name = NAMES[uid]
    guest = rng.random() < 0.05
    date = when.strftime("%m-%d-%Y")
    clock = when.strftime("%I:%M %p")
    head = (f'<li class="postbitlegacy postbitim postcontainer old" id="post_{pid}">\n<div class="posthead">'
            f'<span class="postdate old"><span class="date">{date},&nbsp;<span class="time">{clock}</span></span>'
            f'</span><span class="nodecontrols"><a name="post{pid}" href="{thread_url}#post{pid}" '
            f'class="postcounter">#{n}</a><a id="postcount{pid}" name="{n}"></a></span></div>\n')
    if rng.random() < 0.02:
        return (f'<li class="postbitdeleted postbitim" id="post_{pid}">\n<div class="posthead"><span class="date">'
                f'{date},&nbsp;<span class="time">{clock}</span></span><a name="post{pid}"></a></div>\n'
                f'<div class="userinfo"><div class="popupmenu memberaction"><a class="username offline popupctrl" '
                f'href="member.php?{uid + 2}-x"><strong>{name}</strong></a></div></div>\n<div class="postbody">'
                f'<div class="postrow"><h2 class="title">This message has been deleted by Eddyline Ed.</h2></div>'
                f'</div><hr /></li>\n')
    if guest:
        who = '<div class="username_container"><span class="username guest">Guest</span></div>'
        stats = ""
    else:
        who = (f'<div class="username_container"><div class="popupmenu memberaction"><a class="username offline '
               f'popupctrl" href="member.php?{uid + 2}-{name.replace(" ", "-")}" title="{name} is offline"><strong>'
               f'{name}</strong></a><ul class="popupbody popuphover memberaction_body"><li class="left"><a href="'
               f'member.php?{uid + 2}" class="siteicon_profile">View Profile</a></li></ul></div></div>')
        stats = (f'<hr /><dl class="userinfo_extra"><dt>Join Date</dt> <dd>Jun 20{10 + uid % 4}</dd> '
                 f'<dt>Posts</dt> <dd>{rng.randrange(1, 5000):,}</dd></dl>')
    paragraphs = [_sentence(rng, rng.randrange(8, 40)) for _ in range(rng.randrange(1, 5))]
    body = "<br />\n<br />\n".join(paragraphs)
    if earlier and rng.random() < 0.3:
        qid, qname = rng.choice(earlier)
        body = (f'<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container">'
                f'<div class="bbcode_quote_container"></div><div class="bbcode_postedby"><img src="images/misc/'
                f'quote_icon.png" alt="Quote" /> Originally Posted by <strong>{qname}</strong> <a href="showthread.'
                f'php?p={qid}#post{qid}" rel="nofollow"><img class="inlineimg" src="images/buttons/viewpost-right'
                f'.png" alt="View Post" /></a></div><div class="message">{_sentence(rng, 12)}</div></div></div>'
                f'</div>' + body)
    edit = (f'<blockquote class="postcontent lastedited">Last edited by {name}; {date} at <span class="time">'
            f'{clock}</span>.</blockquote>' if rng.random() < 0.1 else "")
    sig = (f'<blockquote class="signature restore"><div class="signaturecontainer">{_sentence(rng, 6)}</div>'
           f'</blockquote>' if rng.random() < 0.4 else "")
    post = (f'{head}<div class="postdetails"><div class="userinfo">{who}<span class="usertitle">Paddler</span>'
            f'{stats}</div>\n<div class="postbody"><div class="postrow"><div class="content"><div id="post_message_'
            f'{pid}"><blockquote class="postcontent restore ">{body}</blockquote></div></div>{edit}{sig}</div></div>'
            f'</div>\n<div class="postfoot"><div class="textcontrols floatcontainer"><span class="postcontrols">'
            f'<a class="newreply" href="newreply.php?do=newreply&amp;p={pid}" rel="nofollow">Reply With Quote</a>'
            f'</span></div></div><hr />\n</li>\n')
    if rng.random() < 0.2:
        k = rng.randrange(1, 6)
        names = ", ".join(f'<a href="member.php?u={rng.randrange(2, 900)}" rel="nofollow">{rng.choice(NAMES)}</a>'
                          for _ in range(k))
        post += (f'<li class="postbit postbitim" id="post_thanks_box_{pid}"><div class="postbody"><div class='
                 f'"postrow"><h2 class="posttitle">The Following {k} Users Say Thank You to {name} For This Useful '
                 f'Post:</h2><div class="content"><div id="post_thanks_bit_{pid}"><blockquote class="postcontent '
                 f'restore">{names}</blockquote></div></div></div></div><hr /></li>\n')
    earlier.append((pid, "Guest" if guest else name))
    return post


def iter_corpus(seed: int = 1, pages: int | None = None, mb: float | None = None):
    gen = _load("bench_generate", HERE / "generate.py")
    rng = random.Random(seed)
    top, bottom = _frame(SAMPLES / "vb4-legacy-en" / "page.html", '<ol id="posts"', "\t\t</ol>")
    site = "http://www.coastal-kayak-forum.com/forum"
    count = size = 0
    tid, pid = 4000, 600000
    when = datetime(2012, 1, 1, 9, 0)
    while (pages is None or count < pages) and (mb is None or size < mb * 1e6):
        tid += 1
        total = rng.randrange(1, 8)
        url = f"showthread.php?{tid}-thread-{tid}"
        earlier: list[tuple[int, str]] = []
        for page in range(total):
            if pages is not None and count >= pages:
                break
            page_url = url + (f"/page{page + 1}" if page else "")
            posts = []
            for i in range(PER_PAGE):
                pid += 1
                when += timedelta(minutes=rng.randrange(5, 600))
                posts.append(_vb4_post(rng, pid, page * PER_PAGE + i + 1, when, page_url, earlier))
            html = (re.sub(r"3318-Rudder-or-skeg-for-a-first-sea-kayak", f"{tid}-thread-{tid}", top)
                    .replace("Page 1 of 1", f"Page {page + 1} of {total}")
                    + "".join(posts) + bottom)
            body = html.encode("utf-8")
            yield gen.GeneratedPage(url=f"{site}/{page_url}", date=when, html=body, thread=None, page=page)
            count, size = count + 1, size + len(body)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--pages", type=int)
    size.add_argument("--mb", type=float)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warc", required=True)
    args = ap.parse_args(argv)
    gen = _load("bench_generate", HERE / "generate.py")
    n, total = gen.write_warc(iter_corpus(args.seed, args.pages, args.mb), args.warc)
    print(f"{n} pages, {total / 1e6:.1f} MB of HTML -> {args.warc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
