"""``harvester verify DIR``: every WARC readable, warcinfo first, digests right, links between records sound."""

from __future__ import annotations

import os

from harvester.capture.warcwriter import OPEN_SUFFIX, scan_members

REVISIT_FIELDS = ("WARC-Profile", "WARC-Refers-To-Target-URI", "WARC-Refers-To-Date")


class Bad(Exception):
    pass


def find_warcs(directory: str) -> tuple[list[str], list[str]]:
    warcs, stale = [], []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.endswith(OPEN_SUFFIX):
                stale.append(path)
            elif name.endswith((".warc.gz", ".warc")):
                warcs.append(path)
    return warcs, stale


def check_file(path: str) -> int:
    """Number of records; raises Bad on the first problem."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = os.path.basename(path)
    ids: set[str] = set()
    concurrent: list[tuple[str, str]] = []
    count = 0
    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh, check_digests=True)
            for record in it:
                h = record.rec_headers
                where = f"{path} @{it.get_record_offset()}"
                rtype = h.get_header("WARC-Type")
                if count == 0:
                    if rtype != "warcinfo":
                        raise Bad(f"{where}: first record is {rtype}, not warcinfo")
                    if h.get_header("WARC-Filename") not in (name, name + OPEN_SUFFIX):
                        raise Bad(f"{where}: WARC-Filename {h.get_header('WARC-Filename')!r} is not {name!r}")
                for key in ("WARC-Record-ID", "WARC-Date", "WARC-Type"):
                    if not h.get_header(key):
                        raise Bad(f"{where}: no {key}")
                if rtype in ("response", "request", "revisit", "resource") and not h.get_header("WARC-Target-URI"):
                    raise Bad(f"{where}: {rtype} without WARC-Target-URI")
                if rtype == "revisit":
                    missing = [k for k in REVISIT_FIELDS if not h.get_header(k)]
                    if missing:
                        raise Bad(f"{where}: revisit without {', '.join(missing)}")
                stream = record.content_stream() if rtype not in ("revisit",) else record.raw_stream
                while stream.read(1 << 20):
                    pass
                record.raw_stream.read()
                if record.digest_checker.passed is False:
                    raise Bad(f"{where}: {'; '.join(record.digest_checker.problems)}")
                ids.add(h.get_header("WARC-Record-ID"))
                if h.get_header("WARC-Concurrent-To"):
                    concurrent.append((where, h.get_header("WARC-Concurrent-To")))
                count += 1
    except ArchiveLoadFailed as exc:
        raise Bad(f"{path}: unreadable: {str(exc).strip()}") from exc
    except (OSError, EOFError, ValueError) as exc:
        raise Bad(f"{path}: unreadable: {exc}") from exc
    if count == 0:
        raise Bad(f"{path}: no records")
    if path.endswith(".gz"):
        # warcio stops quietly at a torn gzip member or a record cut short: every member must end, and every
        # record be as long as its Content-Length, up to the last byte of the file
        records, good_end = scan_members(path)
        size = os.path.getsize(path)
        if good_end != size:
            raise Bad(f"{path} @{good_end}: torn gzip member or record ({size - good_end} bytes after the last "
                      f"complete record of {len(records)})")
    for where, target in concurrent:
        if target not in ids:
            raise Bad(f"{where}: WARC-Concurrent-To {target} is not in this file")
    return count


def verify(directory: str, report=print) -> bool:
    warcs, stale = find_warcs(directory)
    if stale:
        report(f"bad: {stale[0]}: unfinished .open file (resume the crawl to repair it)")
        return False
    unfinished = sorted(os.path.join(directory, n) for n in os.listdir(directory)
                        if n.endswith((".wacz.tmp", ".cdxj.tmp"))) if os.path.isdir(directory) else []
    if unfinished:
        report(f"bad: {unfinished[0]}: index or WACZ left half-written (run the same crawl command again to "
               "rebuild it)")
        return False
    if not warcs:
        report(f"bad: no WARC files in {directory}")
        return False
    total = 0
    for path in warcs:
        try:
            total += check_file(path)
        except Bad as exc:
            report(f"bad: {exc}")
            return False
    report(f"ok: {len(warcs)} WARC files, {total} records")
    return True
