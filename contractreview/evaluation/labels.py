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
    split: str = "dev"  # dev | heldout | train | frozen
    vendor: str = ""  # the label file's "vendor", else derived from the path (see ``vendor_of``)
    kind: str = ""  # dpa | privacy_policy | terms_of_service | ... (as the label file says)
    annotator: str = ""
    profile: str = ""  # the profile the labels were judged under, when the file records it ('labels export')


_ARCHIVES = ("tosback_edtech", "open_terms_archive", "tosdr", "github")


def vendor_of(path: str, doc: str) -> str:
    """The vendor a document comes from: the archive's vendor folder, else the top folder, else the stem."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if len(parts) >= 3 and parts[0] in _ARCHIVES:
        name = parts[1]
    elif len(parts) >= 2:
        name = parts[0]
    else:
        name = doc.split("_")[0]
    return "".join(ch for ch in name.lower() if ch.isalnum()) or doc


def kind_of(doc: str, path: str = "") -> str:
    """dpa (also data use agreements), privacy_policy, terms or other, from the document's name."""
    name = f"{doc} {path}".lower()
    if "dpa" in name or "dua" in name or "processor agreement" in name or "processing agreement" in name:
        return "dpa"
    if "privacy" in name:
        return "privacy_policy"
    if "terms" in name:
        return "terms"
    return "other"


_KIND_ALIASES = {"terms_of_service": "terms", "terms_of_use": "terms"}


def kind_group(gold: Gold) -> str:
    """The kind a CV report groups a document under: the label file's (terms of service as terms), else guessed."""
    return _KIND_ALIASES.get(gold.kind, gold.kind) or kind_of(gold.doc, gold.path)


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
    doc = data.get("doc") or path.stem
    rel = data.get("path", "")
    return Gold(
        doc=doc,
        path=rel,
        labels=labels,
        params=dict(data.get("params") or {}),
        source=path.name,
        split=data.get("split", split),
        vendor=str(data.get("vendor") or vendor_of(rel, doc)),
        kind=str(data.get("kind", "") or ""),
        annotator=str(data.get("annotator") or ""),
        profile=str(data.get("profile") or ""),
    )


def load_gold_dir(directory: Path, *, split: str = "dev") -> list[Gold]:
    if not directory.is_dir():
        raise InputError("the labels folder does not exist", directory)
    return [load_gold_file(p, split=split) for p in sorted(directory.glob("*.json"))]


def profile_for(golds: Iterable[Gold], requested: str | None) -> str:
    """The profile to score ``golds`` under: the one asked for, else the one their files record (a district's
    reviews exported under "ny" are scored under "ny"), else "default".

    :raises InputError: the files record more than one profile and none was asked for.
    """
    if requested:
        return requested
    recorded = sorted({g.profile for g in golds if g.profile})
    if len(recorded) > 1:
        raise InputError(
            f"the label files were judged under different profiles ({', '.join(recorded)}); "
            "score them one profile at a time with --profile",
            "labels",
        )
    return recorded[0] if recorded else "default"


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
