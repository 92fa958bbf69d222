"""WACZ 1.1.1 packaging for ReplayWeb.page, written directly with zipfile.

The ``wacz`` package on PyPI pulls in frictionless, pydantic and tldextract (which downloads the public
suffix list at run time); the format itself is a zip of four kinds of files, so it is written here.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import zipfile

from harvester import __version__


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def pages_from_index(index_path: str) -> list[dict]:
    pages, seen = [], set()
    with open(index_path, "rb") as fh:
        for line in fh:
            _key, ts, data = line.decode("utf-8").split(" ", 2)
            entry = json.loads(data)
            if entry.get("mime") == "text/html" and str(entry.get("status")) == "200" and entry["url"] not in seen:
                seen.add(entry["url"])
                iso = f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"
                pages.append({"id": hashlib.sha1(entry["url"].encode()).hexdigest()[:16], "url": entry["url"],
                              "ts": iso})
    return pages


def _main_page(pages: list[dict], config) -> str | None:
    """The first seed that was captured as a page (the crawl's own starting point), else the first page."""
    from harvester.capture.scope import canonical

    captured = {p["url"] for p in pages}
    for seed in getattr(config, "seeds", None) or []:
        if canonical(seed) in captured:
            return canonical(seed)
    return pages[0]["url"] if pages else None


def package(directory: str, warcs: list[str], index_path: str, config) -> str:
    """Write DIRECTORY/PREFIX.wacz holding the WARCs, the index, pages.jsonl and datapackage.json."""
    name = os.path.join(directory, f"{config.warc_prefix}.wacz")
    tmp = name + ".tmp"
    pages = pages_from_index(index_path)
    pages_text = "\n".join([json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
                           + [json.dumps(p) for p in pages]) + "\n"
    resources = []
    with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
        for path in warcs:
            arc = f"archive/{os.path.basename(path)}"
            zf.write(path, arc, compress_type=zipfile.ZIP_STORED)  # replay seeks into WARCs by offset
            resources.append({"name": os.path.basename(path), "path": arc, "hash": _sha256(path),
                              "bytes": os.path.getsize(path)})
        # the WACZ spec names a plain CDXJ index indexes/index.cdx; pywb's importer looks only for *.cdx(.gz)
        zf.write(index_path, "indexes/index.cdx", compress_type=zipfile.ZIP_DEFLATED)
        resources.append({"name": "index.cdx", "path": "indexes/index.cdx", "hash": _sha256(index_path),
                          "bytes": os.path.getsize(index_path)})
        data = pages_text.encode("utf-8")
        zf.writestr("pages/pages.jsonl", data, compress_type=zipfile.ZIP_DEFLATED)
        resources.append({"name": "pages.jsonl", "path": "pages/pages.jsonl",
                          "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)})
        package_json = {
            "profile": "data-package", "wacz_version": "1.1.1", "title": config.warc_prefix,
            "software": f"harvester/{__version__}",
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "mainPageURL": _main_page(pages, config), "resources": resources,
        }
        zf.writestr("datapackage.json", json.dumps(package_json, indent=2), compress_type=zipfile.ZIP_DEFLATED)
    os.replace(tmp, name)
    return name
