"""Merge parsed pages into threads, posts and participants with provenance.

``merge_thread`` takes every captured page of one thread; ``People`` accumulates participants over
all threads. Neither reads or writes files.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

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
    post, repeated on every comment page, comes first and anchors nothing.
    """
    order: list[str] = []
    index: dict[str, int] = {}
    for r in pages:
        anchor = None
        for post in r.parsed.posts:
            pid = post["id"]
            if pid == op_id:
                continue
            if pid in index:
                anchor = pid
                continue
            at = order.index(anchor) + 1 if anchor is not None else _first_known_after(r, pid, order)
            order.insert(at, pid)
            index[pid] = at
            anchor = pid
    return order


def _first_known_after(r: PageResult, pid: str, order: list[str]) -> int:
    ids = [p["id"] for p in r.parsed.posts]  # the opening post is never in ``order``
    for later in ids[ids.index(pid) + 1:]:
        if later in order:
            return order.index(later)
    return len(order)


def merge_thread(pages: list[PageResult], all_captures: bool = False) -> tuple[dict, list[dict]]:
    """One thread from all its page captures: display order across pages, latest values per post.

    Each post records when it was first and last seen and in how many captures; a post absent from a
    later capture of the page it was last seen on is kept and marked with ``missing_since``.
    """
    pages = sorted(pages, key=lambda r: (r.parsed.page_number, _time(r), r.order))
    op_id = pages[0].parsed.thread["id"]
    # Boards name the thread apart from its opening post (thread/N, post/M): no post carries op_id there
    op_shown = any(post["id"] == op_id for r in pages for post in r.parsed.posts)
    order = [op_id] * op_shown + _display_order(pages, op_id)
    seen: dict[str, list[tuple[dict, PageResult]]] = {}
    for r in sorted(pages, key=lambda r: (_time(r), r.order)):
        for post in r.parsed.posts:
            seen.setdefault(post["id"], []).append((post, r))
    captured = {r.parsed.page_number for r in pages}
    out: list[dict] = []
    depth_of: dict[str, int] = {}
    branch = OpenBranch()
    for position, pid in enumerate(order):
        observations = seen[pid]
        post, r = observations[-1]
        times = [_time(o[1]) for o in observations if _time(o[1])]
        page_no = r.parsed.page_number
        later = [_time(x) for x in pages if x.parsed.page_number == page_no and _time(x) > _time(r)
                 and all(p["id"] != pid for p in x.parsed.posts)]
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
            for obs_post, obs_page in observations:
                row = _post_values(obs_post, obs_page, position, history)
                row.update(parent_id=base["parent_id"], depth=base["depth"], extra={**row["extra"], **extra})
                out.append(records.make("post", row))
        else:
            out.append(records.make("post", base))

    newest_first_page = max((r for r in pages if r.parsed.page_number == pages[0].parsed.page_number),
                            key=lambda r: (_time(r), r.order))
    newest = max(pages, key=lambda r: (_time(r), r.order))
    pages_total = newest.parsed.pages_total or 1
    source_urls: list[str] = []
    for r in pages:
        url = r.provenance["source_url"]
        if url and url not in source_urls:
            source_urls.append(url)
    times = sorted({_time(r) for r in pages if _time(r)})
    thread = records.make("thread", {
        **newest_first_page.parsed.thread,
        **newest_first_page.provenance,
        "posts_extracted": len(order),
        "pages_total": pages_total,
        "pages_captured": len(captured),
        "complete": captured >= set(range(pages_total)),
        "source_urls": source_urls,
        "first_seen": times[0] if times else None,
        "last_seen": times[-1] if times else None,
        "captures_seen": len(pages),
    })
    return thread, out


def _post_values(post: dict, r: PageResult, position: int, history: dict) -> dict:
    values = {**post, **r.provenance, **history, "position": position, "extra": dict(post.get("extra") or {})}
    values["content_hash"] = "sha256:" + hashlib.sha256(post["body_text"].encode("utf-8")).hexdigest()
    return values


PROVENANCE = tuple(k for k in records.COMMON if k not in ("schema_version", "id"))


class _Entries:
    """Participant entries (numbered in order of creation) and the keys that find them.

    In dicts up to ``limit`` entries, then in a temporary on-disk SQLite database: pages are streamed, but
    a forum's user count has no bound, and each entry with its keys takes about a kilobyte and a half.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.keys: dict[tuple, int] = {}
        self.entries: list[dict] = []
        self.db: sqlite3.Connection | None = None
        self.count = 0

    def find(self, keys: list[tuple]) -> int | None:
        for key in keys:
            if self.db is None:
                n = self.keys.get(key)
            else:
                row = self.db.execute("SELECT n FROM pkey WHERE k = ?", (_key_text(key),)).fetchone()
                n = row[0] if row else None
            if n is not None:
                return n
        return None

    def register(self, keys: list[tuple], n: int) -> None:
        """Keys not taken yet now find entry ``n`` (the first entry to claim a key keeps it)."""
        if self.db is None:
            for key in keys:
                self.keys.setdefault(key, n)
        else:
            self.db.executemany("INSERT OR IGNORE INTO pkey VALUES (?, ?)", [(_key_text(k), n) for k in keys])

    def new(self, entry: dict) -> int:
        if self.db is None and self.count >= self.limit:
            self._to_disk()
        n, self.count = self.count, self.count + 1
        if self.db is None:
            self.entries.append(entry)
        else:
            self.db.execute("INSERT INTO entry VALUES (?, ?)", (n, pickle.dumps(entry)))
        return n

    def load(self, n: int) -> dict:
        if self.db is None:
            return self.entries[n]
        return pickle.loads(self.db.execute("SELECT data FROM entry WHERE n = ?", (n,)).fetchone()[0])

    def save(self, n: int, entry: dict) -> None:
        if self.db is not None:  # in memory, the loaded entry is the stored one
            self.db.execute("UPDATE entry SET data = ? WHERE n = ?", (pickle.dumps(entry), n))

    def all(self) -> Iterator[dict]:
        if self.db is None:
            yield from self.entries
        else:
            for (data,) in self.db.execute("SELECT data FROM entry ORDER BY n"):
                yield pickle.loads(data)

    def _to_disk(self) -> None:
        self.db = sqlite3.connect("")  # "": a private temporary database on disk, deleted on close
        self.db.executescript("CREATE TABLE entry (n INTEGER PRIMARY KEY, data BLOB);"
                              "CREATE TABLE pkey (k TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;")
        self.db.executemany("INSERT INTO entry VALUES (?, ?)",
                            ((n, pickle.dumps(e)) for n, e in enumerate(self.entries)))
        self.db.executemany("INSERT INTO pkey VALUES (?, ?)", ((_key_text(k), n) for k, n in self.keys.items()))
        self.keys, self.entries = {}, []


def _key_text(key: tuple) -> str:
    """kind, site (None when unknown) and value as one text; a line break occurs in none of them."""
    return "\n".join("\0" if part is None else part for part in key)


class People:
    """Participants keyed by user id, else profile URL, else name, within a site."""

    IN_MEMORY = 50_000  # participants held in dicts before they move to disk (about 75 MB)

    @staticmethod
    def summarise(posts: list[dict]) -> list[tuple]:
        """One thread's posts as ``add_posts`` takes them: one row per author as written (site, id, URL, name,
        anonymous), in order of first post, with roles, post count, first and last time and the provenance
        of the first post. Workers summarise, so the main process handles authors, not posts."""
        groups: dict[tuple, list] = {}
        for p in posts:
            if not p["author_name"] and not p["author_url"]:
                continue
            key = (p["site"], p["author_id"], p["author_url"], p["author_name"],
                   bool((p.get("extra") or {}).get("anonymous")))
            group = groups.get(key)
            if group is None:
                group = groups[key] = [set(), 0, None, None, p["thread_id"], tuple(map(p.__getitem__, PROVENANCE))]
            group[0].add("author" if p["is_op"] else "commenter")
            group[1] += 1
            t = p["published"]
            if t:
                group[2] = t if group[2] is None or t < group[2] else group[2]
                group[3] = t if group[3] is None or t > group[3] else group[3]
        return [(*key, *group) for key, group in groups.items()]

    def __init__(self, in_memory: int = IN_MEMORY):
        self.store = _Entries(in_memory)

    def _entry(self, site, uid, url, name, anonymous, provenance) -> tuple[int, dict]:
        """(number, entry) of the participant, created if new; save it back with ``store.save`` once changed.

        ``provenance``: a tuple in PROVENANCE order, or a dict to take it from when the entry is new.
        """
        keys = [key for key in (("id", site, uid), ("url", site, url), ("name", site, name)) if key[2]]
        n = self.store.find(keys)
        if n is None:
            # provenance kept as a tuple in PROVENANCE order: one per participant, so it should stay small
            entry = {"uid": uid, "url": url, "name": name, "anonymous": anonymous, "roles": set(), "posts": 0,
                     "threads": 0, "last_thread": None, "first": None, "last": None,
                     "provenance": provenance if isinstance(provenance, tuple)
                     else tuple(map(provenance.get, PROVENANCE))}
            n = self.store.new(entry)
        else:
            entry = self.store.load(n)
        entry["uid"] = entry["uid"] or uid
        entry["url"] = entry["url"] or url
        entry["name"] = entry["name"] or name
        self.store.register(keys, n)
        return n, entry

    def add_posts(self, summary: list[tuple]) -> None:
        """One thread's posts as ``summarise`` gives them; each thread is added once, in one call."""
        for site, uid, url, name, anonymous, roles, count, first, last, thread_id, provenance in summary:
            n, entry = self._entry(site, uid, url, name, anonymous, provenance)
            entry["roles"] |= roles
            entry["posts"] += count
            # a thread's authors arrive together and each thread once: counting changes of thread counts
            # distinct threads without a set of every thread id (which grew with the corpus)
            if entry["last_thread"] != thread_id:
                entry["threads"] += 1
                entry["last_thread"] = thread_id
            # only the extremes are kept: a list of every post time would grow with the corpus
            if first and (entry["first"] is None or first < entry["first"]):
                entry["first"] = first
            if last and (entry["last"] is None or last > entry["last"]):
                entry["last"] = last
            self.store.save(n, entry)

    def add_member(self, member: dict, provenance: dict) -> None:
        n, entry = self._entry(provenance["site"], member.get("id"), member.get("url"), member.get("name"), False,
                               provenance)
        entry["roles"].add("member")
        self.store.save(n, entry)

    def records(self) -> Iterator[dict]:
        for e in self.store.all():
            if e["uid"]:
                pid = f"user/{e['uid']}"
            elif e["url"]:
                pid = urlsplit(e["url"]).path.strip("/") or e["url"]
            else:
                pid = ("anonymous:" if e["anonymous"] else "name:") + (e["name"] or "")
            yield records.make("participant", {
                **dict(zip(PROVENANCE, e["provenance"], strict=True)),
                "id": pid,
                "name": e["name"],
                "url": e["url"],
                "roles": [r for r in ("author", "commenter", "member") if r in e["roles"]],
                "posts_in_dataset": e["posts"],
                "threads_in_dataset": e["threads"],
                "first_post_time": e["first"],
                "last_post_time": e["last"],
                "extra": {"anonymous": True} if e["anonymous"] else {},
            })
