"""Run one sample case and put its records in a comparable form (paths relative to the case)."""

from __future__ import annotations

import json
from pathlib import Path

from harvester.extract import Options, extract

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
VOLATILE = ("harvester_version",)  # changes with every release, not with the page


def cases() -> list[Path]:
    return sorted(p.parent for p in SAMPLES.glob("*/*/meta.json"))


def foreign_pages(engine_folder: str) -> list[Path]:
    """Every sample page made by other software than the folder's: what an engine must not claim."""
    return [page for case in cases() if case.parent.name != engine_folder for page in sorted(case.glob("*.html"))]


def run_case(case: Path, out: Path) -> dict[str, list[dict]]:
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    opts = meta.get("options") or {}
    options = Options(engine=opts.get("engine"), timezone=opts.get("timezone"), site_url=opts.get("site_url"))
    inputs = [str(case / name) for name in meta["pages"]]
    summary = extract(inputs, str(out), options, report=lambda msg: None)
    assert summary.failed == 0, summary.problems
    tables = {}
    for name in ("threads", "posts", "participants", "captures"):
        with open(out / f"{name}.jsonl", encoding="utf-8") as fh:
            tables[name] = [_relative(json.loads(line), case) for line in fh]
    return tables


def _relative(record: dict, case: Path) -> dict:
    for key in ("source_file", "id"):
        value = record.get(key)
        if isinstance(value, str) and value.startswith(str(case)):
            record[key] = Path(value).relative_to(case).as_posix()
    for key in VOLATILE:
        record.pop(key, None)
    return record


def differences(expected, actual, where="") -> list[str]:
    """Every differing field, as ``path: expected X, got Y``."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append(f"{where}.{key}: missing")
            elif key not in expected:
                out.append(f"{where}.{key}: unexpected field (value {actual[key]!r})")
            else:
                out.extend(differences(expected[key], actual[key], f"{where}.{key}"))
        return out
    if isinstance(expected, list) and isinstance(actual, list) and (
            expected and isinstance(expected[0], dict) or actual and isinstance(actual[0], dict)):
        out = [f"{where}: expected {len(expected)} items, got {len(actual)}"] if len(expected) != len(actual) else []
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            label = e.get("id", i) if isinstance(e, dict) else i
            out.extend(differences(e, a, f"{where}[{label}]"))
        return out
    return [] if expected == actual else [f"{where}: expected {expected!r}, got {actual!r}"]


if __name__ == "__main__":  # regenerate expected.json for the named cases, after reviewing the output
    import sys
    import tempfile

    for name in sys.argv[1:]:
        case = next((c for c in cases() if c.name == name), Path(name))
        with tempfile.TemporaryDirectory() as tmp:
            tables = run_case(case, Path(tmp) / "out")
        tables.pop("captures")
        (case / "expected.json").write_text(json.dumps(tables, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {case / 'expected.json'}")
