# ruff: noqa: E501  (the page templates keep Drupal's own long lines)
"""Generate realistic Drupal 7 discussion corpora for the benchmarks, as a .warc.gz and/or a directory of pages.

Pages carry the full chrome of a real Drupal 7 community site (Zen-style like the Digital Agenda Assembly, or
Bartik): CSS imports, Drupal.settings, header with language switcher and search form, breadcrumb, main menu,
a People block and a "Latest" block in the sidebar, footer. Threads have 5-300 comments, nested with
``div.indented`` and RDF ``sioc:reply_of``, Rate widgets on every post, and a comment pager of 50 per page
(``?page=N``). A share of pages is also captured through Wayback Machine replay. Everything streams: one
thread at a time is held in memory, so any size can be generated. The same seed gives the same corpus.

    python benchmarks/generate.py --pages 1000 --warc corpus.warc.gz
    python benchmarks/generate.py --mb 2000 --warc big.warc.gz --huge-mb 50
    python benchmarks/generate.py --pages 100 --html-dir pages/
"""

from __future__ import annotations

import argparse
import html
import io
import math
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

SITE = "http://assembly.example.eu"
PER_PAGE = 50
WAYBACK_SHARE = 0.05
_WORDS = (
    "open data public sector citizens services digital agenda broadband network europe member states policy "
    "innovation jobs skills growth platform government research funding cloud security privacy rules market "
    "users access infrastructure rural areas investment operators regulation standards interoperability "
    "procurement collaboration community online participation consultation transparency accountability "
    "small business startups entrepreneurs education teachers schools training universities health care "
    "hospitals patients records mobile phones internet speed coverage fibre spectrum licence competition "
    "prices roaming consumers protection copyright licensing content creators libraries archives culture "
    "heritage museums digitisation search engines metadata formats reuse charges portal catalogue municipal "
    "regional national local authorities example experience project pilot results evaluation report study "
    "survey evidence question answer point view agree disagree think believe suggest propose important "
    "difficult simple practical useful expensive cheap fast slow better worse new old first last next year "
    "month week today people groups companies organisations ministries agencies councils committee assembly"
).split()
_FIRST = ("anna", "paul", "maria", "jan", "sofia", "luca", "eva", "tomas", "ines", "piotr", "clara", "mikko",
          "elena", "david", "nora", "marek", "laura", "henrik", "zoe", "andras")
_LAST = ("timmers", "garcia", "novak", "rossi", "berg", "kowalski", "martin", "dubois", "jensen", "silva",
         "horvat", "schmidt", "murphy", "virtanen", "costa", "nagy", "weber", "lopez", "peeters", "olsen")
_BOARDS = ("Digital Agenda Assembly engagement", "Open data and public sector information", "Broadband for all",
           "eSkills and digital literacy", "Research and innovation", "Trust and security online")


# --- the world: users, threads, comments ----------------------------------------------------------------------


@dataclass
class User:
    uid: int
    name: str
    picture: str | None  # file name under pictures/, or None for the default avatar


@dataclass
class Comment:
    cid: int
    parent: int | None  # parent comment id, None for a top-level comment
    depth: int
    author: User | None  # None: anonymous, with ``anon_name``
    anon_name: str
    created: datetime
    title: str
    paragraphs: list[str]
    votes: int


@dataclass
class Thread:
    nid: int
    slug: str
    title: str
    board: str
    author: User
    created: datetime
    paragraphs: list[str]
    votes: int
    theme: str  # zen | bartik
    comments: list[Comment] = field(default_factory=list)  # display (thread) order

    @property
    def path(self) -> str:
        return f"/en/content/{self.slug}"

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.comments) / PER_PAGE))


class World:
    """Deterministic source of users, sentences and threads for one seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        rng = self.rng
        self.users = []
        for uid in range(2, 3000):
            name = f"{rng.choice(_FIRST).title()} {rng.choice(_LAST).title()}" if rng.random() < 0.5 else \
                f"{rng.choice(_FIRST)}{rng.choice(_LAST)[:rng.randint(1, 6)]}{rng.randint(1, 99)}"
            picture = f"picture-{uid}-{1330000000 + rng.randint(0, 9999999)}.jpg" if rng.random() < 0.7 else None
            self.users.append(User(uid, name, picture))
        # A pool of sentences keeps generation fast; bodies draw from it.
        self.sentences = []
        for _ in range(4000):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 24))]
            sentence = " ".join(words).capitalize()
            self.sentences.append(sentence + rng.choice(".....?!"))
        self.next_nid = 1000
        self.next_cid = 2000

    def paragraphs(self, low: int, high: int) -> list[str]:
        rng = self.rng
        out = []
        for _ in range(rng.randint(low, high)):
            text = " ".join(html.escape(rng.choice(self.sentences), quote=False) for _ in range(rng.randint(2, 5)))
            if rng.random() < 0.15:
                words = text.split(" ")
                at = rng.randrange(len(words))
                words[at] = f'<a href="http://www.example.org/{rng.choice(_WORDS)}/{rng.randint(1, 999)}">{words[at]}</a>'
                text = " ".join(words)
            out.append(text)
        return out

    def thread(self) -> Thread:
        rng = self.rng
        nid, self.next_nid = self.next_nid, self.next_nid + rng.randint(1, 7)
        title_words = [rng.choice(_WORDS) for _ in range(rng.randint(3, 8))]
        title = " ".join(title_words).capitalize()
        created = datetime(2011, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
        thread = Thread(nid=nid, slug="-".join(title_words[:6]) + f"-{nid}", title=title, board=rng.choice(_BOARDS),
                        author=rng.choice(self.users), created=created, paragraphs=self.paragraphs(1, 4),
                        votes=rng.randint(0, 40), theme="bartik" if rng.random() < 0.3 else "zen")
        count = int(min(300, max(5, rng.lognormvariate(math.log(40), 0.9))))
        # Build the reply tree, then list it in thread order (each comment followed by its replies).
        children: dict[int | None, list[Comment]] = {}
        made: list[Comment] = []
        when = created
        for _ in range(count):
            parent = None
            if made and rng.random() < 0.45:
                parent = rng.choice(made[-12:])  # people answer recent comments
                if parent.depth >= 6:
                    parent = None
            when += timedelta(seconds=rng.randint(60, 2 * 86400))
            cid, self.next_cid = self.next_cid, self.next_cid + rng.randint(1, 4)
            author = rng.choice(self.users) if rng.random() < 0.93 else None
            c = Comment(cid=cid, parent=parent.cid if parent else None, depth=parent.depth + 1 if parent else 0,
                        author=author, anon_name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}".title(),
                        created=when, title=" ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 5))).capitalize(),
                        paragraphs=self.paragraphs(1, 3), votes=rng.randint(0, 12))
            made.append(c)
            children.setdefault(c.parent, []).append(c)

        def walk(parent):
            for c in children.get(parent, []):
                thread.comments.append(c)
                walk(c.cid)

        walk(None)
        return thread


# --- rendering -----------------------------------------------------------------------------------------------

_CSS = ("modules/system/system.base.css modules/system/system.menus.css modules/system/system.messages.css "
        "modules/system/system.theme.css modules/comment/comment.css modules/field/theme/field.css "
        "modules/node/node.css modules/search/search.css modules/user/user.css sites/all/modules/views/css/views.css "
        "sites/all/modules/ctools/css/ctools.css sites/all/modules/rate/rate.css "
        "sites/all/modules/rate/templates/thumbs-up/thumbs-up.css modules/locale/locale.css sites/all/modules/og/og.css "
        "sites/all/themes/THEME/css/html-reset.css sites/all/themes/THEME/css/wireframes.css "
        "sites/all/themes/THEME/css/layout-fixed.css sites/all/themes/THEME/css/page-backgrounds.css "
        "sites/all/themes/THEME/css/tabs.css sites/all/themes/THEME/css/pages.css sites/all/themes/THEME/css/blocks.css "
        "sites/all/themes/THEME/css/navigation.css sites/all/themes/THEME/css/views-styles.css "
        "sites/all/themes/THEME/css/nodes.css sites/all/themes/THEME/css/comments.css "
        "sites/all/themes/THEME/css/forms.css sites/all/themes/THEME/css/fields.css sites/all/themes/THEME/css/site.css"
        ).split()
_JS = ("misc/jquery.js?v=1.4.4 misc/jquery.once.js?v=1.2 misc/drupal.js?m3ou8l sites/all/modules/rate/rate.js?m3ou8l "
       "sites/all/modules/google_analytics/googleanalytics.js?m3ou8l sites/all/themes/THEME/js/site.js?m3ou8l").split()
_LANGS = (("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("it", "Italiano"), ("es", "Español"),
          ("pl", "Polski"))
_MENU = (("", "Home"), ("groups", "Groups"), ("discussions", "Discussions"), ("events", "Events"), ("ideas", "Ideas"),
         ("about", "About the Assembly"))


def _token(rng: random.Random, n: int = 43) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") for _ in range(n))


def _fmt_shown(when: datetime, theme: str) -> str:
    local = when + timedelta(hours=2)
    return local.strftime("%a, %Y-%m-%d %H:%M") if theme == "zen" else local.strftime("%a, %m/%d/%Y - %H:%M")


def _iso(when: datetime) -> str:
    return (when + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00")


def _picture(user: User | None) -> str:
    if user is None or user.picture is None:
        return ""
    name = html.escape(user.name)
    return (f'<div class="user-picture">\n    <a href="/en/user/{user.uid}" title="View user profile."><img '
            f'typeof="foaf:Image" src="{SITE}/sites/default/files/styles/thumbnail/public/pictures/{user.picture}" '
            f'alt="{name}&#039;s picture" title="{name}&#039;s picture" /></a>  </div>')


def _username(c_author: User | None, anon_name: str) -> str:
    if c_author is None:
        return f'<span class="username" xml:lang="" typeof="sioc:UserAccount" property="foaf:name">' \
               f'{html.escape(anon_name)} (not verified)</span>'
    return (f'<a href="/en/user/{c_author.uid}" title="View user profile." class="username" xml:lang="" '
            f'about="/en/user/{c_author.uid}" typeof="sioc:UserAccount" property="foaf:name" datatype="">'
            f'{html.escape(c_author.name)}</a>')


def _body(paragraphs: list[str], field_name: str) -> str:
    inner = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<div class="field field-name-{field_name} field-type-text-long field-label-hidden"><div class="field-items">'
            f'<div class="field-item even" property="content:encoded">{inner}\n</div></div></div>')


def _rate(rng: random.Random, kind: str, ident: int, votes: int, path: str, button: int) -> str:
    info = "Only you voted." if votes == 1 and rng.random() < 0.1 else \
        f"{votes} user{'s have' if votes != 1 else ' has'} voted."
    return (f'<div class="rate-widget-1 rate-widget clear-block rate-average rate-widget-thumbs_up" '
            f'id="rate-{kind}-{ident}-1-1"><a class="rate-button rate-thumbs-up-btn-up" id="rate-button-{button}" '
            f'rel="nofollow" href="{path}?rate={_token(rng)}">up</a><div class="rate-info">{info}</div></div>')


def _comment(rng: random.Random, thread: Thread, c: Comment, button: int) -> str:
    reply_of = f'<span rel="sioc:reply_of" resource="{thread.path}" class="rdf-meta element-hidden"></span>'
    if c.parent is not None:
        reply_of += (f'<span rel="sioc:reply_of" resource="/en/comment/{c.parent}#comment-{c.parent}" '
                     f'class="rdf-meta element-hidden"></span>')
    classes = "comment clearfix" if c.author is None or c.author.uid != thread.author.uid else \
        "comment comment-by-node-author clearfix"
    rate = _rate(rng, "comment", c.cid, c.votes, thread.path, button)
    body = _body(c.paragraphs, "comment-body")
    date = (f'<span property="dc:date dc:created" content="{_iso(c.created)}" datatype="xsd:dateTime"')
    if thread.theme == "zen":
        return f"""<a id="comment-{c.cid}"></a>
<div class="{classes}" about="/en/comment/{c.cid}#comment-{c.cid}" typeof="sioc:Post sioct:Comment">
  {_picture(c.author)}

  <h3 property="dc:title" datatype=""><a href="/en/comment/{c.cid}#comment-{c.cid}" class="permalink" rel="bookmark">{c.title}</a></h3>

  <div class="submitted">
    {date} rel="sioc:has_creator">Submitted by {_username(c.author, c.anon_name)} on {_fmt_shown(c.created, "zen")}</span>  </div>

  <div class="content">
    {reply_of}{body}{rate}  </div>

  <ul class="links inline"><li class="comment-reply first last"><a href="/en/comment/reply/{thread.nid}/{c.cid}">reply</a></li>
</ul>
  </div>
"""
    return f"""<a id="comment-{c.cid}"></a>
<div class="{classes}" about="/en/comment/{c.cid}#comment-{c.cid}" typeof="sioc:Post sioct:Comment">

  <div class="attribution">

    {_picture(c.author)}

    <div class="submitted">
      <p class="commenter-name">
        <span rel="sioc:has_creator">{_username(c.author, c.anon_name)}</span>      </p>
      <p class="comment-time">
        {date}>{_fmt_shown(c.created, "bartik")}</span>      </p>
      <p class="comment-permalink">
        <a href="/en/comment/{c.cid}#comment-{c.cid}" class="permalink" rel="bookmark">Permalink</a>      </p>
    </div>
  </div>

  <div class="comment-text">
    <div class="comment-arrow"></div>

        <h3 property="dc:title" datatype=""><a href="/en/comment/{c.cid}#comment-{c.cid}" class="permalink" rel="bookmark">{c.title}</a></h3>

    <div class="content">
      {reply_of}{body}{rate}          </div> <!-- /.content -->

    <ul class="links inline"><li class="comment-reply first last"><a href="/en/comment/reply/{thread.nid}/{c.cid}">reply</a></li>
</ul>  </div> <!-- /.comment-text -->
</div>
"""


def _comments(rng: random.Random, thread: Thread, page: int) -> str:
    """One pager page of comments, with div.indented opened and closed as Drupal 7 does."""
    out = []
    depth = 0
    for n, c in enumerate(thread.comments[page * PER_PAGE:(page + 1) * PER_PAGE]):
        if c.depth > depth:
            out.append('<div class="indented">' * (c.depth - depth))
        elif c.depth < depth:
            out.append("</div>" * (depth - c.depth))
        depth = c.depth
        out.append(_comment(rng, thread, c, n + 2))
    out.append("</div>" * depth)
    return "".join(out)


def _pager(thread: Thread, page: int) -> str:
    if thread.pages == 1:
        return ""
    items = []
    if page > 0:
        items.append(f'<li class="pager-first first"><a title="Go to first page" href="{thread.path}">« first</a></li>')
        prev = f"{thread.path}?page={page - 1}" if page > 1 else thread.path
        items.append(f'<li class="pager-previous"><a title="Go to previous page" href="{prev}">‹ previous</a></li>')
    for n in range(thread.pages):
        if n == page:
            items.append(f'<li class="pager-current">{n + 1}</li>')
        else:
            href = f"{thread.path}?page={n}" if n else thread.path
            items.append(f'<li class="pager-item"><a title="Go to page {n + 1}" href="{href}">{n + 1}</a></li>')
    if page < thread.pages - 1:
        items.append(f'<li class="pager-next"><a title="Go to next page" href="{thread.path}?page={page + 1}">next ›</a></li>')
        items.append(f'<li class="pager-last last"><a title="Go to last page" '
                     f'href="{thread.path}?page={thread.pages - 1}">last »</a></li>')
    return '<h2 class="element-invisible">Pages</h2><div class="item-list"><ul class="pager">' + "\n".join(items) + \
        "</ul></div>"


def render_page(world: World, thread: Thread, page: int, vote_drift: int = 0) -> str:
    """The HTML of comment page ``page`` of ``thread`` as the live site served it."""
    rng = random.Random(thread.nid * 1000 + page + vote_drift)
    theme = "daa_zen" if thread.theme == "zen" else "bartik"
    css = "\n".join(f'@import url("{SITE}/{p.replace("THEME", theme)}?m3ou8l");' for p in _CSS)
    scripts = "\n".join(f'<script type="text/javascript" src="{SITE}/{p.replace("THEME", theme)}"></script>'
                        for p in _JS)
    settings_js = ",".join(f'"{p.split("?")[0].replace("/", chr(92) + "/")}":1' for p in _JS)
    settings_css = ",".join(f'"{p.replace("THEME", theme).replace("/", chr(92) + "/")}":1' for p in _CSS)
    members = rng.sample(world.users, 10)
    latest = [world.sentences[rng.randrange(len(world.sentences))][:60] for _ in range(5)]
    node_votes = max(0, thread.votes - vote_drift)
    lang = "\n".join(f'<li class="{code}"><a href="/{code}/node/{thread.nid}" class="language-link" xml:lang="{code}">'
                     f'{label}</a></li>' for code, label in _LANGS)
    menu = "\n".join(f'<li class="menu-{218 + i}"><a href="/en/{path}">{label}</a></li>'
                     for i, (path, label) in enumerate(_MENU))
    people = "\n".join(
        f'<div class="views-row views-row-{i + 1}">\n  <div class="views-field views-field-picture">'
        f'<div class="field-content">{_picture(u) or _default_picture(u)}</div></div></div>'
        for i, u in enumerate(members))
    latest_items = "\n".join(
        f'<li class="views-row views-row-{i + 1}"><span class="views-field views-field-title"><span class="field-content">'
        f'<a href="/en/content/{"-".join(t.lower().split()[:5])}">{t}</a></span></span></li>' for i, t in enumerate(latest))
    canonical = thread.path + (f"?page={page}" if page else "")
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN"
  "http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" version="XHTML+RDFa 1.0" dir="ltr"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/terms/"
  xmlns:foaf="http://xmlns.com/foaf/0.1/" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
  xmlns:sioc="http://rdfs.org/sioc/ns#" xmlns:sioct="http://rdfs.org/sioc/types#"
  xmlns:skos="http://www.w3.org/2004/02/skos/core#" xmlns:xsd="http://www.w3.org/2001/XMLSchema#">

<head profile="http://www.w3.org/1999/xhtml/vocab">
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<link rel="shortcut icon" href="{SITE}/sites/all/themes/{theme}/favicon.ico" type="image/vnd.microsoft.icon" />
<meta name="generator" content="Drupal 7 (http://drupal.org)" />
<link rel="canonical" href="{canonical}" />
<link rel="shortlink" href="/en/node/{thread.nid}" />
  <title>{thread.title} | Digital Assembly</title>
  <style type="text/css" media="all">{css}
</style>
  {scripts}
<script type="text/javascript">
<!--//--><![CDATA[//><!--
jQuery.extend(Drupal.settings, {{"basePath":"\\/","pathPrefix":"en\\/","ajaxPageState":{{"theme":"{theme}","theme_token":"{_token(rng)}","js":{{{settings_js}}},"css":{{{settings_css}}}}},"googleanalytics":{{"trackOutbound":1,"trackMailto":1,"trackDownload":1,"trackDownloadExtensions":"7z|aac|arc|arj|asf|asx|avi|bin|csv|doc|exe|flv|gif|gz|gzip|hqx|jar|jpe?g|js|mp(2|3|4|e?g)|mov(ie)?|msi|msp|pdf|phps|png|ppt|qtm?|ra(m|r)?|sea|sit|tar|tgz|torrent|txt|wav|wma|wmv|wpd|xls|xml|z|zip"}},"ogContext":{{"groupType":"node","gid":"1203"}}}});
//--><!]]>
</script>
  <script type="text/javascript">
<!--//--><![CDATA[//><!--
var _gaq = _gaq || [];_gaq.push(["_setAccount", "UA-30167418-1"]);_gaq.push(["_trackPageview"]);(function() {{var ga = document.createElement("script");ga.type = "text/javascript";ga.async = true;ga.src = ("https:" == document.location.protocol ? "https://ssl" : "http://www") + ".google-analytics.com/ga.js";var s = document.getElementsByTagName("script")[0];s.parentNode.insertBefore(ga, s);}})();
//--><!]]>
</script>
</head>
<body class="html not-front not-logged-in one-sidebar sidebar-second page-node page-node- page-node-{thread.nid} node-type-discussion og-context og-context-node i18n-en section-content" >
  <div id="skip-link">
    <a href="#main-content" class="element-invisible element-focusable">Skip to main content</a>
  </div>
<div id="page-wrapper"><div id="page">

  <div id="header"><div class="section clearfix">
    <a href="/en/" title="Home" rel="home" id="logo"><img src="{SITE}/sites/all/themes/{theme}/logo.png" alt="Home" /></a>
    <div id="name-and-slogan">
      <div id="site-name"><strong><a href="/en/" title="Home" rel="home"><span>Digital Assembly</span></a></strong></div>
      <div id="site-slogan">A discussion forum on the digital agenda</div>
    </div>
    <div class="region region-header">
    <div id="block-locale-language" class="block block-locale first odd">
  <div class="content">
    <ul class="language-switcher-locale-url">{lang}</ul>  </div>
</div>
<div id="block-search-form" class="block block-search last even">
  <div class="content">
    <form action="{thread.path}" method="post" id="search-block-form" accept-charset="UTF-8"><div><div class="container-inline">
      <h2 class="element-invisible">Search form</h2>
    <div class="form-item form-type-textfield form-item-search-block-form">
  <label class="element-invisible" for="edit-search-block-form--2">Search </label>
 <input title="Enter the terms you wish to search for." type="text" id="edit-search-block-form--2" name="search_block_form" value="" size="15" maxlength="128" class="form-text" />
</div>
<div class="form-actions form-wrapper" id="edit-actions--2"><input type="submit" id="edit-submit--2" name="op" value="Search" class="form-submit" /></div><input type="hidden" name="form_build_id" value="form-{_token(rng)}" />
<input type="hidden" name="form_id" value="search_block_form" />
</div>
</div></form>  </div>
</div>
  </div>
  </div></div><!-- /.section, /#header -->

  <div id="main-wrapper"><div id="main" class="clearfix with-navigation">

    <div id="content" class="column"><div class="section">
            <h2 class="element-invisible">You are here</h2><div class="breadcrumb"><a href="/en/">Home</a> › <a href="/en/groups">Groups</a> › <a href="/en/groups/{thread.board.split()[0].lower()}">{thread.board}</a></div>      <a id="main-content"></a>
                    <h1 class="title" id="page-title">{thread.title}</h1>
                                          <div class="region region-content">
    <div id="block-system-main" class="block block-system first last odd">
  <div class="content">
    <div id="node-{thread.nid}" class="node node-discussion node-promoted view-mode-full clearfix" about="{thread.path}" typeof="sioc:Item foaf:Document">

  <span property="dc:title" content="{thread.title}" class="rdf-meta element-hidden"></span><span property="sioc:num_replies" content="{len(thread.comments)}" datatype="xsd:integer" class="rdf-meta element-hidden"></span>

      <div class="submitted">
      {_picture(thread.author)}
      <span property="dc:date dc:created" content="{_iso(thread.created)}" datatype="xsd:dateTime" rel="sioc:has_creator">Submitted by {_username(thread.author, "")} on {_fmt_shown(thread.created, "zen")}</span>
    </div>

  <div class="content">
  {_body(thread.paragraphs, "body")}<div class="field field-name-group-audience field-type-group field-label-inline clearfix"><div class="field-label">Group audience:&nbsp;</div><div class="field-items"><div class="field-item even"><a href="/en/groups/{thread.board.split()[0].lower()}">{thread.board}</a></div></div></div>{_rate(rng, "node", thread.nid, node_votes, thread.path, 1)}  </div>

  <div id="comments" class="comment-wrapper">
  {_comments(rng, thread, page)}{_pager(thread, page)}
  </div>

</div>
  </div>
</div>
  </div>
          </div></div><!-- /.section, /#content -->

          <div id="navigation"><div class="section clearfix">
        <h2 class="element-invisible">Main menu</h2><ul id="main-menu" class="links inline clearfix">{menu}
</ul>
      </div></div><!-- /.section, /#navigation -->

          <div class="region region-sidebar-second column sidebar"><div class="section">
    <div id="block-views-group-members-block" class="block block-views first odd">
        <h2 class="block-title">People</h2>
  <div class="content">
    <div class="view view-group-members view-id-group_members view-display-id-block">
      <div class="view-content">
      {people}
    </div>
</div>  </div>
</div>
<div id="block-views-group-discussions-block" class="block block-views last odd">
        <h2 class="block-title">Latest in this group</h2>
  <div class="content">
    <div class="view view-group-discussions view-id-group_discussions view-display-id-block">
      <div class="view-content">
      <div class="item-list">    <ul>{latest_items}
      </ul></div>    </div>
  </div>  </div>
</div>
  </div></div><!-- /.section, /.region -->

  </div></div><!-- /#main, /#main-wrapper -->

      <div id="footer"><div class="section">
      <ul class="links footer-links"><li class="first"><a href="http://www.example.org/legal_notices_en.htm">Legal notice</a></li>
<li><a href="http://www.example.org/cookies/index_en.htm">Cookies</a></li>
<li><a href="/en/contact">Contact</a></li>
<li class="last"><a href="/en/rss.xml" class="feed-icon" title="Subscribe to RSS"><img typeof="foaf:Image" src="{SITE}/misc/feed.png" width="16" height="16" alt="Subscribe to RSS" /></a></li>
</ul>
    </div></div><!-- /.section, /#footer -->

</div></div><!-- /#page, /#page-wrapper -->
  </body>
</html>
"""


def _default_picture(user: User) -> str:
    return (f'<div class="user-picture">\n    <a href="/en/user/{user.uid}" title="View user profile."><img '
            f'typeof="foaf:Image" src="{SITE}/sites/all/themes/daa_zen/images/default-avatar.png" '
            f'alt="{html.escape(user.name)}&#039;s picture" title="{html.escape(user.name)}&#039;s picture" /></a>  </div>')


def wayback_copy(text: str, timestamp: str, url: str) -> str:
    """The page as Wayback replay serves it: archive scripts and toolbar inserted, site URLs rewritten."""
    prefix = f"/web/{timestamp}/{SITE}"
    text = text.replace('href="/', f'href="{prefix}/').replace('action="/', f'action="{prefix}/')
    text = text.replace(f'src="{SITE}/', f'src="https://web.archive.org/web/{timestamp}im_/{SITE}/')
    text = text.replace(f'url("{SITE}/', f'url("https://web.archive.org/web/{timestamp}cs_/{SITE}/')
    head = (f'<head profile="http://www.w3.org/1999/xhtml/vocab"><script type="text/javascript" '
            f'src="https://web-static.archive.org/_static/js/bundle-playback.js?v=1WaXNDFE" charset="utf-8"></script>\n'
            f'<script type="text/javascript" src="https://web-static.archive.org/_static/js/wombat.js?v=txqj7nKC" '
            f'charset="utf-8"></script>\n<script type="text/javascript">\n    __wm.init("https://web.archive.org/web");\n'
            f'  __wm.wombat("{url}","{timestamp}","https://web.archive.org/","web",'
            f'"https://web-static.archive.org/_static/",\n\t      "1352136612");\n</script>\n'
            f'<link rel="stylesheet" type="text/css" href="https://web-static.archive.org/_static/css/banner-styles.css" />\n'
            f'<!-- End Wayback Rewrite JS Include -->\n')
    text = text.replace('<head profile="http://www.w3.org/1999/xhtml/vocab">\n', head, 1)
    toolbar = ('<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id="wm-ipp-base" lang="en" style="display:none">'
               '<div id="wm-ipp" class="wb-autocomplete-suggestions"><form target="_top" method="get" '
               'action="/web/submit"><input type="text" name="url" value="' + html.escape(url) + '"/></form>'
               '<div id="wm-capinfo"><a href="/web/' + timestamp + '*/' + html.escape(url) + '">captures</a></div>'
               '</div></div>\n<!-- END WAYBACK TOOLBAR INSERT -->')
    text = text.replace('section-content" >', 'section-content" >' + toolbar, 1)
    when = datetime.strptime(timestamp, "%Y%m%d%H%M%S").strftime("%H:%M:%S %b %d, %Y")
    return text.rstrip() + (f"<!--\n     FILE ARCHIVED ON {when} AND RETRIEVED FROM THE\n     INTERNET ARCHIVE ON "
                            f"09:14:52 Mar 02, 2024.\n     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET "
                            f"ARCHIVE.\n-->\n<!--\nplayback timings (ms):\n  captures_list: 0.64\n-->")


# --- the corpus ----------------------------------------------------------------------------------------------


@dataclass
class GeneratedPage:
    url: str  # the URL it was fetched from (a replay URL for Wayback copies)
    date: datetime
    html: bytes
    thread: Thread | None  # None for XenForo pages (benchmarks/xenforo_corpus.py)
    page: int
    wayback: bool = False


def iter_corpus(seed: int = 1, pages: int | None = None, mb: float | None = None,
                huge_mb: float = 0) -> Iterator[GeneratedPage]:
    """Pages until ``pages`` pages or ``mb`` megabytes; with ``huge_mb``, one pathological page in the middle."""
    world = World(seed)
    count = size = 0
    huge_at = (pages // 2 if pages else None, mb * 5e5 if mb else None)
    huge_done = not huge_mb

    def enough() -> bool:
        return (pages is not None and count >= pages) or (mb is not None and size >= mb * 1e6)

    while not enough():
        thread = world.thread()
        crawled = thread.created + timedelta(days=world.rng.randint(30, 700))
        for page in range(thread.pages):
            url = SITE + thread.path + (f"?page={page}" if page else "")
            body = render_page(world, thread, page).encode("utf-8")
            yield GeneratedPage(url, crawled, body, thread, page)
            count, size = count + 1, size + len(body)
            if world.rng.random() < WAYBACK_SHARE and not enough():
                when = crawled - timedelta(days=world.rng.randint(1, 20))
                ts = when.strftime("%Y%m%d%H%M%S")
                old = render_page(world, thread, page, vote_drift=1)
                body = wayback_copy(old, ts, url).encode("utf-8")
                yield GeneratedPage(f"https://web.archive.org/web/{ts}/{url}", crawled, body, thread, page, True)
                count, size = count + 1, size + len(body)
            if enough():
                return
        if not huge_done and ((huge_at[0] is not None and count >= huge_at[0]) or
                              (huge_at[1] is not None and size >= huge_at[1])):
            huge_done = True
            page = huge_page(world, huge_mb)
            yield page
            count, size = count + 1, size + len(page.html)


def huge_page(world: World, mb: float) -> GeneratedPage:
    """A pathological page: one comment whose body is a pasted log of ``mb`` megabytes, in paragraphs."""
    thread = world.thread()
    thread.comments = thread.comments[:3]
    target = int(mb * 1e6)
    paragraphs, total = [], 0
    while total < target:
        p = " ".join(world.sentences[world.rng.randrange(len(world.sentences))] for _ in range(20))
        paragraphs.append(p)
        total += len(p) + 8
    thread.comments[1].paragraphs = paragraphs
    body = render_page(world, thread, 0).encode("utf-8")
    return GeneratedPage(SITE + thread.path, thread.created + timedelta(days=30), body, thread, 0)


def paged(topics: Iterator[tuple], per_page: int, pages: int) -> Iterator[tuple]:
    """The pages of generated topics, ``pages`` in all: (topic, all its posts, page index, page count, the page's
    posts) for each page, from ``topics`` yielding (topic, posts) without end. Topics are made as their pages are
    consumed, so a generator's random draws keep their order."""
    count = 0
    for topic, posts in topics:
        total = (len(posts) + per_page - 1) // per_page
        for page in range(total):
            yield topic, posts, page, total, posts[page * per_page:(page + 1) * per_page]
            count += 1
            if count >= pages:
                return


def corpus_main(iter_corpus, doc: str, argv: list[str] | None = None, max_posts: int | None = None) -> int:
    """The command line of every engine's corpus generator: --pages N --warc PATH [--seed S].

    A generator whose pages vary in size (``max_posts`` its default ceiling) also takes --max-posts, so that its
    pages can be made the size of another corpus's for a per-page comparison.
    """
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warc", required=True)
    if max_posts is not None:
        ap.add_argument("--max-posts", type=int, default=max_posts, help=f"posts a page at most (default {max_posts})")
    args = ap.parse_args(argv)
    extra = {"max_posts": args.max_posts} if max_posts is not None else {}
    count, total = write_warc(iter_corpus(args.seed, args.pages, **extra), args.warc)
    print(f"{args.warc}: {count} pages, {total / 1e6:.1f} MB of HTML", file=sys.stderr)
    return 0


def write_warc(pages: Iterator[GeneratedPage], path: str) -> tuple[int, int]:
    """Request + response records, gzipped per record, as a crawler writes them. Returns (pages, payload bytes)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    count = size = 0
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for p in pages:
            date = p.date.strftime("%Y-%m-%dT%H:%M:%SZ")
            path_part = p.url.split("/", 3)[3] if p.url.count("/") >= 3 else ""
            host = p.url.split("/")[2]
            req_headers = StatusAndHeaders(f"GET /{path_part} HTTP/1.1", [
                ("Host", host), ("User-Agent", "Mozilla/5.0 (compatible; archiver/3.4)"),
                ("Accept", "text/html,application/xhtml+xml"), ("Accept-Encoding", "identity")],
                is_http_request=True)
            request = writer.create_warc_record(p.url, "request", payload=io.BytesIO(b""), http_headers=req_headers,
                                                warc_headers_dict={"WARC-Date": date})
            http_headers = StatusAndHeaders("200 OK", [
                ("Server", "Apache/2.2.22"), ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(p.html))),
                *([("X-Generator", "Drupal 7 (http://drupal.org)")] if p.thread is not None else []),
                ("Cache-Control", "no-cache, must-revalidate, post-check=0, pre-check=0")], protocol="HTTP/1.1")
            response = writer.create_warc_record(p.url, "response", payload=io.BytesIO(p.html),
                                                 http_headers=http_headers, warc_headers_dict={"WARC-Date": date})
            writer.write_record(response)
            request.rec_headers.replace_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
            writer.write_record(request)
            count, size = count + 1, size + len(p.html)
    return count, size


def write_dir(pages: Iterator[GeneratedPage], directory: str) -> tuple[int, int]:
    """One file per page, named like a crawler's mirror; Wayback copies under web.archive.org/web/TS/."""
    count = size = 0
    for p in pages:
        rel = p.url.split("://", 1)[1].replace("?", "%3F")
        target = os.path.join(directory, rel + ".html")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(p.html)
        count, size = count + 1, size + len(p.html)
    return count, size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--pages", type=int, help="number of pages to generate")
    size.add_argument("--mb", type=float, help="megabytes of HTML to generate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--huge-mb", type=float, default=0, help="add one pathological page of this many MB")
    ap.add_argument("--warc", help="write a .warc.gz here")
    ap.add_argument("--html-dir", help="write one .html file per page under this directory")
    ap.add_argument("--engine", choices=("drupal", "xenforo"), default="drupal",
                    help="whose pages: Drupal 7 (default) or XenForo 1/2 (benchmarks/xenforo_corpus.py)")
    args = ap.parse_args(argv)
    if not args.warc and not args.html_dir:
        ap.error("give --warc and/or --html-dir")
    if args.engine == "xenforo":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import xenforo_corpus

        def corpus():
            return xenforo_corpus.iter_corpus(args.seed, args.pages, args.mb)
    else:
        def corpus():
            return iter_corpus(args.seed, args.pages, args.mb, args.huge_mb)
    for target, writer in ((args.warc, write_warc), (args.html_dir, write_dir)):
        if target:
            count, total = writer(corpus(), target)
            print(f"{target}: {count} pages, {total / 1e6:.1f} MB of HTML", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
