"""Gold labels: one JSON file per document (format in ../shared/corpus/labels/README.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

STATUSES = ("satisfied", "weak", "missing")


@dataclass(frozen=True, slots=True)
class GoldLabel:
    status: str
    evidence: tuple[str, ...] = ()
    confidence: str = ""


@dataclass(frozen=True, slots=True)
class Gold:
    doc: str
    path: str  # relative to the docs directory ("" when resolved by stem)
    labels: Mapping[str, GoldLabel]
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""  # label file
    split: str = "dev"  # dev | heldout | frozen
    kind: str = ""  # dpa | privacy_policy | terms_of_service | ... (as the label file says)


def _status(value: str) -> str:
    v = str(value).strip().lower()
    return "weak" if v == "needs_review" else v


def load_gold_file(path: Path, *, split: str = "dev") -> Gold:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the label file ({exc})", path) from exc
    labels: dict[str, GoldLabel] = {}
    for rid, lab in (data.get("labels") or {}).items():
        status = _status(lab["status"] if isinstance(lab, Mapping) else lab)
        if status not in STATUSES:
            raise InputError(f"label for '{rid}' has unknown status {status!r}", path)
        ev = tuple(lab.get("evidence", ()) or ()) if isinstance(lab, Mapping) else ()
        labels[rid] = GoldLabel(status, ev, lab.get("confidence", "") if isinstance(lab, Mapping) else "")
    return Gold(
        doc=data.get("doc") or path.stem,
        path=data.get("path", ""),
        labels=labels,
        params=dict(data.get("params") or {}),
        source=path.name,
        split=data.get("split", split),
        kind=str(data.get("kind", "") or ""),
    )


def load_gold_dir(directory: Path, *, split: str = "dev") -> list[Gold]:
    if not directory.is_dir():
        raise InputError("the labels folder does not exist", directory)
    return [load_gold_file(p, split=split) for p in sorted(directory.glob("*.json"))]


def resolve_document(gold: Gold, docs_dirs: Iterable[Path]) -> Path | None:
    """The document a label file names: by ``path`` relative to a docs folder, else by file stem."""
    dirs = list(docs_dirs)
    if gold.path:
        for d in dirs:
            cand = d / gold.path
            if cand.is_file():
                return cand
    for d in dirs:
        for ext in (".md", ".txt", ".pdf", ".docx"):
            for cand in d.rglob(f"{gold.doc}{ext}"):
                return cand
    return None
