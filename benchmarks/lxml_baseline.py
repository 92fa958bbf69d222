"""A straightforward lxml + XPath extraction of Drupal comments: the peer figure issue 6 quotes (~35%).

Written for the benchmark only, as a plain scraper would write it: parse, find ``#comments``, one
XPath per field per comment, ``text_content()`` for text. It extracts the same fields as
``bs4_baseline.py`` (id, parent from nesting, author, date, title, body text and HTML, votes) and none of
what harvester adds (other themes, fallbacks, RDF parents, links, quotes, pictures, truncated names,
provenance, merging across pages, records, JSON).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_CID = re.compile(r"comment-(\d+)")
_VOTES = re.compile(r"(\d+)\s+users?\s+ha(?:s|ve)\s+voted")


def _has(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


COMMENTS = etree.XPath(f"//*[@id='comments']//div[{_has('comment')}]")
USER = etree.XPath(f".//*[{_has('username')}]")
DATE = etree.XPath(".//*[contains(@property, 'dc:date')]/@content")
TITLE = etree.XPath(".//h3")
BODY = etree.XPath(f".//*[{_has('field-name-comment-body')}]//*[{_has('field-item')}]")
RATE = etree.XPath(f".//*[{_has('rate-info')}]")


def extract(html: bytes) -> list[dict]:
    root = lxml.html.document_fromstring(html)
    posts = []
    last_at_depth: dict[int, str | None] = {}
    for el in COMMENTS(root):
        anchor = el.getprevious()
        m = _CID.search(anchor.get("id") or "" if anchor is not None and anchor.tag == "a" else el.get("about", ""))
        cid = m.group(1) if m else None
        depth = sum(1 for a in el.iterancestors() if "indented" in (a.get("class") or "").split())
        parent = last_at_depth.get(depth - 1) if depth else None
        last_at_depth[depth] = cid
        user, date, title, body, rate = (USER(el), DATE(el), TITLE(el), BODY(el), RATE(el))
        votes = _VOTES.search(rate[0].text_content()) if rate else None
        posts.append({
            "id": cid,
            "parent_id": parent,
            "depth": depth,
            "author_name": user[0].text_content().strip() if user else None,
            "author_url": user[0].get("href") if user else None,
            "published": date[0] if date else None,
            "title": title[0].text_content().strip() if title else None,
            "body_text": body[0].text_content().strip() if body else "",
            "body_html": "".join(etree.tostring(c, encoding="unicode") for c in body[0]) if body else "",
            "votes": int(votes.group(1)) if votes else None,
        })
    return posts
