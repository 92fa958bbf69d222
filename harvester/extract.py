"""The extract job: inputs -> pages -> engine records -> dataset directory."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

from harvester import __version__, engines, records
from harvester.assemble import PageResult, assemble
from harvester.dates import get_zone
from harvester.document import Document
from harvester.model import InputError, Page
from harvester.sources import files
from harvester.writers import write_dataset


@dataclass
class Options:
    engine: str | None = None  # force an engine instead of detecting it
    timezone: str | None = None  # the site's zone, for dates printed without an offset
    site_url: str | None = None  # the original site, for pages saved without any URL
    max_page_mb: float = 64.0
    all_captures: bool = False  # one post row per observation instead of one per post
    progress: bool = False


@dataclass
class Summary:
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    threads: int = 0
    posts: int = 0
    participants: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self, output: str) -> str:
        return (f"{self.ok + self.skipped + self.failed} pages: {self.ok} ok, {self.skipped} skipped, "
                f"{self.failed} failed; {self.threads} threads, {self.posts} posts, "
                f"{self.participants} participants -> {output}")


def _provenance(page: Page, engine, site: str | None = None) -> dict:
    prov = {
        "site": site,
        "source_url": page.url,
        "source_type": page.source_type,
        "source_file": page.source_file,
        "capture_time": page.capture_time,
        "archive_url": page.archive_url,
        "parser_name": engine.NAME if engine else None,
        "parser_version": engine.VERSION if engine else None,
        "harvester_version": __version__,
    }
    for key in ("warc_filename", "warc_record_id", "warc_record_offset", "warc_record_length",
                "warc_payload_digest"):
        prov[key] = page.provenance.get(key)
    return prov


def iter_pages(inputs: list[str], max_bytes: int,
               inventory: list[dict]) -> Iterator[tuple[str, Page | None, str | None]]:
    """(label, page, error) for every input page; ``inventory`` collects each input file's digest and size."""
    for entry in files.walk(inputs):
        if entry.error:
            yield entry.path, None, entry.error
            continue
        if files.is_archive(entry.path):
            yield entry.path, None, "web archive input (WARC/ARC/WACZ) is not supported by this version"
            continue
        try:
            page, digest, size = files.load(entry.path, max_bytes)
        except InputError as exc:
            yield entry.path, None, str(exc)
            continue
        inventory.append({"path": entry.path, "sha256": digest, "size": size})
        yield entry.path, page, None


def process_page(page: Page, options: Options, zone, forced) -> tuple[PageResult | None, dict]:
    """Parse one page; returns (result or None, capture row values). Never raises for bad input."""
    capture = {"size": page.size, "posts_found": 0}
    engine = forced
    doc = None
    try:
        doc = Document(page, options.site_url)
        capture["encoding"] = doc.encoding
        engine = forced or engines.detect(doc)
        if engine is None:
            capture.update(status="skipped", reason="not a forum page any engine recognises")
            return None, capture
        parsed = engine.parse(doc, zone=zone)
    except InputError as exc:
        capture.update(status="error", reason=str(exc))
        return None, capture
    except Exception as exc:  # an engine bug must not end the batch; the row says what happened
        name = engine.NAME if engine else "document"
        capture.update(status="error", reason=f"{name} failed: {type(exc).__name__}: {exc}")
        return None, capture
    finally:
        capture["_engine"] = engine
        capture["_site"] = doc.site if doc is not None else None
    if parsed.thread is None:
        capture.update(status="skipped", reason=parsed.skip_reason)
        return None, capture
    capture.update(status="ok", posts_found=len(parsed.posts), thread_id=parsed.thread["id"],
                   page_number=parsed.page_number)
    return PageResult(parsed=parsed, provenance=_provenance(page, engine, doc.site), order=0), capture


def extract(inputs: list[str], output: str, options: Options,
            report: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> Summary:
    zone = get_zone(options.timezone)
    forced = engines.by_name(options.engine) if options.engine else None
    max_bytes = int(options.max_page_mb * 1_000_000)
    inventory: list[dict] = []
    results: list[PageResult] = []
    captures: list[dict] = []
    summary = Summary()
    entries = iter_pages(inputs, max_bytes, inventory)
    for label, page, error in _progress(entries, options.progress):
        if page is None:
            capture = {"status": "error", "reason": error}
            prov = _provenance(Page(source_file=label, source_type="html", body=b""), forced)
            digest = size = None
        else:
            result, capture = process_page(page, options, zone, forced)
            prov = _provenance(page, capture.pop("_engine", None), capture.pop("_site", None))
            digest, size = inventory[-1]["sha256"], inventory[-1]["size"]
            if result is not None:
                result.order = len(results)
                results.append(result)
            page.body = b""  # the bytes are no longer needed; keep memory flat
        reason = capture.get("reason")
        if page is not None and page.notes:
            reason = "; ".join(filter(None, [reason, *page.notes]))
        captures.append(records.make("capture", {
            **prov, **{k: v for k, v in capture.items() if not k.startswith("_")},
            "id": label, "reason": reason, "sha256": digest, "size": size,
        }))
        status = capture["status"]
        if status == "ok":
            summary.ok += 1
        elif status == "skipped":
            summary.skipped += 1
            report(f"skipped: {label}: {reason}")
        else:
            summary.failed += 1
            summary.problems.append(f"{label}: {reason}")
            report(f"error: {label}: {reason}")
    data = assemble(results, options.all_captures)
    summary.threads, summary.posts, summary.participants = len(data.threads), len(data.posts), len(data.participants)
    write_dataset(output, {"threads": data.threads, "posts": data.posts, "participants": data.participants,
                           "captures": captures}, {
        "inputs": inventory,
        "options": {k: v for k, v in asdict(options).items() if k != "progress"} | {"inputs": list(inputs)},
        "engines": {e.NAME: e.VERSION for e in engines.REGISTRY},
        "failed": summary.problems,
    })
    return summary


def _progress(items, enabled: bool):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, unit="page", desc="extract", file=sys.stderr, leave=False)
