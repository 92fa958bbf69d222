"""Merge parsed pages into threads, posts and participants with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from harvester import records
from harvester.model import ParsedPage


@dataclass
class PageResult:
    """A parsed page and the provenance its records inherit."""

    parsed: ParsedPage
    provenance: dict[str, Any]  # the records.COMMON provenance fields for this page
    order: int  # input order, to keep merges stable


@dataclass
class Dataset:
    threads: list[dict] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)


def assemble(results: list[PageResult]) -> Dataset:
    groups: dict[tuple, list[PageResult]] = {}
    for r in results:
        if r.parsed.thread is None:
            continue
        groups.setdefault((r.provenance["site"], r.parsed.thread["id"]), []).append(r)
    data = Dataset()
    people = _People()
    for pages in groups.values():
        thread, posts = _merge_thread(pages)
        data.threads.append(thread)
        data.posts.extend(posts)
        for post in posts:
            people.add_post(post)
        for r in pages:
            for member in r.parsed.members:
                people.add_member(member, r.provenance)
    data.participants = people.records()
    return data


def _capture_key(r: PageResult):
    return (r.parsed.page_number, r.provenance["capture_time"] or "", r.order)


def _merge_thread(pages: list[PageResult]) -> tuple[dict, list[dict]]:
    """Posts in display order across comment pages; a later capture's values win for the same post."""
    pages = sorted(pages, key=_capture_key)
    order: list[str] = []
    latest: dict[str, tuple[dict, dict, int]] = {}
    for r in pages:
        for post in r.parsed.posts:
            if post["id"] not in latest:
                order.append(post["id"])
            latest[post["id"]] = (post, r.provenance, r.parsed.page_number)
    op_id = pages[0].parsed.thread["id"]
    order.sort(key=lambda pid: pid != op_id)  # the opening post first, the rest keep display order
    captured = {r.parsed.page_number for r in pages}
    out: list[dict] = []
    depth_of: dict[str, int] = {}
    last_at_depth: dict[int, str] = {}
    for position, pid in enumerate(order):
        post, prov, page_no = latest[pid]
        values = {**post, **prov, "position": position, "extra": dict(post.get("extra") or {})}
        extra = values["extra"]
        if extra.pop("parent_on_earlier_page", False):
            # The parent is the nearest earlier comment one level up, if the page before was captured.
            if page_no - 1 in captured and last_at_depth.get(values["depth"] - 1):
                values["parent_id"] = last_at_depth[values["depth"] - 1]
            else:
                extra["parent_unknown"] = True
        if values["parent_id"] in depth_of:
            values["depth"] = depth_of[values["parent_id"]] + 1
        if not values["is_op"]:
            depth_of[pid] = values["depth"]
            last_at_depth[values["depth"]] = pid
            for deeper in [d for d in last_at_depth if d > values["depth"]]:
                del last_at_depth[deeper]
        out.append(records.make("post", values))

    first = pages[0]
    info = dict(first.parsed.thread)
    pages_total = max((r.parsed.pages_total or 1) for r in pages)
    source_urls: list[str] = []
    for r in pages:
        url = r.provenance["source_url"]
        if url and url not in source_urls:
            source_urls.append(url)
    thread = records.make("thread", {
        **info,
        **first.provenance,
        "posts_extracted": len(out),
        "pages_total": pages_total,
        "pages_captured": len(captured),
        "complete": captured >= set(range(pages_total)),
        "source_urls": source_urls,
    })
    return thread, out


class _People:
    """Participants keyed by user id, else profile URL, else name, within a site."""

    def __init__(self):
        self.by_key: dict[tuple, dict] = {}
        self.order: list[dict] = []

    def _find(self, site, uid, url, name) -> dict | None:
        for key in (("id", site, uid), ("url", site, url), ("name", site, name)):
            if key[2] and key in self.by_key:
                return self.by_key[key]
        return None

    def _entry(self, site, uid, url, name, anonymous, provenance) -> dict:
        entry = self._find(site, uid, url, name)
        if entry is None:
            entry = {"uid": uid, "url": url, "name": name, "anonymous": anonymous, "roles": set(), "posts": 0,
                     "threads": set(), "times": [], "provenance": provenance}
            self.order.append(entry)
        entry["uid"] = entry["uid"] or uid
        entry["url"] = entry["url"] or url
        entry["name"] = entry["name"] or name
        for key in (("id", site, uid), ("url", site, url), ("name", site, name)):
            if key[2]:
                self.by_key.setdefault(key, entry)
        return entry

    def add_post(self, post: dict) -> None:
        if not post["author_name"] and not post["author_url"]:
            return
        prov = {k: post[k] for k in records.COMMON if k not in ("schema_version", "id")}
        anonymous = bool(post["extra"].get("anonymous"))
        entry = self._entry(post["site"], post["author_id"], post["author_url"], post["author_name"], anonymous, prov)
        entry["roles"].add("author" if post["is_op"] else "commenter")
        entry["posts"] += 1
        entry["threads"].add(post["thread_id"])
        if post["published"]:
            entry["times"].append(post["published"])

    def add_member(self, member: dict, provenance: dict) -> None:
        prov = {k: v for k, v in provenance.items() if k not in ("schema_version", "id")}
        entry = self._entry(provenance["site"], member.get("id"), member.get("url"), member.get("name"), False, prov)
        entry["roles"].add("member")

    def records(self) -> list[dict]:
        out = []
        for e in self.order:
            if e["uid"]:
                pid = f"user/{e['uid']}"
            elif e["url"]:
                pid = urlsplit(e["url"]).path.strip("/") or e["url"]
            else:
                pid = ("anonymous:" if e["anonymous"] else "name:") + (e["name"] or "")
            times = sorted(e["times"])
            out.append(records.make("participant", {
                **e["provenance"],
                "id": pid,
                "name": e["name"],
                "url": e["url"],
                "roles": [r for r in ("author", "commenter", "member") if r in e["roles"]],
                "posts_in_dataset": e["posts"],
                "threads_in_dataset": len(e["threads"]),
                "first_post_time": times[0] if times else None,
                "last_post_time": times[-1] if times else None,
                "extra": {"anonymous": True} if e["anonymous"] else {},
            }))
        return out
