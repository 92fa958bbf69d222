"""Merge parsed pages into threads, posts and participants with provenance.

``merge_thread`` takes every captured page of one thread; ``People`` accumulates participants over
all threads. Neither reads or writes files.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from harvester import records
from harvester.model import ParsedPage
from harvester.replytree import OpenBranch


@dataclass
class PageResult:
    """A parsed page and the provenance its records inherit."""

    parsed: ParsedPage
    provenance: dict[str, Any]  # the records.COMMON provenance fields for this page
    order: int  # input order, to keep merges stable


def _time(r: PageResult) -> str:
    return r.provenance["capture_time"] or ""  # unknown capture times count as the oldest


def _display_order(pages: list[PageResult], op_id: str) -> list[str]:
    """Merge each page's post order into one sequence, keeping every page's relative order.

    Captures of different times may split the thread at different page boundaries; a post first seen
    in a later capture goes right after the nearest post that precedes it on that page. The opening
    post, repeated on every comment page, comes first and anchors nothing. A linked list keeps each
    insertion O(1): with a list, 40,000 comments on one page took seconds of index() and insert().
    """
    end = object()  # the sentinel both ends of the ring point at
    after: dict = {end: end}
    before: dict = {end: end}

    def insert_after(a, pid: str) -> None:
        b = after[a]
        after[a], before[pid], after[pid], before[b] = pid, a, b, pid

    for r in pages:
        anchor = None
        for post in r.parsed.posts:
            pid = post["id"]
            if pid == op_id:
                continue
            if pid in after:
                anchor = pid
                continue
            if anchor is None:
                later = _first_known_after(r, pid, after)
                anchor = before[later] if later is not None else before[end]
            insert_after(anchor, pid)
            anchor = pid
    order, pid = [], after[end]
    while pid is not end:
        order.append(pid)
        pid = after[pid]
    return order


def _opening_post(pages: list[PageResult]) -> str | None:
    """The opening post's id: Drupal's node, repeated on every comment page, has the thread's id; a board's
    first post shows only on the first page (None when that page was not captured)."""
    for r in pages:
        for post in r.parsed.posts:
            if post.get("is_op"):
                return post["id"]
    return None


def _first_known_after(r: PageResult, pid: str, known) -> str | None:
    """The first post after ``pid`` on its page that is already placed (the opening post never is)."""
    ids = [p["id"] for p in r.parsed.posts]
    return next((later for later in ids[ids.index(pid) + 1:] if later in known), None)


def merge_thread(pages: list[PageResult], all_captures: bool = False) -> tuple[dict, list[dict]]:
    """One thread from all its page captures: display order across pages, latest values per post.

    Each post records when it was first and last seen and in how many captures; a post absent from a
    later capture of the page it was last seen on is kept and marked with ``missing_since``.
    """
    pages = sorted(pages, key=lambda r: (r.parsed.page_number, _time(r), r.order))
    op_id = _opening_post(pages)
    order = [op_id, *_display_order(pages, op_id)] if op_id else _display_order(pages, None)
    seen: dict[str, list[tuple[dict, PageResult]]] = {}
    for r in sorted(pages, key=lambda r: (_time(r), r.order)):
        for post in r.parsed.posts:
            seen.setdefault(post["id"], []).append((post, r))
    captured = {r.parsed.page_number for r in pages if not r.parsed.partial}
    out: list[dict] = []
    depth_of: dict[str, int] = {}
    branch = OpenBranch()
    # without the opening post (a board's first page not captured) the first post seen is not position 0
    for position, pid in enumerate(order, start=0 if op_id else 1):
        observations = seen[pid]
        post, r = observations[-1]
        times = [_time(o[1]) for o in observations if _time(o[1])]
        page_no = r.parsed.page_number
        later = [_time(x) for x in pages if x.parsed.page_number == page_no and _time(x) > _time(r)
                 and not x.parsed.partial and all(p["id"] != pid for p in x.parsed.posts)]
        history = {
            "first_seen": min(times) if times else None,
            "last_seen": max(times) if times else None,
            "captures_seen": len(observations),
            "missing_since": min(later) if later else None,
        }
        base = _post_values(post, r, position, history)
        extra = base["extra"]
        if extra.pop("parent_on_earlier_page", False):
            # The parent is the nearest earlier comment one level up, if the page before was captured.
            if page_no - 1 in captured and branch.parent(base["depth"]):
                base["parent_id"] = branch.parent(base["depth"])
            else:
                extra["parent_unknown"] = True
        if base["parent_id"] in depth_of:
            base["depth"] = depth_of[base["parent_id"]] + 1
        if not base["is_op"]:
            depth_of[pid] = base["depth"]
            branch.push(base["depth"], pid)
        if all_captures:
            keys: set[str] = set()
            for obs_post, obs_page in observations:
                row = _post_values(obs_post, obs_page, position, history)
                repeat = 0
                while row["observation_id"] in keys:  # same file name, URL and time in two folders
                    repeat += 1
                    row["observation_id"] = observation_id(row, repeat)
                keys.add(row["observation_id"])
                row.update(parent_id=base["parent_id"], depth=base["depth"], extra={**row["extra"], **extra})
                out.append(records.make("post", row))
        else:
            out.append(records.make("post", base))

    _cut_reply_loops(out)
    _resolve_quotes(out)
    # a single post's capture names no title; of windows alone (no page captured), one that names it
    whole = [r for r in pages if not r.parsed.partial] or [r for r in pages if r.parsed.thread.get("title")] or pages
    newest_first_page = max((r for r in whole if r.parsed.page_number == whole[0].parsed.page_number),
                            key=lambda r: (_time(r), r.order))
    newest = max(whole, key=lambda r: (_time(r), r.order))
    pages_total = newest.parsed.pages_total or 1
    source_urls: list[str] = []
    for r in pages:
        url = r.provenance["source_url"]
        if url and url not in source_urls:
            source_urls.append(url)
    times = sorted({_time(r) for r in pages if _time(r)})
    op_row = next((p for p in out if p["is_op"]), None)
    thread = records.make("thread", {
        **newest_first_page.parsed.thread,
        **newest_first_page.provenance,
        "author_key": op_row["author_key"] if op_row else None,
        "posts_extracted": len(order),
        "pages_total": pages_total,
        "pages_captured": len(captured),
        "complete": sum(1 for n in captured if 0 <= n < pages_total) == pages_total,  # no set sized by a page
        "source_urls": source_urls,
        "first_seen": times[0] if times else None,
        "last_seen": times[-1] if times else None,
        "captures_seen": len(pages),
    })
    return thread, out


def reply_loops(parent: dict) -> list[list]:
    """The loops of a reply tree given as {post id: parent id}: each a list of the ids around it (none in a tree)."""
    loops, state = [], {}  # state: 1 on the path walked now, 2 done
    for start in parent:
        path, node = [], start
        while node in parent and node not in state:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node in parent and state.get(node) == 1:
            loops.append(path[path.index(node):])
        for n in path:
            state[n] = 2
    return loops


def _cut_reply_loops(rows: list[dict]) -> None:
    """Damaged or hostile markup can name the post itself, or a later reply of its own, as a post's parent: the
    earliest post of each loop (no reply comes before what it answers) loses its parent (``parent_unknown``) and
    depths are counted again from the parents."""
    first: dict = {}
    parent: dict = {}
    for i, row in enumerate(rows):
        first.setdefault(row["id"], i)
        parent[row["id"]] = row["parent_id"]
    cut = {min(loop, key=first.__getitem__) for loop in reply_loops(parent)}
    if not cut:
        return
    for row in rows:
        if row["id"] in cut:
            row["parent_id"] = None
            row["depth"] = 0
            row["extra"] = {**row["extra"], "parent_unknown": True}
            parent[row["id"]] = None
    depth = {row["id"]: row["depth"] for row in rows}
    done: set = set()
    for start in parent:  # iteratively (a deep thread is no recursion), each post counted once
        chain, node = [], start
        while node not in done and parent.get(node) in parent:
            chain.append(node)
            node = parent[node]
        for n in reversed(chain):
            depth[n] = depth[parent[n]] + 1
            done.add(n)
        done.add(node)
    for row in rows:
        row["depth"] = depth[row["id"]]


def _post_values(post: dict, r: PageResult, position: int, history: dict) -> dict:
    values = {**post, **r.provenance, **history, "position": position, "extra": dict(post.get("extra") or {})}
    values.pop("author_facts", None)  # participant facts: People takes them from the parsed post
    values["content_hash"] = "sha256:" + hashlib.sha256(post["body_text"].encode("utf-8")).hexdigest()
    values["observation_id"] = observation_id(values)
    values["author_key"] = author_key(values)
    values["quotes"] = [{"author": q.get("author"), "text": q.get("text") or "", "post_id": q.get("post_id"),
                         "author_key": None} for q in post.get("quotes") or ()]
    return values


def observation_id(values: dict, repeat: int = 0) -> str:
    """The post as seen in one capture: a hash of what identifies the capture, never of where the input sits.

    The input's file name counts, its folder does not, so a dataset made from a copy of the same inputs
    elsewhere (another clone, another machine) has the same keys. ``repeat`` tells apart observations that
    nothing else does (two copies of one page in different folders).
    """
    seen_in = "\0".join(str(values.get(k) or "") for k in ("site", "id", "source_url", "warc_record_id",
                                                            "warc_record_offset", "capture_time"))
    name = os.path.basename(str(values.get("source_file") or "").replace("\\", "/"))
    seen_in += f"\0{name}" + (f"\0{repeat}" if repeat else "")
    return hashlib.sha1(seen_in.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def author_key(post: dict) -> str | None:
    """The participant key of a post's author (records.participant_key of its participant id)."""
    pid = records.participant_id(post.get("author_id"), post.get("author_url"), post.get("author_name"),
                                 bool((post.get("extra") or {}).get("anonymous")))
    return records.participant_key(post.get("site"), pid)


def _resolve_quotes(posts: list[dict]) -> None:
    """A quote naming a post of this thread takes that post's author key; else one of the same name here."""
    by_id = {p["id"]: p["author_key"] for p in posts}
    by_name: dict[str, set] = {}
    for p in posts:
        if p["author_name"] and p["author_key"]:
            by_name.setdefault(p["author_name"], set()).add(p["author_key"])
    for p in posts:
        for q in p["quotes"]:
            if q["post_id"] in by_id:
                q["author_key"] = by_id[q["post_id"]]
            elif q["author"] and len(by_name.get(q["author"], ())) == 1:  # unambiguous within the thread
                q["author_key"] = next(iter(by_name[q["author"]]))


PROVENANCE = tuple(k for k in records.COMMON if k not in ("schema_version", "id"))


class _Entries:
    """Participant entries by key: in a dict up to ``limit`` entries, then in a temporary on-disk SQLite database.

    Pages are streamed, but a forum's user count has no bound, and each entry takes about a kilobyte and a half.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.entries: dict[str, dict] = {}
        self.db: sqlite3.Connection | None = None

    def get(self, key: str) -> dict | None:
        if self.db is None:
            return self.entries.get(key)
        row = self.db.execute("SELECT data FROM entry WHERE k = ?", (key,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def put(self, key: str, entry: dict) -> None:
        if self.db is None:
            self.entries[key] = entry
            if len(self.entries) > self.limit:
                self._to_disk()
        else:
            self.db.execute("INSERT OR REPLACE INTO entry VALUES (?, ?, COALESCE((SELECT n FROM entry WHERE k = ?),"
                            " (SELECT COUNT(*) FROM entry)))", (key, pickle.dumps(entry), key))

    def all(self) -> Iterator[dict]:
        if self.db is None:
            yield from self.entries.values()
        else:
            for (data,) in self.db.execute("SELECT data FROM entry ORDER BY n"):
                yield pickle.loads(data)

    def _to_disk(self) -> None:
        # "": a private temporary database on disk, deleted on close; n keeps the order of first appearance
        self.db = sqlite3.connect("")
        self.db.execute("CREATE TABLE entry (k TEXT PRIMARY KEY, data BLOB, n INTEGER)")
        self.db.executemany("INSERT INTO entry VALUES (?, ?, ?)",
                            ((k, pickle.dumps(e), n) for n, (k, e) in enumerate(self.entries.items())))
        self.entries = {}


FACTS = ("user_title", "joined_raw", "post_count_shown", "location", "avatar_url", "reputation")
NAMES_KEPT = 20  # display names kept per participant: renames are few, a hostile page could make many


def author_facts(pages: list[PageResult]) -> dict[str, dict]:
    """Postbit facts (title, join date, post count, ...) per author key, each from its latest capture."""
    facts: dict[str, dict] = {}
    for r in sorted(pages, key=lambda r: (_time(r), r.order)):
        for post in r.parsed.posts:
            shown = post.get("author_facts")
            if shown:
                key = author_key({**post, "site": r.provenance["site"]})
                if key:
                    facts.setdefault(key, {}).update({k: v for k, v in shown.items() if k in FACTS and v is not None})
    return facts


def _earlier(a, b):
    return b if a is None or (b is not None and b < a) else a


def _later(a, b):
    return b if a is None or (b is not None and b > a) else a


class People:
    """Participants keyed by ``author_key``: user id, else profile URL, else name, within a site.

    Two people who share a display name stay apart when the site tells them apart, and an anonymous poster
    never merges with a registered user of the same name. The name shown is the latest capture's.
    """

    IN_MEMORY = 50_000  # participants held in dicts before they move to disk (about 75 MB)

    @staticmethod
    def summarise(posts: list[dict], facts: dict[str, dict] | None = None) -> list[dict]:
        """One thread's posts as ``add_posts`` takes them: one row per author key, in order of first post, with
        roles, post count, first and last times, names and the provenance of the first post. Workers summarise,
        so the main process handles authors, not posts."""
        groups: dict[str, dict] = {}
        for p in posts:
            key = p["author_key"]
            if key is None:
                continue
            g = groups.get(key)
            if g is None:
                g = groups[key] = {
                    "key": key, "site": p["site"], "uid": p["author_id"], "url": p["author_url"],
                    "anonymous": bool((p.get("extra") or {}).get("anonymous")), "names": {}, "roles": set(),
                    "posts": 0, "first_utc": None, "last_utc": None, "first_local": None, "last_local": None,
                    "thread": p["thread_id"], "facts": (facts or {}).get(key),
                    "provenance": tuple(map(p.__getitem__, PROVENANCE))}
            g["roles"].add("author" if p["is_op"] else "commenter")
            g["posts"] += 1
            g["url"] = g["url"] or p["author_url"]
            if p["author_name"]:
                seen = p["last_seen"] or ""
                g["names"][p["author_name"]] = max(g["names"].get(p["author_name"], ""), seen)
            g["first_utc"] = _earlier(g["first_utc"], p["published_utc"])
            g["last_utc"] = _later(g["last_utc"], p["published_utc"])
            g["first_local"] = _earlier(g["first_local"], p["published_local"])
            g["last_local"] = _later(g["last_local"], p["published_local"])
        return list(groups.values())

    def __init__(self, in_memory: int = IN_MEMORY):
        self.store = _Entries(in_memory)

    def _entry(self, key: str, site, uid, url, anonymous, provenance) -> dict:
        entry = self.store.get(key)
        if entry is None:
            # provenance kept as a tuple in PROVENANCE order: one per participant, so it should stay small
            entry = {"key": key, "site": site, "uid": uid, "url": url, "anonymous": anonymous, "names": {},
                     "roles": set(), "posts": 0, "threads": 0, "last_thread": None, "first_utc": None,
                     "last_utc": None, "first_local": None, "last_local": None, "facts": {}, "facts_time": "",
                     "provenance": provenance if isinstance(provenance, tuple)
                     else tuple(map(provenance.get, PROVENANCE))}
        entry["url"] = entry["url"] or url
        return entry

    @staticmethod
    def _add_names(entry: dict, names: dict[str, str]) -> None:
        for name, seen in names.items():
            if name in entry["names"] or len(entry["names"]) < NAMES_KEPT:
                entry["names"][name] = max(entry["names"].get(name, ""), seen)

    def add_posts(self, summary: list[dict]) -> None:
        """One thread's authors as ``summarise`` gives them; each thread is added once, in one call."""
        for g in summary:
            entry = self._entry(g["key"], g["site"], g["uid"], g["url"], g["anonymous"], g["provenance"])
            entry["roles"] |= g["roles"]
            entry["posts"] += g["posts"]
            # a thread's authors arrive together and each thread once: counting changes of thread counts
            # distinct threads without a set of every thread id (which grew with the corpus)
            if entry["last_thread"] != g["thread"]:
                entry["threads"] += 1
                entry["last_thread"] = g["thread"]
            self._add_names(entry, g["names"])
            for f in ("first_utc", "first_local"):
                entry[f] = _earlier(entry[f], g[f])
            for f in ("last_utc", "last_local"):
                entry[f] = _later(entry[f], g[f])
            if g["facts"]:
                seen = max(g["names"].values(), default="")
                if seen >= entry["facts_time"]:
                    entry["facts"] = {**entry["facts"], **g["facts"]}
                    entry["facts_time"] = seen
            self.store.put(g["key"], entry)

    def add_member(self, member: dict, provenance: dict) -> None:
        site = provenance["site"]
        pid = records.participant_id(member.get("id"), member.get("url"), member.get("name"), False)
        key = records.participant_key(site, pid)
        if key is None:
            return
        entry = self._entry(key, site, member.get("id"), member.get("url"), False, provenance)
        if member.get("name"):
            self._add_names(entry, {member["name"]: provenance.get("capture_time") or ""})
        entry["roles"].add("member")
        self.store.put(key, entry)

    def records(self) -> Iterator[dict]:
        for e in self.store.all():
            # names in order of their latest sighting; the current name is the most recent one
            names = [n for n, _ in sorted(e["names"].items(), key=lambda kv: kv[1])]
            facts = e["facts"]
            yield records.make("participant", {
                **dict(zip(PROVENANCE, e["provenance"], strict=True)),
                "id": e["key"].split("/", 1)[1],
                "key": e["key"],
                "name": names[-1] if names else None,
                "names_seen": names,
                "url": e["url"],
                "anonymous": e["anonymous"],
                "roles": [r for r in ("author", "commenter", "member") if r in e["roles"]],
                "posts_in_dataset": e["posts"],
                "threads_in_dataset": e["threads"],
                "first_post_utc": e["first_utc"],
                "last_post_utc": e["last_utc"],
                "first_post_local": e["first_local"],
                "last_post_local": e["last_local"],
                **{f: facts.get(f) for f in FACTS},
            })
