"""Missing-requirement detection on GDPR Art. 28 data processing agreements (issue #3).

The corpus (``../shared/corpus/gdpr_dpa/train_set.csv``) holds real DPAs split into sentences, each labelled
with the Art. 28 requirement it satisfies (``R10`` … ``R29``) or ``other``. Here each DPA's text is rebuilt
from its sentences, in order, one paragraph per sentence, read by the plain-text loader, and analysed with
the ``gdpr`` profile. A requirement is *present* in a DPA when any of its sentences carries the label (in
any of the label columns); the engine *predicts missing* when the finding's status is ``missing``.
Missing is the positive class: precision and recall are those of the missing flags.

DPAs are split by their numeric id: the first :data:`DEV_COUNT` are the development set the cue patterns
were written against, the others are held out and reported separately.
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

PROFILE = "gdpr"
DEV_COUNT = 40
LABEL_COLUMNS = ("Requirement-1", "Requirement-2", "Requirement-3", "target")

# Corpus label -> requirement id (column ``corpus_label`` of ../shared/requirements/gdpr_art28_ids.tsv;
# the test checks this table against that file). R13 marks only the "unless required by law" exception and
# maps to no requirement; R19-R22 follow what the labelled sentences say (prior consultation, breach notice
# to the authority, communication to data subjects, impact assessments), as the corrected table does.
CORPUS_LABELS: Mapping[str, str] = {
    "R10": "gdpr_subprocessor_prior_authorization",
    "R11": "gdpr_subprocessor_change_notice",
    "R12": "gdpr_documented_instructions",
    "R14": "gdpr_legal_requirement_notice",
    "R15": "gdpr_personnel_confidentiality",
    "R16": "gdpr_security_measures",
    "R17": "gdpr_assist_data_subject_rights",
    "R18": "gdpr_assist_security",
    "R20": "gdpr_assist_breach_notification_authority",
    "R21": "gdpr_assist_breach_communication_subjects",
    "R22": "gdpr_assist_dpia",
    "R19": "gdpr_assist_prior_consultation",
    "R23": "gdpr_return_or_delete_at_end",
    "R24": "gdpr_infringing_instruction_notice",
    "R25": "gdpr_compliance_information",
    "R26": "gdpr_audits",
    "R27": "gdpr_subprocessor_same_obligations",
    "R28": "gdpr_liable_for_subprocessors",
    "R29": "gdpr_security_risk_assessment",
}
REQUIREMENT_IDS: tuple[str, ...] = tuple(CORPUS_LABELS.values())  # the gdpr profile's order

# The keyword baseline: a requirement is present when one sentence contains every word of one group
# (the obvious words of the Art. 28 text, nothing tuned).
KEYWORDS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "gdpr_subprocessor_prior_authorization": (("sub-processor", "authori"), ("subprocessor", "authori")),
    "gdpr_subprocessor_change_notice": (("sub-processor", "change"), ("subprocessor", "change")),
    "gdpr_documented_instructions": (("documented instructions",),),
    "gdpr_legal_requirement_notice": (("legal requirement",),),
    "gdpr_personnel_confidentiality": (("confidentiality", "persons"), ("confidentiality", "personnel")),
    "gdpr_security_measures": (
        ("technical and organisational measures",),
        ("technical and organizational measures",),
    ),
    "gdpr_assist_data_subject_rights": (("assist", "data subject"),),
    "gdpr_assist_security": (("assist", "security of processing"),),
    "gdpr_assist_breach_notification_authority": (("assist", "supervisory authorit", "breach"),),
    "gdpr_assist_breach_communication_subjects": (("assist", "breach", "data subject"),),
    "gdpr_assist_dpia": (("impact assessment",),),
    "gdpr_assist_prior_consultation": (("prior consultation",),),
    "gdpr_return_or_delete_at_end": (("delete", "return"),),
    "gdpr_infringing_instruction_notice": (("instruction", "infringe"),),
    "gdpr_compliance_information": (("information", "demonstrate compliance"),),
    "gdpr_audits": (("audit",),),
    "gdpr_subprocessor_same_obligations": (("sub-processor", "same"), ("subprocessor", "same")),
    "gdpr_liable_for_subprocessors": (("liable", "sub-processor"), ("liable", "subprocessor")),
    "gdpr_security_risk_assessment": (("risk", "destruction"),),
}


@dataclass(frozen=True, slots=True)
class Dpa:
    """One agreement of the corpus: its sentences in order and the requirements it is labelled with."""

    name: str
    number: int
    sentences: tuple[str, ...]
    present: frozenset[str]

    @property
    def text(self) -> str:
        return "\n\n".join(self.sentences) + "\n"


@dataclass(frozen=True, slots=True)
class DpaResult:
    name: str
    split: str  # "dev" | "heldout"
    present: frozenset[str]
    predicted_missing: frozenset[str]
    keyword_missing: frozenset[str]
    seconds: float
    # Presence-level gold (duty id -> present | absent | borderline), when the DPA was relabelled at that level.
    presence: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0  # predicted missing, is missing
    fp: int = 0  # predicted missing, is present
    fn: int = 0  # predicted present, is missing
    tn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def scores(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = (
            2 * p * r / (p + r)
            if p is not None and r is not None and p + r
            else (0.0 if p is not None or r is not None else None)
        )
        acc = (self.tp + self.tn) / self.n if self.n else None
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": p,
            "recall": r,
            "f1": f1,
            "accuracy": acc,
        }


@dataclass(slots=True)
class GdprReport:
    results: list[DpaResult] = field(default_factory=list)
    seconds: float = 0.0
    library_version: str = ""
    presence_source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return gdpr_report_dict(self)


# --------------------------------------------------------------------------- corpus


def _number(name: str) -> int:
    m = re.search(r"(\d+)\s*$", name)
    return int(m.group(1)) if m else 0


def iter_corpus_rows(csv_path: Path | str) -> Iterator[tuple[str, int, str, frozenset[str]]]:
    """``(DPA name, sentence id, sentence, duties)`` for each named row of ``train_set.csv``, in file order
    (the sentence stripped, possibly empty; a missing or bad id falls back to the row number).

    :raises InputError: the file is missing, unreadable or does not have the corpus columns.
    """
    path = Path(csv_path)
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"the GDPR DPA corpus cannot be read ({exc.strerror or exc}).", path) from exc
    with fh:
        reader = csv.DictReader(fh)
        cols = set(reader.fieldnames or ())
        if not {"ID", "DPA", "Sentence"} <= cols or not cols & set(LABEL_COLUMNS):
            raise InputError(
                "this is not the GDPR DPA corpus: it needs the columns ID, DPA, Sentence and Requirement-1.",
                path,
            )
        try:
            for i, row in enumerate(reader):
                name = (row.get("DPA") or "").strip()
                if not name:
                    continue
                try:
                    order = int(row.get("ID") or i)
                except ValueError:
                    order = i
                duties = frozenset(
                    CORPUS_LABELS[lab] for col in LABEL_COLUMNS if (lab := (row.get(col) or "").strip()) in CORPUS_LABELS
                )
                yield name, order, (row.get("Sentence") or "").strip(), duties
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"the GDPR DPA corpus is not a readable CSV file ({exc}).", path) from exc


def load_dpas(csv_path: Path | str) -> list[Dpa]:
    """The DPAs of ``train_set.csv``, sorted by their numeric id, each with its sentences in order.

    :raises InputError: the file is missing or does not have the corpus columns.
    """
    path = Path(csv_path)
    rows: dict[str, list[tuple[int, str]]] = {}
    labels: dict[str, set[str]] = {}
    for name, order, text, duties in iter_corpus_rows(path):
        rows.setdefault(name, []).append((order, text))
        labels.setdefault(name, set()).update(duties)
    dpas = [
        Dpa(
            name,
            _number(name),
            tuple(s for _, s in sorted(sents, key=lambda t: t[0]) if s),
            frozenset(labels[name]),
        )
        for name, sents in rows.items()
    ]
    if not dpas:
        raise InputError("the GDPR DPA corpus has no sentences.", path)
    return sorted(dpas, key=lambda d: (d.number, d.name))


PRESENCE_VALUES = ("present", "absent", "borderline")


def iter_presence_files(folder: Path, below: int | None = None) -> Iterator[tuple[Path, str, Any]]:
    """``(path, DPA name, duties)`` of each presence label file in ``folder``. With ``below``, only DPAs numbered
    under it: a file whose name is numbered ``below`` or above is skipped before it is opened, one whose DPA is
    after it is read.

    :raises InputError: a file cannot be read.
    """
    for path in sorted(folder.glob("*.json")):
        if below is not None and _number(path.stem.replace("_", " ")) >= below:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            duties = data["duties"]
            name = str(data["dpa"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"cannot read the presence label file ({exc}).", path) from exc
        if below is None or _number(name) < below:
            yield path, name, duties


def load_presence(directory: Path | str, *, below: int | None = None) -> dict[str, dict[str, str]]:
    """Presence-level gold per DPA name: ``{"Online 1": {duty id: present | absent | borderline}}``.

    One JSON file per DPA (``{"dpa": name, "duties": {id: {"presence": ..., "sentences": [n, ...]}}}``), ids and
    sentence numbers only. Every file must judge all 19 duties. ``below``: development DPAs only
    (:func:`iter_presence_files`).

    :raises InputError: a file is unreadable, names an unknown duty, misses one, or has an unknown value.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError("the presence labels folder does not exist.", folder)
    out: dict[str, dict[str, str]] = {}
    for path, name, duties in iter_presence_files(folder, below):
        unknown = set(duties) - set(REQUIREMENT_IDS)
        if unknown or set(REQUIREMENT_IDS) - set(duties):
            raise InputError(
                f"the file must judge exactly the {len(REQUIREMENT_IDS)} gdpr duties "
                f"(unknown: {sorted(unknown)[:3]}, missing: {sorted(set(REQUIREMENT_IDS) - set(duties))[:3]}).",
                path,
            )
        row: dict[str, str] = {}
        for rid, lab in duties.items():
            value = str(lab.get("presence", "") if isinstance(lab, Mapping) else lab)
            if value not in PRESENCE_VALUES:
                raise InputError(f"duty '{rid}' has presence {value!r}.", path)
            row[rid] = value
        out[name] = row
    return out


def split_of(index: int, dev_count: int = DEV_COUNT) -> str:
    return "dev" if index < dev_count else "heldout"


# --------------------------------------------------------------------------- predictions


def document_for(dpa: Dpa) -> Any:
    """The ``Document`` the plain-text loader builds for the DPA's rebuilt text (nothing is written to disk)."""
    import hashlib

    from ..domain import Format
    from ..ingest.text import load_text
    from ..limits import Limits

    data = dpa.text.encode("utf-8")
    return load_text(
        Path(f"{dpa.name}.txt"),
        data,
        hashlib.sha256(data).hexdigest(),
        fmt=Format.TXT,
        limits=Limits.from_env(),
    )


def predict_missing(dpa: Dpa, library: Any) -> frozenset[str]:
    """Requirement ids whose finding the engine marks ``missing`` for this DPA."""
    from ..domain import Status
    from ..engine import analyze

    analysis = analyze(document_for(dpa), profile=PROFILE, library=library)
    return frozenset(f.requirement_id for f in analysis.findings if f.status is Status.MISSING)


def keyword_missing(dpa: Dpa) -> frozenset[str]:
    """The keyword baseline's missing flags."""
    low = [s.lower() for s in dpa.sentences]
    out = set()
    for rid in REQUIREMENT_IDS:
        groups = KEYWORDS[rid]
        if not any(all(w in s for w in g) for s in low for g in groups):
            out.add(rid)
    return frozenset(out)


def evaluate_gdpr(
    csv_path: Path | str,
    *,
    limit: int | None = None,
    library: Any = None,
    dev_count: int = DEV_COUNT,
    on_document: Callable[[int, int, str], None] | None = None,
    presence_dir: Path | str | None = None,
    presence_only: bool = False,
) -> GdprReport:
    """Analyse every DPA (or the first ``limit`` by id) and collect predictions next to the labels.

    ``presence_only`` analyses only the DPAs that carry presence labels: the engine never reads the others
    (the development split stays the first ``dev_count`` DPAs of the whole corpus).
    """
    from ..library import load_library

    dpas = load_dpas(csv_path)
    presence = load_presence(presence_dir) if presence_dir is not None else {}
    if presence_only and presence_dir is None:
        raise InputError("presence_only needs the presence labels folder.", csv_path)
    splits = {d.name: split_of(i, dev_count) for i, d in enumerate(dpas)}
    if presence_only:
        dpas = [d for d in dpas if d.name in presence]
    if limit is not None:
        dpas = dpas[: max(0, limit)]
    library = library if library is not None else load_library(PROFILE)
    if getattr(getattr(library, "profile", None), "name", PROFILE) != PROFILE:
        library = library.with_profile(PROFILE)
    report = GdprReport(
        library_version=getattr(library, "version", ""),
        presence_source=Path(presence_dir).name if presence_dir is not None else "",
    )
    t0 = time.perf_counter()
    for i, dpa in enumerate(dpas):
        if on_document:
            on_document(i, len(dpas), dpa.name)
        t = time.perf_counter()
        pred = predict_missing(dpa, library)
        report.results.append(
            DpaResult(
                dpa.name,
                splits[dpa.name],
                dpa.present,
                pred,
                keyword_missing(dpa),
                time.perf_counter() - t,
                presence.get(dpa.name),
            )
        )
    report.seconds = time.perf_counter() - t0
    return report


# --------------------------------------------------------------------------- scores


# Gold for one (DPA, duty): True = missing, False = present, None = not judged (left out of the counts).
GoldMissing = Callable[[DpaResult, str], bool | None]


def sentence_gold(r: DpaResult, rid: str) -> bool | None:
    """The corpus's sentence labels: a duty no sentence is labelled with counts as missing."""
    return rid not in r.present


def presence_gold(r: DpaResult, rid: str) -> bool | None:
    """Presence-level gold: absent = missing, present = present, borderline (or no presence file) left out."""
    value = r.presence.get(rid, "borderline") if r.presence else "borderline"
    return None if value == "borderline" else value == "absent"


def counts(
    results: Iterable[DpaResult],
    rid: str,
    predicted: Callable[[DpaResult], frozenset[str]],
    gold: GoldMissing = sentence_gold,
) -> Counts:
    c = Counts()
    for r in results:
        gold_missing = gold(r, rid)
        if gold_missing is None:
            continue
        pred_missing = rid in predicted(r)
        c = c + Counts(
            int(pred_missing and gold_missing),
            int(pred_missing and not gold_missing),
            int(not pred_missing and gold_missing),
            int(not pred_missing and not gold_missing),
        )
    return c


SYSTEMS: Mapping[str, Callable[[DpaResult], frozenset[str]]] = {
    "engine": lambda r: r.predicted_missing,
    "keyword": lambda r: r.keyword_missing,
    "all_missing": lambda r: frozenset(REQUIREMENT_IDS),
    "all_present": lambda r: frozenset(),
}


def _system_scores(
    results: Sequence[DpaResult], rids: Sequence[str], gold: GoldMissing
) -> dict[str, dict[str, Any]]:
    """Overall (micro) and per-requirement scores of every system against ``gold``."""
    out: dict[str, dict[str, Any]] = {}
    for name, fn in SYSTEMS.items():
        per = {rid: counts(results, rid, fn, gold) for rid in rids}
        total = Counts()
        for c in per.values():
            total = total + c
        out[name] = {
            "overall": total.scores(),
            "per_requirement": {rid: c.scores() for rid, c in per.items()},
        }
    return out


def scores_for(results: Sequence[DpaResult], rids: Sequence[str] = REQUIREMENT_IDS) -> dict[str, Any]:
    """Overall (micro) and per-requirement scores of every system on ``results`` (sentence labels)."""
    return {
        "documents": len(results),
        "pairs": len(results) * len(rids),
        "gold_missing": sum(rid not in r.present for r in results for rid in rids),
        **_system_scores(results, rids, sentence_gold),
    }


def presence_scores(results: Sequence[DpaResult], rids: Sequence[str] = REQUIREMENT_IDS) -> dict[str, Any]:
    """Missing-duty detection against presence-level gold: absent = missing, present = present, borderline
    left out. Only DPAs that carry presence labels count."""
    judged = [r for r in results if r.presence is not None]
    calls = [presence_gold(r, rid) for r in judged for rid in rids]
    return {
        "documents": len(judged),
        "pairs": sum(c is not None for c in calls),
        "borderline": sum(c is None for c in calls),
        "gold_missing": sum(c is True for c in calls),
        **_system_scores(judged, rids, presence_gold),
    }


def gdpr_report_dict(report: GdprReport) -> dict[str, Any]:
    res = report.results
    return {
        "schema": "contractreview/eval-gdpr-v1",
        "profile": PROFILE,
        "library_version": report.library_version,
        "seconds": round(report.seconds, 2),
        "positive_class": "missing",
        "presence": presence_scores(res),
        "presence_by_split": {
            split: presence_scores([r for r in res if r.split == split]) for split in ("dev", "heldout")
        },
        "presence_source": report.presence_source,
        "all": scores_for(res),
        "dev": scores_for([r for r in res if r.split == "dev"]),
        "heldout": scores_for([r for r in res if r.split == "heldout"]),
        "documents": [
            {
                "name": r.name,
                "split": r.split,
                "present": sorted(r.present),
                "predicted_missing": sorted(r.predicted_missing),
                "seconds": round(r.seconds, 3),
            }
            for r in res
        ],
    }


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _system_table(scores: Mapping[str, Any]) -> list[str]:
    """One line per system: precision, recall, F1 and accuracy of the missing flags, with the counts."""
    lines = [f"  {'system':<12} {'prec':>6} {'recall':>6} {'F1':>6} {'acc':>6}   tp  fp  fn   tn"]
    for name in SYSTEMS:
        o = scores[name]["overall"]
        lines.append(
            f"  {name:<12} {_f(o['precision']):>6} {_f(o['recall']):>6} {_f(o['f1']):>6} "
            f"{_f(o['accuracy']):>6} {o['tp']:>4}{o['fp']:>4}{o['fn']:>4}{o['tn']:>5}"
        )
    return lines


def format_gdpr_report(report: GdprReport) -> str:
    """Plain-text tables: overall per split, then per requirement on all DPAs."""
    d = gdpr_report_dict(report)
    lines = [
        f"GDPR Art. 28 missing-requirement detection, profile '{PROFILE}', "
        f"{len(report.results)} DPAs, {report.seconds:.1f} s"
    ]
    for split, pr in d["presence_by_split"].items():
        if not pr["documents"]:
            continue
        lines.append("")
        lines.append(
            f"[presence gold, {split}] {pr['documents']} DPAs relabelled at presence level: {pr['pairs']} judged "
            f"pairs, {pr['gold_missing']} absent, {pr['borderline']} borderline left out"
        )
        lines.extend(_system_table(pr))
        if split == "heldout":
            # Held-out DPAs are scored as a whole: no per-duty lines to tune on.
            continue
        lines.append("  per duty (engine; absent/judged, fp = present duties called missing):")
        for rid in REQUIREMENT_IDS:
            e = pr["engine"]["per_requirement"][rid]
            lines.append(
                f"    {rid:<42} absent {e['tp'] + e['fn']:>2}/{e['tp'] + e['fp'] + e['fn'] + e['tn']:<3} fp {e['fp']:>2} fn {e['fn']:>2}"
            )
    if d["presence"]["documents"]:
        lines.append("")
        lines.append(
            "Footnote: the figures below score against the corpus's sentence labels, which mark occurrences, "
            "not presence (a duty stated in an unlabelled sentence counts as missing)."
        )
    for split in ("all", "dev", "heldout"):
        s = d[split]
        if not s["documents"]:
            continue
        lines.append("")
        lines.append(
            f"[{split}] {s['documents']} DPAs x {len(REQUIREMENT_IDS)} = {s['pairs']} pairs, "
            f"{s['gold_missing']} missing"
        )
        lines.extend(_system_table(s))
    s = d["all"]
    if s["documents"]:
        lines.append("")
        lines.append("[all] per requirement (engine | keyword baseline | all_missing precision)")
        lines.append(
            f"  {'requirement':<42} {'miss':>4} {'prec':>6} {'recall':>6} {'F1':>6} {'acc':>6}"
            f" | {'kw F1':>6} {'kw acc':>6} | {'allM p':>6}"
        )
        for rid in REQUIREMENT_IDS:
            e = s["engine"]["per_requirement"][rid]
            k = s["keyword"]["per_requirement"][rid]
            a = s["all_missing"]["per_requirement"][rid]
            lines.append(
                f"  {rid:<42} {e['tp'] + e['fn']:>4} {_f(e['precision']):>6} {_f(e['recall']):>6} "
                f"{_f(e['f1']):>6} {_f(e['accuracy']):>6} | {_f(k['f1']):>6} {_f(k['accuracy']):>6} | "
                f"{_f(a['precision']):>6}"
            )
    return "\n".join(lines)
