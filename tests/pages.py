"""Small Drupal 7 pages built in tests, for behaviours the samples do not isolate."""

from __future__ import annotations

HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN" "http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en" dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta name="Generator" content="Drupal 7 (http://drupal.org)" />
<link rel="canonical" href="/node/{nid}" />
<link rel="shortlink" href="/node/{nid}" />
<link rel="shortcut icon" href="http://forum.example.org/misc/favicon.ico" type="image/vnd.microsoft.icon" />
<title>{title} | Example forum</title>
</head>
<body class="html not-front page-node page-node- page-node-{nid} node-type-forum">
<div id="page"><h1 class="title" id="page-title">{title}</h1>
"""

NODE = """<div id="node-{nid}" class="node node-forum clearfix" about="/node/{nid}" typeof="sioc:Item foaf:Document">
<div class="submitted"><span property="dc:date dc:created" content="{iso}" datatype="xsd:dateTime"
rel="sioc:has_creator">Submitted by <a href="/user/{uid}" title="View user profile." class="username">{author}</a>
on {shown}</span></div>
<div class="content"><div class="field field-name-body field-type-text-with-summary field-label-hidden">
<div class="field-items"><div class="field-item even" property="content:encoded">{body}</div></div></div></div>
<div id="comments" class="comment-wrapper">
{comments}
{pager}
</div></div>
"""

COMMENT = """<a id="comment-{cid}"></a>
<div class="comment clearfix" about="/comment/{cid}#comment-{cid}" typeof="sioc:Post sioct:Comment">
<div class="submitted">Submitted by {user} on {shown}</div>
<div class="content">{rdf}<div class="field field-name-comment-body field-type-text-long field-label-hidden">
<div class="field-items"><div class="field-item even" property="content:encoded">{body}</div></div></div></div>
{widget}
<ul class="links inline"><li class="comment-reply first last"><a href="/comment/reply/{nid}/{cid}">reply</a></li></ul>
</div>
"""


def user(name: str, uid: int | None = None) -> str:
    if uid is None:
        return f'<span class="username">{name} (not verified)</span>'
    return f'<a href="/user/{uid}" title="View user profile." class="username">{name}</a>'


def comment(cid: int, body: str = "<p>text</p>", name: str = "someone", uid: int | None = 5,
            shown: str = "Fri, 2012-05-04 11:34", nid: int = 10, reply_of: str | None = None,
            votes: str | None = None) -> str:
    rdf = (f'<span rel="sioc:reply_of" resource="{reply_of}" class="rdf-meta element-hidden"></span>'
           if reply_of else "")
    widget = (f'<div class="rate-widget-1 rate-widget clear-block rate-average rate-widget-thumbs_up" '
              f'id="rate-comment-{cid}-1-1"><div class="rate-info">{votes}</div></div>' if votes else "")
    return COMMENT.format(cid=cid, body=body, user=user(name, uid), shown=shown, nid=nid, rdf=rdf, widget=widget)


def indented(*parts: str) -> str:
    return '<div class="indented">' + "".join(parts) + "</div>"


def page(*comments: str, nid: int = 10, title: str = "A thread", body: str = "<p>Opening post.</p>",
         author: str = "opener", uid: int = 2, shown: str = "Thu, 2012-04-26 13:18",
         iso: str = "2012-04-26T13:18:00+02:00", pager: str = "", charset: str = "utf-8") -> str:
    return (HEAD.format(nid=nid, title=title, charset=charset)
            + NODE.format(nid=nid, iso=iso, uid=uid, author=author, shown=shown, body=body,
                          comments="".join(comments), pager=pager)
            + "</div></body></html>\n")


def pager(current: int, last: int, nid: int = 10) -> str:
    """A comment pager as Drupal 7's theme_pager renders it (zero-based ?page=N, 1-based labels)."""
    items = []
    if current > 0:
        items.append(f'<li class="pager-first first"><a href="/node/{nid}">« first</a></li>')
        items.append(f'<li class="pager-previous"><a href="/node/{nid}?page={current - 1}">‹ previous</a></li>')
    for n in range(last + 1):
        if n == current:
            items.append(f'<li class="pager-current">{n + 1}</li>')
        else:
            href = f"/node/{nid}" if n == 0 else f"/node/{nid}?page={n}"
            items.append(f'<li class="pager-item"><a title="Go to page {n + 1}" href="{href}">{n + 1}</a></li>')
    if current < last:
        items.append(f'<li class="pager-next"><a href="/node/{nid}?page={current + 1}">next ›</a></li>')
        items.append(f'<li class="pager-last last"><a href="/node/{nid}?page={last}">last »</a></li>')
    return ('<h2 class="element-invisible">Pages</h2><div class="item-list"><ul class="pager">'
            + "".join(items) + "</ul></div>")
