"""``harvester report``: one self-contained HTML page describing a dataset, for a first look before analysis.

Counts, coverage (complete threads, capture dates, failed inputs), posts per month, thread length and depth,
participants' activity, votes by kind, top boards and the inputs' provenance. The tables are streamed once;
what is kept grows with distinct months, boards and values, not with posts. Figures are PNG files beside the
page (``NAME_files/``) and are also embedded in it, so the page can be mailed or archived alone.
"""

from __future__ import annotations

import base64
import html
from collections import Counter
from pathlib import Path

from harvester import __version__
from harvester.export import check_dataset, now, read_table

TOP = 15


def _stats(root: Path) -> dict:
    s = {"counts": Counter(), "status": Counter(), "failed": [], "months": Counter(), "lengths": Counter(),
         "depths": Counter(), "activity": Counter(), "votes": {}, "boards": Counter(), "complete": Counter(),
         "capture_min": None, "capture_max": None, "source_types": Counter(), "engines": Counter(),
         "local_only": 0, "no_date": 0}
    for t in read_table(root, "threads"):
        s["counts"]["threads"] += 1
        s["lengths"][t.get("posts_extracted") or 0] += 1
        s["complete"]["complete" if t.get("complete") else "incomplete"] += 1
        if t.get("board"):
            s["boards"][t["board"]] += 1
    depth: dict[tuple, int] = {}
    for p in read_table(root, "posts"):
        s["counts"]["posts"] += 1
        when = p.get("published_utc") or p.get("published_local")
        if when:
            s["months"][when[:7]] += 1
            s["local_only"] += not p.get("published_utc")
        else:
            s["no_date"] += 1
        key = (p.get("site"), p.get("thread_id"))
        depth[key] = max(depth.get(key, 0), p.get("depth") or 0)
        if p.get("votes") is not None:
            s["votes"].setdefault(p.get("votes_kind") or "unknown", Counter())[p["votes"]] += 1
    s["depths"] = Counter(depth.values())
    for p in read_table(root, "participants"):
        s["counts"]["participants"] += 1
        s["activity"][p.get("posts_in_dataset") or 0] += 1
    for c in read_table(root, "captures"):
        s["counts"]["captures"] += 1
        s["status"][c.get("status")] += 1
        s["source_types"][c.get("source_type")] += 1
        if c.get("parser_name"):
            s["engines"][c["parser_name"]] += 1
        if c.get("status") == "error" and len(s["failed"]) < 50:
            s["failed"].append((c.get("id"), c.get("reason")))
        t = c.get("capture_time")
        if t:
            s["capture_min"] = min(s["capture_min"] or t, t)
            s["capture_max"] = max(s["capture_max"] or t, t)
    return s


def _figures(s: dict, folder: Path) -> list[tuple[str, str, Path]]:
    """(title, caption, png path) of every figure the data allows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []

    def save(name, title, caption, draw):
        fig, ax = plt.subplots(figsize=(7, 3.2), dpi=100)
        draw(ax)
        ax.set_title(title, fontsize=11)
        fig.tight_layout()
        path = folder / f"{name}.png"
        fig.savefig(path)
        plt.close(fig)
        out.append((title, caption, path))

    if s["months"]:
        months = sorted(s["months"])
        step = max(1, len(months) // 24)  # at most ~24 labels, however many years the forum ran
        save("posts_per_month", "Posts per month", "By published_utc, else the printed local time.",
             lambda ax: (ax.bar(range(len(months)), [s["months"][m] for m in months], color="#3b6ea5"),
                         ax.set_xticks(range(0, len(months), step), months[::step], rotation=60, fontsize=7),
                         ax.set_ylabel("posts")))
    if s["lengths"]:
        save("thread_length", "Thread length", "Posts per thread in the dataset (threads, log scale).",
             lambda ax: (ax.hist(list(s["lengths"].elements()), bins=30, color="#5a9"), ax.set_yscale("log"),
                         ax.set_xlabel("posts in thread"), ax.set_ylabel("threads")))
    if s["depths"]:
        depths = sorted(s["depths"])
        save("thread_depth", "Deepest reply per thread", "0: flat threads (boards) or no replies to replies.",
             lambda ax: (ax.bar(depths, [s["depths"][d] for d in depths], color="#a75"),
                         ax.set_xlabel("maximum depth"), ax.set_ylabel("threads")))
    if s["activity"]:
        ranked = sorted(s["activity"].elements(), reverse=True)
        save("participant_activity", "Participants' activity (the long tail)",
             "Posts per participant, participants ranked by posts, log-log.",
             lambda ax: (ax.loglog(range(1, len(ranked) + 1), [max(v, 0.8) for v in ranked], ".", color="#639"),
                         ax.set_xlabel("rank"), ax.set_ylabel("posts")))
    if s["votes"]:
        def draw_votes(ax):
            for kind, counter in sorted(s["votes"].items()):
                ax.hist(list(counter.elements()), bins=30, alpha=0.6, label=kind)
            ax.set_yscale("log")
            ax.set_xlabel("votes as shown")
            ax.set_ylabel("posts")
            ax.legend(fontsize=8)
        save("votes", "Votes by kind", "Counts of different kinds (voters, score, likes, ...) are not comparable.",
             draw_votes)
    if s["boards"]:
        top = s["boards"].most_common(TOP)[::-1]
        save("top_boards", f"Top {len(top)} boards", "Threads per board.",
             lambda ax: (ax.barh([b[:40] for b, _ in top], [n for _, n in top], color="#37a"),
                         ax.tick_params(axis="y", labelsize=7), ax.set_xlabel("threads")))
    return out


def write_report(dataset: str, output: str) -> list[Path]:
    """Write the HTML report and its figures; returns the figures' paths."""
    root, manifest = check_dataset(dataset)
    s = _stats(root)
    page = Path(output)
    folder = page.with_name(page.stem + "_files")
    folder.mkdir(parents=True, exist_ok=True)
    figures = _figures(s, folder)
    e = html.escape
    rows = lambda pairs: "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in pairs)  # noqa: E731
    inputs = [i for i in manifest.get("inputs", []) if isinstance(i, dict)]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>harvester report: {e(root.name)}</title>",
        "<style>body{font:14px/1.45 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .6em;"
        "text-align:left;vertical-align:top}th{background:#f4f4f4}figure{margin:1em 0 2em}img{max-width:100%}"
        "figcaption{color:#555;font-size:12px}</style></head><body>",
        f"<h1>Dataset report</h1><p>{e(str(root))}, schema {e(str(manifest.get('schema_version')))}, written "
        f"{e(str(manifest.get('created')))}; this report by harvester {e(__version__)} at {now()}.</p>",
        "<h2>Counts</h2><table>" + rows(s["counts"].items()) + "</table>",
        "<h2>Coverage</h2><table>" + rows([
            ("inputs", len(inputs)), ("input bytes", sum(i.get("size") or 0 for i in inputs)),
            *[(f"pages {k}", v) for k, v in sorted(s["status"].items(), key=lambda kv: str(kv[0]))],
            *[(f"threads {k}", v) for k, v in sorted(s["complete"].items())],
            ("first capture", s["capture_min"] or "unknown"), ("last capture", s["capture_max"] or "unknown"),
            ("posts with a local time only (zone unknown)", s["local_only"]), ("posts without a date", s["no_date"]),
            *[(f"source type {k}", v) for k, v in sorted(s["source_types"].items(), key=lambda kv: str(kv[0]))],
            *[(f"engine {k}", v) for k, v in sorted(s["engines"].items())],
        ]) + "</table>",
    ]
    if s["failed"]:
        parts.append("<h2>Failed inputs</h2><table><tr><th>input</th><th>reason</th></tr>" + "".join(
            f"<tr><td>{e(str(i))}</td><td>{e(str(r))}</td></tr>" for i, r in s["failed"]) + "</table>")
    parts.append("<h2>Figures</h2>")
    for title, caption, path in figures:
        data = base64.b64encode(path.read_bytes()).decode()
        parts.append(f"<figure id='{path.stem}'><img alt='{e(title)}' src='data:image/png;base64,{data}'>"
                     f"<figcaption>{e(title)}: {e(caption)} (also {e(folder.name)}/{e(path.name)})"
                     "</figcaption></figure>")
    parts.append("<h2>Provenance</h2><table><tr><th>input</th><th>sha256</th><th>bytes</th></tr>" + "".join(
        f"<tr><td>{e(str(i.get('path')))}</td><td><code>{e(str(i.get('sha256')))}</code></td>"
        f"<td>{e(str(i.get('size')))}</td></tr>" for i in inputs[:200]) + "</table>"
        + (f"<p>... and {len(inputs) - 200} more in datapackage.json.</p>" if len(inputs) > 200 else ""))
    parts.append("</body></html>\n")
    page.write_text("".join(parts), encoding="utf-8")
    return [path for _, _, path in figures]
