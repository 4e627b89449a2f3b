"""`contractreview library list|show|validate|profiles`: read and check the clause library.

Thin: parse, call :mod:`contractreview.library`, render. Nothing here decides what a requirement means.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

UNVERIFIED_MARK = "(unverified — not presented as law)"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "library",
        help="list, show and validate clause-library requirements and profiles",
        description="Read the clause library (built-in, optionally with a district folder layered over it).",
    )
    sub = p.add_subparsers(dest="library_command", metavar="ACTION")

    def common(sp: Any) -> None:
        sp.add_argument(
            "--library-dir",
            "--library",
            dest="library_dir",
            metavar="DIR",
            help="a district's own clause-library folder layered over the built-in one",
        )

    sp = sub.add_parser("list", help="list the requirements of a profile")
    sp.add_argument("--profile", default="default", help="profile name (default: %(default)s)")
    sp.add_argument("--format", choices=("table", "json"), default="table")
    common(sp)
    sp.set_defaults(func=_cmd_list)

    sp = sub.add_parser(
        "show", help="show one requirement with its sources, thresholds and suggested language"
    )
    sp.add_argument("id", metavar="ID", help="requirement id, e.g. breach_notice_deadline_to_lea")
    sp.add_argument(
        "--profile", default="default", help="profile whose thresholds to show (default: %(default)s)"
    )
    sp.add_argument("--format", choices=("text", "json"), default="text")
    common(sp)
    sp.set_defaults(func=_cmd_show)

    sp = sub.add_parser("validate", help="check a library folder; prints every problem (exit 1 when any)")
    sp.add_argument("dir", metavar="DIR", help='a district overlay folder, or a full library (kind = "base")')
    sp.set_defaults(func=_cmd_validate)

    sp = sub.add_parser("profiles", help="list the profiles with their thresholds")
    sp.add_argument("--format", choices=("table", "json"), default="table")
    common(sp)
    sp.set_defaults(func=_cmd_profiles)

    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def _load(args: Any, profile: str = "default") -> Any:
    from ..library import load_library

    user = Path(args.library_dir) if getattr(args, "library_dir", None) else None
    return load_library(profile, user_dir=user)


def _threshold_text(th: Any) -> str:
    value = "no fixed number" if th.value is None else f"{th.value:g} {th.unit}"
    clock = f" after {th.clock_start}" if th.clock_start else ""
    if th.is_law:
        status = f"[{th.verified}]"
    elif th.verified == "recommendation":
        status = "[ContractReview recommendation — not law]"
    elif th.verified == "policy":
        status = "[district policy — not law]"
    elif th.verified == "model_text":
        status = "[model contract text — not law]"
    else:
        status = f"[{th.verified}] {UNVERIFIED_MARK}"
    return f"{value}{clock} — {th.basis} {status}"


def _cmd_list(args: Any) -> int:
    lib = _load(args, args.profile)
    reqs = lib.requirements_for()
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "category": r.category,
                        "severity": r.severity.value,
                        "checked_automatically": lib.has_detector(r.id),
                    }
                    for r in reqs
                ],
                indent=2,
            )
        )
        return 0
    print(
        f"{lib.profile.label} ({lib.profile.name}): {len(reqs)} requirements — clause library {lib.version}"
    )
    width = max((len(r.id) for r in reqs), default=2)
    for r in reqs:
        mark = "" if lib.has_detector(r.id) else "  [not checked automatically: needs review]"
        print(f"  {r.id:<{width}}  {r.severity.value:<6}  {r.category:<18}  {r.title}{mark}")
    return 0


def _requirement_dict(lib: Any, req: Any) -> dict[str, Any]:
    return {
        "id": req.id,
        "title": req.title,
        "category": req.category,
        "severity": req.severity.value,
        "description": req.description,
        "why": req.why,
        "sources": [
            {
                "citation": s.citation,
                "name": s.name,
                "status": s.status,
                "verified": s.verified,
                "is_verified": s.is_verified,
            }
            for s in req.sources
        ],
        "parameters": list(req.parameters),
        "thresholds": {
            p: {
                "value": th.value,
                "unit": th.unit,
                "basis": th.basis,
                "verified": th.verified,
                "clock_start": th.clock_start,
                "is_law": th.is_law,
            }
            for p in req.parameters
            if (th := lib.threshold(p)) is not None
        },
        "weak_cues": list(req.weak_cues),
        "checked_automatically": lib.has_detector(req.id),
        "deadline_required": req.deadline_required,
        "notice_to": req.notice_to,
        "right_of": req.right_of,
        "prohibited_verbs": list(req.prohibited_verbs),
        "definition_is_evidence": req.definition_is_evidence,
        "suggested_language": req.suggested_language,
        "vendor_question": req.vendor_question,
        "profiles": [name for name, prof in lib.profiles.items() if req.id in prof.requirement_ids],
        "origin": req.origin,
    }


def _cmd_show(args: Any) -> int:
    from ..errors import ContractReviewError

    lib = _load(args, args.profile)
    req = lib.requirements.get(args.id)
    if req is None:
        close = [rid for rid in lib.requirements if args.id.lower() in rid]
        hint = (
            f"Did you mean: {', '.join(close[:5])}?"
            if close
            else "List them with: contractreview library list"
        )
        raise ContractReviewError(f"unknown requirement id '{args.id}'.", None, hint)
    data = _requirement_dict(lib, req)
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    wrap = textwrap.TextWrapper(width=100, initial_indent="  ", subsequent_indent="  ")
    print(f"{req.id}: {req.title}")
    print(f"  category: {req.category}    severity: {req.severity.value}")
    print(f"  profiles: {', '.join(data['profiles'])}")
    if not data["checked_automatically"]:
        print("  not checked automatically: no pattern of the clause library detects it, so every review")
        print("  reports it as needs review (read the contract for it)")
    for label, text in (("Description", req.description), ("Why it matters", req.why)):
        print(f"\n{label}:")
        print(wrap.fill(text))
    print("\nSources:")
    for s in req.sources:
        mark = "" if s.is_verified else f" {UNVERIFIED_MARK}"
        name = f" — {s.name}" if s.name and s.name not in s.citation else ""
        status = f"; {s.status}" if s.status else ""
        print(f"  - {s.citation}{name} [{s.verified}{status}]{mark}")
    if req.parameters:
        print(f"\nThresholds ({lib.profile.name} profile):")
        for p in req.parameters:
            th = lib.threshold(p)
            print(f"  - {p}: {_threshold_text(th) if th is not None else 'none set by this profile'}")
    if req.weak_cues:
        print("\nWeak wording to look for:")
        for cue in req.weak_cues:
            print(f'  - "{cue}"')
    print("\nSuggested language:")
    print(wrap.fill(req.suggested_language))
    print("\nQuestion for the vendor:")
    print(wrap.fill(req.vendor_question))
    return 0


def _cmd_validate(args: Any) -> int:
    from ..library import check_library_dir

    problems, warnings = check_library_dir(Path(args.dir))
    for w in warnings:
        print(f"warning: {w}")
    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in {Path(args.dir).name}")
        return 1
    note = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})" if warnings else ""
    print(f"{Path(args.dir).name}: valid{note}")
    return 0


def _cmd_profiles(args: Any) -> int:
    lib = _load(args)
    names = sorted(lib.profiles, key=lambda n: (n != "default", n))
    if args.format == "json":
        out = {
            n: {
                "label": lib.profiles[n].label,
                "legal_basis": lib.profiles[n].legal_basis,
                "requirements": list(lib.profiles[n].requirement_ids),
                "thresholds": {
                    k: {"value": t.value, "unit": t.unit, "verified": t.verified, "is_law": t.is_law}
                    for k, t in lib.profiles[n].thresholds.items()
                },
            }
            for n in names
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"clause library {lib.version}")
    for n in names:
        prof = lib.profiles[n]
        print(f"\n{n}: {prof.label} — {len(prof.requirement_ids)} requirements")
        if prof.legal_basis:
            print(f"  basis: {prof.legal_basis}")
        for param, th in prof.thresholds.items():
            print(f"  {param}: {_threshold_text(th)}")
    return 0
