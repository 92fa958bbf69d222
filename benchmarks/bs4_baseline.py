"""A BeautifulSoup extraction of Drupal comments, the way scraper-style forum downloaders do it.

Written for the benchmark only: CSS selectors per comment, text with ``get_text``, parents from the
``div.indented`` nesting. It extracts the same fields harvester's posts carry for a comment (id, parent,
author, date, title, body text and HTML, votes), so the comparison is like for like.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

_CID = re.compile(r"comment-(\d+)")
_VOTES = re.compile(r"(\d+)\s+users?\s+ha(?:s|ve)\s+voted")


def extract(html: bytes | str, parser: str = "html.parser") -> list[dict]:
    soup = BeautifulSoup(html, parser)
    wrapper = soup.select_one("#comments")
    if wrapper is None:
        return []
    posts = []
    last_at_depth: dict[int, str] = {}
    for el in wrapper.select("div.comment"):
        anchor = el.find_previous_sibling("a")
        m = _CID.search((anchor.get("id") or "") if anchor else el.get("about", ""))
        cid = m.group(1) if m else None
        depth = 0
        for ancestor in el.parents:
            if ancestor is wrapper:
                break
            depth += "indented" in (ancestor.get("class") or [])
        parent = last_at_depth.get(depth - 1) if depth else None
        last_at_depth[depth] = cid
        user = el.select_one(".username")
        date = el.select_one("[property~='dc:date']")
        title = el.select_one("h3")
        body = el.select_one(".field-name-comment-body .field-item") or el.select_one(".content")
        rate = el.select_one(".rate-info")
        votes = _VOTES.search(rate.get_text()) if rate else None
        posts.append({
            "id": cid,
            "parent_id": parent,
            "depth": depth,
            "author_name": user.get_text(strip=True) if user else None,
            "author_url": user.get("href") if user else None,
            "published": date.get("content") if date else None,
            "title": title.get_text(strip=True) if title else None,
            "body_text": body.get_text("\n", strip=True) if body else "",
            "body_html": body.decode_contents() if body else "",
            "votes": int(votes.group(1)) if votes else None,
        })
    return posts
