# ruff: noqa: E501  (the page template keeps prosilver's own long lines)
"""Generate a phpBB 3.3 prosilver corpus for the benchmarks, as a .warc.gz (same world as generate.py).

Pages carry prosilver's full chrome as samples/phpbb/phpbb33-prosilver-two-pages shows it: header with search
box, quick links and login bar, schema.org breadcrumbs, topic tools, both pagination bars, postprofile with
avatar, rank, posts and joined, post buttons, `<time datetime>`, quotes with `data-post-id`, signatures, edit
notices, footer and scripts. Topics hold 5-300 posts, 10 per page (phpBB's default, `&start=N`).

    python benchmarks/generate_phpbb.py --pages 1000 --warc phpbb.warc.gz
"""

from __future__ import annotations

import argparse
import html
import math
import os
import sys
from collections.abc import Iterator
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import GeneratedPage, Thread, World, write_warc  # noqa: E402

SITE = "http://board.example.org/forum/"
PER_PAGE = 10
E = html.escape


def _date(when) -> str:
    return when.strftime("%a %b %d, %Y %-I:%M %p").replace("AM", "am").replace("PM", "pm")


def _post(thread: Thread, i: int, c, quoted) -> str:
    pid = c.cid
    user = c.author
    if user is not None:
        prof = f"./memberlist.php?mode=viewprofile&amp;u={user.uid}"
        full = f'<a href="{prof}" class="username">{E(user.name)}</a>'
        avatar = (f'<a href="{prof}" class="avatar"><img class="avatar" src="./download/file.php?avatar={user.uid}_{pid}.jpg" '
                  f'width="90" height="90" alt="User avatar" /></a>') if user.picture else ""
        details = (f'<dd class="profile-rank">Member</dd><dd class="profile-posts"><strong>Posts:</strong> '
                   f'<a href="./search.php?author_id={user.uid}&amp;sr=posts">{user.uid % 700 + 3}</a></dd>'
                   f'<dd class="profile-joined"><strong>Joined:</strong> {_date(thread.created - timedelta(days=user.uid % 900))}</dd>')
    else:
        prof, avatar, details = None, "", ""
        full = f'<span class="username">{E(c.anon_name)}</span>'
    quote = ""
    if quoted is not None:
        qa = quoted.author.name if quoted.author else quoted.anon_name
        quote = (f'<blockquote cite="./viewtopic.php?p={quoted.cid}#p{quoted.cid}"><div><cite>{E(qa)} wrote: '
                 f'<a href="./viewtopic.php?p={quoted.cid}#p{quoted.cid}" aria-label="View quoted post" data-post-id="{quoted.cid}" '
                 f'onclick="if(document.getElementById(hash.substr(1)))href=hash"><i class="icon fa-arrow-circle-up fa-fw" aria-hidden="true"></i></a>'
                 f'<span class="responsive-hide">{_date(quoted.created)}</span></cite>{quoted.paragraphs[0][:200]}</div></blockquote>')
    body = quote + "<br>\n<br>\n".join(c.paragraphs)
    notice = (f'<div class="notice">Last edited by {full} on {_date(c.created + timedelta(minutes=9))}, edited 1 time in total.</div>'
              if c.votes % 5 == 0 else "")
    sig = f'<div id="sig{pid}" class="signature">{E(user.name)} &mdash; {thread.board}</div>' if user and user.uid % 3 == 0 else ""
    return f"""	<div id="p{pid}" class="post has-profile bg{1 + i % 2}">
		<div class="inner">
		<dl class="postprofile" id="profile{pid}">
			<dt class="has-profile-rank {'has-avatar' if avatar else 'no-avatar'}">
				<div class="avatar-container">{avatar}</div>
				{full if prof else '<strong>' + full + '</strong>'}
			</dt>
			{details}
		</dl>
		<div class="postbody">
			<div id="post_content{pid}">
		<h3 ><a href="./viewtopic.php?p={pid}#p{pid}">Re: {E(thread.title)}</a></h3>
				<ul class="post-buttons">
					<li><a href="./posting.php?mode=quote&amp;p={pid}" title="Reply with quote" class="button button-icon-only"><i class="icon fa-quote-left fa-fw" aria-hidden="true"></i><span class="sr-only">Quote</span></a></li>
				</ul>
			<p class="author">
				<a class="unread" href="./viewtopic.php?p={pid}#p{pid}" title="Post"><i class="icon fa-file fa-fw icon-lightgray icon-md" aria-hidden="true"></i><span class="sr-only">Post</span></a>
				<span class="responsive-hide">by <strong>{full}</strong> &raquo; </span><time datetime="{c.created.strftime('%Y-%m-%dT%H:%M:%S+00:00')}">{_date(c.created)}</time>
			</p>
			<div class="content">{body}</div>
			{notice}
			{sig}
			</div>
		</div>
		<div class="back2top"><a href="#top" class="top" title="Top"><i class="icon fa-chevron-circle-up fa-fw icon-gray" aria-hidden="true"></i><span class="sr-only">Top</span></a></div>
		</div>
	</div>
	<hr class="divider" />
"""


def _pagination(thread: Thread, page: int, pages: int, total: int) -> str:
    base = f"./viewtopic.php?t={thread.nid}"
    items = []
    for n in range(pages):
        if n == page:
            items.append(f'<li class="active"><span>{n + 1}</span></li>')
        elif abs(n - page) <= 2 or n in (0, pages - 1):
            start = f"&amp;start={n * PER_PAGE}" if n else ""
            items.append(f'<li><a class="button" href="{base}{start}" role="button">{n + 1}</a></li>')
    if page + 1 < pages:
        items.append(f'<li class="arrow next"><a class="button button-icon-only" href="{base}&amp;start={(page + 1) * PER_PAGE}" rel="next" role="button"><i class="icon fa-chevron-right fa-fw" aria-hidden="true"></i><span class="sr-only">Next</span></a></li>')
    return f'<div class="pagination">{total} posts<ul>{"".join(items)}</ul></div>'


def render(thread: Thread, page: int) -> str:
    posts = [thread] + thread.comments  # the opening post, then the replies
    pages = max(1, math.ceil(len(posts) / PER_PAGE))
    shown = posts[page * PER_PAGE:(page + 1) * PER_PAGE]
    by_cid = {c.cid: c for c in thread.comments}
    body = []
    for i, c in enumerate(shown):
        if c is thread:  # the topic's first post: the thread's own fields
            c = thread.comments[0].__class__(cid=thread.nid * 10, parent=None, depth=0, author=thread.author,
                                             anon_name="", created=thread.created, title=thread.title,
                                             paragraphs=thread.paragraphs, votes=thread.votes)
        quoted = by_cid.get(c.parent) if c.parent else None
        body.append(_post(thread, i, c, quoted))
    pag = _pagination(thread, page, pages, len(posts))
    start = f"&amp;start={page * PER_PAGE}" if page else ""
    return f"""<!DOCTYPE html>
<html dir="ltr" lang="en-gb">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{E(thread.title)} - Example Board</title>
	<link rel="alternate" type="application/atom+xml" title="Feed - Example Board" href="/forum/app.php/feed">
	<link rel="canonical" href="{SITE}viewtopic.php?t={thread.nid}{start}">
<link href="./assets/css/font-awesome.min.css?assets_version=57" rel="stylesheet">
<link href="./styles/prosilver/theme/stylesheet.css?assets_version=57" rel="stylesheet">
<link href="./styles/prosilver/theme/en/stylesheet.css?assets_version=57" rel="stylesheet">
</head>
<body id="phpbb" class="nojs notouch section-viewtopic ltr ">
<div id="wrap" class="wrap">
	<a id="top" class="top-anchor" accesskey="t"></a>
	<div id="page-header">
		<div class="headerbar" role="banner"><div class="inner">
			<div id="site-description" class="site-description">
				<a id="logo" class="logo" href="./index.php" title="Board index"><span class="site_logo"></span></a>
				<h1>Example Board</h1><p>A generated phpBB board</p>
				<p class="skiplink"><a href="#start_here">Skip to content</a></p>
			</div>
			<div id="search-box" class="search-box search-header" role="search">
				<form action="./search.php" method="get" id="search"><fieldset>
					<input name="keywords" id="keywords" type="search" maxlength="128" title="Search for keywords" class="inputbox search tiny" size="20" value="" placeholder="Search…" />
					<button class="button button-search" type="submit" title="Search"><i class="icon fa-search fa-fw" aria-hidden="true"></i><span class="sr-only">Search</span></button>
					<a href="./search.php" class="button button-search-end" title="Advanced search"><i class="icon fa-cog fa-fw" aria-hidden="true"></i><span class="sr-only">Advanced search</span></a>
				</fieldset></form>
			</div>
		</div></div>
		<div class="navbar" role="navigation"><div class="inner">
		<ul id="nav-main" class="nav-main linklist" role="menubar">
			<li id="quick-links" class="quick-links dropdown-container responsive-menu" data-skip-responsive="true">
				<a href="#" class="dropdown-trigger"><i class="icon fa-bars fa-fw" aria-hidden="true"></i><span>Quick links</span></a>
				<div class="dropdown"><div class="pointer"><div class="pointer-inner"></div></div><ul class="dropdown-contents" role="menu">
					<li><a href="./search.php?search_id=unanswered" role="menuitem"><i class="icon fa-file-o fa-fw icon-gray" aria-hidden="true"></i><span>Unanswered topics</span></a></li>
					<li><a href="./search.php?search_id=active_topics" role="menuitem"><i class="icon fa-file-o fa-fw icon-blue" aria-hidden="true"></i><span>Active topics</span></a></li>
				</ul></div>
			</li>
			<li data-skip-responsive="true"><a href="/forum/app.php/help/faq" rel="help" title="Frequently Asked Questions" role="menuitem"><i class="icon fa-question-circle fa-fw" aria-hidden="true"></i><span>FAQ</span></a></li>
			<li class="rightside" data-skip-responsive="true"><a href="./ucp.php?mode=login" title="Login" accesskey="x" role="menuitem"><i class="icon fa-power-off fa-fw" aria-hidden="true"></i><span>Login</span></a></li>
			<li class="rightside" data-skip-responsive="true"><a href="./ucp.php?mode=register" role="menuitem"><i class="icon fa-pencil-square-o fa-fw" aria-hidden="true"></i><span>Register</span></a></li>
		</ul>
		<ul id="nav-breadcrumbs" class="nav-breadcrumbs linklist navlinks" role="menubar">
			<li class="breadcrumbs" itemscope itemtype="https://schema.org/BreadcrumbList">
				<span class="crumb" itemtype="https://schema.org/ListItem" itemprop="itemListElement" itemscope><a itemprop="item" href="./index.php" accesskey="h" data-navbar-reference="index"><i class="icon fa-home fa-fw"></i><span itemprop="name">Board index</span></a><meta itemprop="position" content="1" /></span>
				<span class="crumb" itemtype="https://schema.org/ListItem" itemprop="itemListElement" itemscope data-forum-id="{len(thread.board)}"><a itemprop="item" href="./viewforum.php?f={len(thread.board)}"><span itemprop="name">{E(thread.board)}</span></a><meta itemprop="position" content="2" /></span>
			</li>
		</ul>
		</div></div>
	</div>
	<a id="start_here" class="anchor"></a>
	<div id="page-body" class="page-body" role="main">
<h2 class="topic-title"><a href="./viewtopic.php?t={thread.nid}">{E(thread.title)}</a></h2>
<div class="action-bar bar-top">
	<a href="./posting.php?mode=reply&amp;t={thread.nid}" class="button" title="Post a reply"><span>Post Reply</span> <i class="icon fa-reply fa-fw" aria-hidden="true"></i></a>
	<div class="dropdown-container dropdown-button-control topic-tools"><span title="Topic tools" class="button button-secondary dropdown-trigger dropdown-select"><i class="icon fa-wrench fa-fw" aria-hidden="true"></i></span>
		<div class="dropdown"><ul class="dropdown-contents"><li><a href="./viewtopic.php?t={thread.nid}&amp;view=print" title="Print view" accesskey="p"><i class="icon fa-print fa-fw" aria-hidden="true"></i><span>Print view</span></a></li></ul></div></div>
	{pag}
</div>
{"".join(body)}
<div class="action-bar bar-bottom">
	<a href="./posting.php?mode=reply&amp;t={thread.nid}" class="button" title="Post a reply"><span>Post Reply</span> <i class="icon fa-reply fa-fw" aria-hidden="true"></i></a>
	{pag}
</div>
<div class="action-bar actions-jump"><p class="jumpbox-return"><a href="./viewforum.php?f={len(thread.board)}" class="left-box arrow-left" accesskey="r"><i class="icon fa-angle-left fa-fw icon-black" aria-hidden="true"></i><span>Return to &ldquo;{E(thread.board)}&rdquo;</span></a></p></div>
	</div>
<div id="page-footer" class="page-footer" role="contentinfo">
	<div class="navbar" role="navigation"><div class="inner"><ul id="nav-footer" class="nav-footer linklist" role="menubar">
		<li class="breadcrumbs"><span class="crumb"><a href="./index.php" data-navbar-reference="index"><i class="icon fa-home fa-fw" aria-hidden="true"></i><span>Board index</span></a></span></li>
		<li class="rightside">All times are <span title="UTC">UTC</span></li>
		<li class="rightside"><a href="./ucp.php?mode=delete_cookies" data-ajax="true" data-refresh="true" role="menuitem"><i class="icon fa-trash fa-fw" aria-hidden="true"></i><span>Delete cookies</span></a></li>
	</ul></div></div>
	<div class="copyright">
		<p class="footer-row"><span class="footer-copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a>&reg; Forum Software &copy; phpBB Limited</span></p>
		<p class="footer-row" role="menu"><a class="footer-link" href="./ucp.php?mode=privacy" title="Privacy" role="menuitem"><span class="footer-link-text">Privacy</span></a> | <a class="footer-link" href="./ucp.php?mode=terms" title="Terms" role="menuitem"><span class="footer-link-text">Terms</span></a></p>
	</div>
</div>
</div>
<div><a id="bottom" class="anchor" accesskey="z"></a><img src="/forum/app.php/cron/cron.task.core.tidy_sessions" width="1" height="1" alt="cron" /></div>
<script src="./assets/javascript/jquery-3.7.1.min.js?assets_version=57"></script>
<script src="./assets/javascript/core.js?assets_version=57"></script>
<script src="./styles/prosilver/template/forum_fn.js?assets_version=57"></script>
<script src="./styles/prosilver/template/ajax.js?assets_version=57"></script>
</body>
</html>
"""


def iter_corpus(seed: int = 1, pages: int = 1000) -> Iterator[GeneratedPage]:
    world = World(seed)
    count = 0
    while count < pages:
        thread = world.thread()
        crawled = thread.created + timedelta(days=world.rng.randint(30, 700))
        for page in range(max(1, math.ceil((len(thread.comments) + 1) / PER_PAGE))):
            url = f"{SITE}viewtopic.php?t={thread.nid}" + (f"&start={page * PER_PAGE}" if page else "")
            yield GeneratedPage(url, crawled, render(thread, page).encode("utf-8"), thread, page)
            count += 1
            if count >= pages:
                return


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
