"""``contractreview reviews …`` and ``contractreview store check``: the review database from the shell.

Thin: parse, call :mod:`contractreview.store`, render. Store errors become one line on stderr and
exit code 2 (``cli.main``); ``store check`` exits 1 when it finds problems.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from ..textsafe import one_line
from ._common import add_db_option


def register(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "reviews",
        help="list, show, compare, hand over and link stored reviews",
        description="Work with the reviews kept in the review database (see docs/store.md).",
    )
    rs = p.add_subparsers(dest="reviews_command", metavar="ACTION")

    q = rs.add_parser("list", help="stored reviews, newest first")
    q.add_argument("--limit", type=int, default=None, metavar="N", help="show at most N reviews")
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_db_option(q)
    q.set_defaults(func=cmd_list)

    q = rs.add_parser("show", help="findings and reviewer decisions of one review")
    q.add_argument("id", type=int, metavar="ID", help="review id (see 'reviews list')")
    q.add_argument("--json", action="store_true", help="print the analysis-v1 JSON plus decisions")
    add_db_option(q)
    q.set_defaults(func=cmd_show)

    q = rs.add_parser("diff", help="what changed between two reviews (e.g. two versions of a contract)")
    q.add_argument("old", type=int, metavar="ID1", help="the earlier review")
    q.add_argument("new", type=int, metavar="ID2", help="the later review")
    q.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_db_option(q)
    q.set_defaults(func=cmd_diff)

    q = rs.add_parser("export", help="write a hand-over file a colleague can import")
    q.add_argument("id", type=int, metavar="ID", help="review id")
    q.add_argument("file", metavar="FILE", help="hand-over file to write (JSON, owner-only permissions)")
    q.add_argument("--with-contract", action="store_true", help="include the contract file itself")
    add_db_option(q)
    q.set_defaults(func=cmd_export)

    q = rs.add_parser("import", help="merge a hand-over file into this database")
    q.add_argument("file", metavar="FILE", help="hand-over file written by 'reviews export'")
    add_db_option(q)
    q.set_defaults(func=cmd_import)

    q = rs.add_parser("link", help="record that a contract is a revision of an earlier one")
    q.add_argument("new", metavar="NEW", help="review id or SHA-256 (prefix of 12+ characters) of the revision")
    q.add_argument("old", metavar="OLD", help="review id or SHA-256 prefix of the earlier version")
    add_db_option(q)
    q.set_defaults(func=cmd_link)

    q = rs.add_parser("history", help="audit history of a review's document")
    q.add_argument("id", type=int, metavar="ID", help="review id")
    q.add_argument("--requirement", default=None, help="only this requirement id")
    add_db_option(q)
    q.set_defaults(func=cmd_history)

    q = rs.add_parser(
        "key-term",
        help="correct a key term of a review's document (kept across re-analyses, in every export)",
        description=(
            "Record a reviewer's correction of one key term (breach_notice_max_hours, breach_notice_clock_start, "
            "deletion_after_request_days, deletion_after_termination_days, governing_law). VALUE is a number "
            "('72', '3 days', '2 weeks'), a clock start (discovery, confirmation, determination, other), a place "
            "('New York'), or 'not stated'. The threshold check of the affected requirement is re-run."
        ),
    )
    q.add_argument("id", type=int, metavar="ID", help="review id")
    q.add_argument("term", metavar="TERM", help="key term name")
    q.add_argument("value", nargs="?", default=None, metavar="VALUE", help="the corrected value")
    q.add_argument("--clear", action="store_true", help="withdraw the correction (the engine's reading shows again)")
    q.add_argument("--reviewer", default="", help="who corrects it (recorded in the audit log)")
    q.add_argument("--note", default="", help="why (shown next to the corrected value)")
    add_db_option(q)
    q.set_defaults(func=cmd_key_term)

    q = rs.add_parser(
        "names",
        help="the names the exports use for the vendor, the school and the data (kept with the document)",
        description=(
            "Show or set the reviewer's names for a review's document: the vendor, the school and the data, as "
            "the exports' suggested language and change requests call them. Without options, print the names "
            "in use (the contract's own where the reviewer set none). An empty value ('') returns that name to "
            "the contract's own; --reset returns all three. Kept across re-analyses, in hand-over files and the "
            "audit log; --vendor-term etc. on 'export' still win for one export."
        ),
    )
    q.add_argument("id", type=int, metavar="ID", help="review id")
    q.add_argument("--vendor-term", default=None, metavar="NAME", help="the vendor's name ('' = the contract's)")
    q.add_argument("--school-term", default=None, metavar="NAME", help="the school's name ('' = the contract's)")
    q.add_argument("--data-term", default=None, metavar="TERM", help="the data's name ('' = the contract's)")
    q.add_argument("--reset", action="store_true", help="use the contract's own names again")
    q.add_argument("--reviewer", default="", help="who (recorded in the audit log)")
    add_db_option(q)
    q.set_defaults(func=cmd_names)

    q = rs.add_parser(
        "annotate",
        help="comment on a passage of a review's document (optionally as evidence for a requirement)",
        description=(
            "Add, edit or delete a reviewer's annotation. The passage is given by its words (--quote, exact or "
            "with any spacing; --occurrence N picks the Nth when they occur more than once) or by character "
            "offsets (--start/--end). Annotations are kept by document across re-analyses and carried to revised "
            "versions by 'reviews link'."
        ),
    )
    q.add_argument("id", type=int, metavar="ID", help="review id")
    q.add_argument("--quote", default=None, help="the words of the passage")
    q.add_argument("--occurrence", type=int, default=None, metavar="N", help="which occurrence of --quote (1 = first)")
    q.add_argument("--start", type=int, default=None, help="start offset in the document text")
    q.add_argument("--end", type=int, default=None, help="end offset in the document text")
    q.add_argument("--comment", default=None, help="the reviewer's comment")
    q.add_argument("--requirement", default=None, metavar="REQ",
                   help="requirement id the passage is evidence for ('' with --edit unlinks)")
    q.add_argument("--edit", type=int, default=None, metavar="AID", help="change annotation AID instead of adding")
    q.add_argument("--delete", type=int, default=None, metavar="AID", help="delete annotation AID")
    q.add_argument("--reviewer", default="", help="who (recorded as the author and in the audit log)")
    add_db_option(q)
    q.set_defaults(func=cmd_annotate)

    q = rs.add_parser("annotations", help="the reviewer's annotations and overrides of a review's document")
    q.add_argument("id", type=int, metavar="ID", help="review id")
    q.add_argument("--json", action="store_true", help="print JSON")
    add_db_option(q)
    q.set_defaults(func=cmd_annotations)

    q = rs.add_parser(
        "override",
        help="set the reviewer's status for a requirement (the reviewer's word is final in every export)",
        description=(
            "Override the engine's status of one requirement: satisfied, weak, missing or not_applicable, with a "
            "required --reason and optionally the passage that proves it (--evidence, like annotate's --quote)."
        ),
    )
    q.add_argument("id", type=int, metavar="ID", help="review id")
    q.add_argument("requirement", metavar="REQ", help="requirement id")
    q.add_argument("status", metavar="STATUS", help="satisfied | weak | missing | not_applicable")
    q.add_argument("--reason", required=True, help="why (required; shown in every export)")
    q.add_argument("--evidence", default=None, metavar="QUOTE", help="the words of the passage that proves it")
    q.add_argument("--occurrence", type=int, default=None, metavar="N", help="which occurrence of --evidence")
    q.add_argument("--reviewer", default="", help="who (recorded with the override and in the audit log)")
    add_db_option(q)
    q.set_defaults(func=cmd_override)

    q = rs.add_parser("clear-override", help="withdraw the reviewer's status (the engine's shows again)")
    q.add_argument("id", type=int, metavar="ID", help="review id")
    q.add_argument("requirement", metavar="REQ", help="requirement id")
    q.add_argument("--reviewer", default="", help="who (recorded in the audit log)")
    add_db_option(q)
    q.set_defaults(func=cmd_clear_override)

    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])

    s = sub.add_parser("store", help="maintain the review database", description="Maintain the review database.")
    ss = s.add_subparsers(dest="store_command", metavar="ACTION")
    q = ss.add_parser("check", help="integrity and foreign-key check (exit 1 when problems are found)")
    add_db_option(q)
    q.set_defaults(func=cmd_check)
    q = ss.add_parser("backup", help="write a consistent copy of the review database")
    q.add_argument("file", metavar="FILE", help="backup file to write (owner-only permissions)")
    add_db_option(q)
    q.set_defaults(func=cmd_backup)
    s.set_defaults(func=lambda args: (s.print_help(), 0)[1])


# --------------------------------------------------------------------------- helpers


def _db_path(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    from ..settings import default_db_path

    return default_db_path()


def _open(args: argparse.Namespace, *, create: bool = False):  # type: ignore[no-untyped-def]
    from ..errors import StoreError
    from ..store import open_store

    path = _db_path(args)
    if not create and not path.exists():
        raise StoreError("does not exist (no reviews have been saved there yet).", path,
                         "Analyse a contract first, or pass the right file with --db.")
    return open_store(path)


def _counts(c: dict[str, int]) -> str:
    return f"{c.get('satisfied', 0)} ok / {c.get('weak', 0)} weak / {c.get('missing', 0)} missing" + (
        f" / {c['needs_review']} review" if c.get("needs_review") else ""
    )


def _wrapped(text: str, lead: str = "", width: int = 100) -> str:
    import textwrap

    one = re.sub(r"\s+", " ", text).strip()
    return textwrap.fill(
        one, width=width, initial_indent="    " + lead, subsequent_indent="    " + " " * len(lead),
        break_long_words=False, break_on_hyphens=False,
    )


def _resolve_sha(store, ref: str) -> str:  # type: ignore[no-untyped-def]
    from ..errors import StoreError

    if ref.isdigit() and len(ref) < 12:
        return store.get_summary(int(ref)).sha256
    ref = ref.lower()
    matches = [s for s in store.document_sha256s() if s.startswith(ref)]
    if len(ref) < 12 or len(matches) != 1:
        raise StoreError(f"'{ref}' does not name one stored document (give a review id or 12+ hex characters).",
                         store.path)
    return matches[0]


def _print_json(data: Any) -> None:
    from ..textsafe import json_text

    sys.stdout.write(json_text(data, indent=2) + "\n")


# --------------------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    path = _db_path(args)
    if not path.exists():
        if args.json:
            _print_json([])
        else:
            print(f"No reviews yet ({path.name} does not exist).")
        return 0
    with _open(args) as store:
        rows = store.list_reviews(limit=args.limit)
    if args.json:
        _print_json([
            {k: getattr(r, k) for k in ("id", "sha256", "name", "path", "format", "pages", "profile",
                                        "library_version", "tool_version", "started_at", "finished_at", "counts",
                                        "previous_sha256")}
            for r in rows
        ])
        return 0
    if not rows:
        print("No reviews yet.")
        return 0
    print(f"{'ID':>5}  {'FINISHED (UTC)':<16}  {'PROFILE':<10}  {'LIBRARY':<10}  {'FINDINGS':<32}  DOCUMENT")
    for r in rows:
        print(f"{r.id:>5}  {r.finished_at[:16].replace('T', ' '):<16}  {r.profile[:10]:<10}  "
              f"{r.library_version[:10]:<10}  {_counts(r.counts):<32}  {one_line(r.name)} [{r.sha256[:12]}]")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from ..reviewer import describe_override
    from ..serialize import analysis_to_dict

    with _open(args) as store:
        summary = store.get_summary(args.id)
        analysis = store.corrected(store.get_analysis(args.id))
        decisions = store.decisions(summary.sha256, current=analysis)
        previous = summary.previous_sha256
        n_notes = len(store.annotations(summary.sha256))
    if args.json:
        data = analysis_to_dict(analysis)
        data["review_id"] = summary.id
        data["decisions"] = {
            k: {"decision": d.decision.value, "note": d.note, "reviewer": d.reviewer, "updated_at": d.updated_at,
                "evidence_changed": d.evidence_changed}
            for k, d in decisions.items()
        }
        _print_json(data)
        return 0
    print(f"Review {summary.id}: {one_line(summary.name)}  ({summary.format}, {summary.pages} pages)")
    print(f"  sha256 {summary.sha256}")
    print(f"  profile {summary.profile}, clause library {summary.library_version}, tool {summary.tool_version}")
    fingerprint = summary.library_fingerprint or analysis.library_fingerprint
    print(f"  engine {analysis.engine_version or '(not recorded)'}, library fingerprint {fingerprint[:12] or '(not recorded)'}, "
          f"grader {analysis.grader[:12] or '(none recorded)'}")
    print(f"  finished {summary.finished_at}; {_counts(summary.counts)}")
    if previous:
        print(f"  revision of {previous[:12]}")
    for k in analysis.key_term_readings:
        mark = f"  [corrected by the reviewer{', ' + k.corrected_by if k.corrected_by else ''}]" if k.corrected else ""
        print(f"  {k.name}: {k.display}{mark}")
    for f in analysis.findings:
        d = decisions.get(f.requirement_id)
        mark = ""
        if d is not None:
            mark = f"  -> {d.decision.label}" + (f" by {d.reviewer}" if d.reviewer else "")
            if d.evidence_changed:
                mark += " (EVIDENCE CHANGED since the decision)"
        print(f"[{f.status.value.upper():<9}] {f.requirement_id} ({f.severity.value}){mark}")
        # The explanation is the reviewer's reason (clause, page, rule, quoted words): shown in full.
        if f.override is not None:
            print(_wrapped(describe_override(f, reason=True)))
        if f.explanation:
            print(_wrapped(f.explanation))
        if d is not None and d.note:
            print(_wrapped(d.note, "note: "))
    if n_notes:
        print(f"{n_notes} annotation(s): 'contractreview reviews annotations {summary.id}'")
    return 0


def cmd_key_term(args: argparse.Namespace) -> int:
    from ..engine.keyterms import REQUIREMENT_PARAMETER, TERM_REQUIREMENT, parse_value
    from ..errors import InputError

    if args.clear == (args.value is not None):
        raise InputError("give either a VALUE or --clear", args.term)
    try:
        value = None if args.clear else parse_value(args.term, args.value)
    except ValueError as exc:
        raise InputError(str(exc), args.term) from exc
    with _open(args) as store:
        analysis = store.get_analysis(args.id)
        sha = analysis.document.sha256
        if args.clear:
            if not store.clear_key_term(sha, args.term, reviewer=args.reviewer):
                print(f"{args.term}: no correction to withdraw")
                return 0
        else:
            store.set_key_term(sha, args.term, value, reviewer=args.reviewer, note=args.note,
                               engine_value=analysis.key_terms.get(args.term))
        current = store.corrected(analysis)
    k = current.key_term(args.term)
    shown = k.display if k is not None else current.key_terms.get(args.term)
    print(f"{args.term}: {shown}" + (" (corrected by the reviewer)" if k is not None and k.corrected else " (engine reading)"))
    rid = TERM_REQUIREMENT.get(args.term, "")
    f = current.finding(rid) if rid in REQUIREMENT_PARAMETER else None
    if f is not None:
        print(f"{rid}: {f.status.value} (threshold re-checked)")
    return 0


def cmd_names(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..vocabulary import ContractTerms, detect_terms

    given = {"vendor": args.vendor_term, "school": args.school_term, "data": args.data_term}
    if args.reset and any(v is not None for v in given.values()):
        raise InputError("give --reset or names, not both", f"review {args.id}")
    with _open(args) as store:
        analysis = store.get_analysis(args.id)
        sha = analysis.document.sha256
        own = store.vocabulary(sha)
        if args.reset:
            own = store.set_vocabulary(sha, ContractTerms(), reviewer=args.reviewer)
        elif any(v is not None for v in given.values()):
            merged = {k: (given[k] if given[k] is not None else getattr(own, k)) for k in given}
            own = store.set_vocabulary(sha, ContractTerms(**merged), reviewer=args.reviewer)
    found = detect_terms(analysis.document)
    for key, label in (("vendor", "Vendor"), ("school", "School"), ("data", "Data")):
        mine = getattr(own, key)
        theirs = getattr(found, key)
        shown = f"{mine} (set by the reviewer)" if mine else f"{theirs} (the contract's own)" if theirs else (
            "not defined in the contract (exports use a neutral word)"
        )
        print(f"{label}: {shown}")
    return 0


def _versions_linked(store, old_sha: str, new_sha: str) -> bool:  # type: ignore[no-untyped-def]
    """True when both reviews are of one document, or one is an earlier version of the other."""
    for a, b in ((old_sha, new_sha), (new_sha, old_sha)):
        seen, cur = set(), b
        while cur and cur not in seen and len(seen) < 1000:
            if cur == a:
                return True
            seen.add(cur)
            cur = store.previous_version(cur)
    return False


def cmd_diff(args: argparse.Namespace) -> int:
    from ..textdiff import changed_only

    with _open(args) as store:
        diff = store.diff_reviews(args.old, args.new)
        old_s, new_s = store.get_summary(args.old), store.get_summary(args.new)
        linked = _versions_linked(store, old_s.sha256, new_s.sha256)
    if args.json:
        _print_json({k: getattr(diff, k) for k in ("old_id", "new_id", "improved", "worsened", "unchanged",
                                                   "changed_evidence", "added", "removed", "changed_clauses")})
        return 0
    print(f"Review {diff.old_id} ({old_s.name}, {old_s.profile}) -> review {diff.new_id} ({new_s.name}, {new_s.profile})")
    if not linked:
        print(
            "Note: these are different documents, not linked as versions "
            f"(link them with 'contractreview reviews link {diff.new_id} {diff.old_id}' if one revises the other)."
        )
    for title, rows in (("Improved", diff.improved), ("Worse", diff.worsened)):
        print(f"{title}: {len(rows)}")
        for rid, old, new in rows:
            print(f"  {rid}: {old} -> {new}")
    print(f"Unchanged status: {len(diff.unchanged)}")
    for rid, status in diff.added:
        print(f"  only in {diff.new_id}: {rid} ({status})")
    for rid, status in diff.removed:
        print(f"  only in {diff.old_id}: {rid} ({status})")
    print(f"Evidence changed: {len(diff.changed_evidence)}")
    # The full texts and a word diff: a deadline moved from 7 to 90 days must be visible (#17).
    for rid, old, new in diff.changed_evidence:
        print(f"  {rid}\n    was: {_flat(old) or '(none)'}\n    now: {_flat(new) or '(none)'}")
        if old and new:
            print(f"    changed: {changed_only(old, new)}")
    print(f"Clauses changed: {len(diff.changed_clauses)}")
    for key, old, new in diff.changed_clauses:
        state = "added" if not old else "removed" if not new else "changed"
        print(f"  {key} ({state})")
        if old and new:
            print(f"    changed: {changed_only(old, new)}")
        elif old or new:
            print(f"    {'was' if old else 'now'}: {_flat(old or new)}")
    return 0


def _flat(text: str) -> str:
    return " ".join((text or "").split())


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args) as store:
        dest = store.export_review(args.id, Path(args.file), include_contract=args.with_contract)
    print(f"Wrote {dest}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with _open(args, create=True) as store:
        review_id = store.import_review(Path(args.file))
        summary = store.get_summary(review_id)
    print(f"Imported review {review_id}: {summary.name} ({_counts(summary.counts)})")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    with _open(args) as store:
        new, old = _resolve_sha(store, args.new), _resolve_sha(store, args.old)
        store.link_version(new, old)
        report = store.carry_forward(new, old)
    print(f"Linked {new[:12]} as a revision of {old[:12]}")
    if report.total:
        print(f"Carried the reviewer's annotations and overrides forward: {len(report.kept)} in place, "
              f"{len(report.moved)} re-anchored, {len(report.unmatched)} no longer found in the revision")
        for item in report.unmatched:
            print(f"  to resolve: {_item_line(item)}")
    return 0


def _item_line(item: Any) -> str:
    """One line naming an annotation or an override and its quoted passage."""
    from ..domain import Annotation

    if isinstance(item, Annotation):
        quote = _flat(item.anchor.quote)
        return f"annotation {item.id} on “{quote[:80]}”: {one_line(item.comment)}"
    ev = f" on “{_flat(item.evidence.quote)[:80]}”" if item.evidence is not None else ""
    return f"override of {item.requirement_id} ({item.status.label}){ev}: {one_line(item.reason)}"


def _locate(text: str, quote: str, occurrence: int | None, what: str) -> tuple[int, int]:
    """Offsets of the words ``quote`` in ``text`` (exact, else any spacing); one clear error otherwise."""
    from ..errors import InputError
    from ..reviewer import find_quote

    if not quote.split():
        raise InputError(f"{what} is empty", quote)
    spans = find_quote(text, quote)
    if not spans:
        raise InputError(f"{what} is not in the document text", quote[:60])
    if occurrence is None:
        if len(spans) > 1:
            raise InputError(f"{what} occurs {len(spans)} times; choose one with --occurrence N", quote[:60])
        return spans[0]
    if not 1 <= occurrence <= len(spans):
        raise InputError(f"{what} occurs {len(spans)} time(s); --occurrence {occurrence} is not one of them",
                         quote[:60])
    return spans[occurrence - 1]


def _document_text(analysis: Any) -> str:
    from ..errors import InputError

    if not analysis.document.text:
        raise InputError("this review was stored without the document text; analyse the contract again",
                         analysis.document.name)
    return str(analysis.document.text)


def cmd_annotate(args: argparse.Namespace) -> int:
    from ..domain import TextAnchor
    from ..errors import InputError
    from ..store import UNCHANGED

    with _open(args) as store:
        analysis = store.get_analysis(args.id)
        sha = analysis.document.sha256
        if args.delete is not None:
            owned = {a.id for a in store.annotations(sha)}
            if args.delete not in owned or not store.delete_annotation(args.delete, author=args.reviewer):
                raise InputError(f"review {args.id}'s document has no annotation {args.delete}", "annotate")
            print(f"Deleted annotation {args.delete}")
            return 0
        if args.requirement and analysis.finding(args.requirement) is None:
            raise InputError(f"review {args.id} has no requirement '{args.requirement}'", "annotate")
        anchor = None
        if args.quote is not None or args.start is not None or args.end is not None:
            text = _document_text(analysis)
            if args.quote is not None:
                start, end = _locate(text, args.quote, args.occurrence, "--quote")
            elif args.start is None or args.end is None:
                raise InputError("give both --start and --end (or --quote)", "annotate")
            else:
                start, end = args.start, args.end
            try:
                anchor = TextAnchor.of(text, start, end)
            except ValueError as exc:
                raise InputError(str(exc), "annotate") from exc
        try:
            if args.edit is not None:
                if args.edit not in {a.id for a in store.annotations(sha)}:
                    raise InputError(f"review {args.id}'s document has no annotation {args.edit}", "annotate")
                note = store.update_annotation(
                    args.edit, comment=args.comment,
                    requirement_id=UNCHANGED if args.requirement is None else (args.requirement or None),
                    author=args.reviewer, anchor=anchor,
                )
                verb = "Updated"
            else:
                if anchor is None:
                    raise InputError("say which passage: --quote WORDS or --start/--end", "annotate")
                note = store.add_annotation(sha, anchor, args.comment or "", requirement_id=args.requirement or None,
                                            author=args.reviewer)
                verb = "Added"
        except ValueError as exc:
            raise InputError(str(exc), "annotate") from exc
    print(f"{verb} annotation {note.id} on “{_flat(note.anchor.quote)[:80]}” ({note.anchor.start}–{note.anchor.end})")
    return 0


def cmd_annotations(args: argparse.Namespace) -> int:
    from ..serialize import anchor_to_dict, override_to_dict

    with _open(args) as store:
        sha = store.get_summary(args.id).sha256
        notes = store.annotations(sha)
        overrides = store.overrides(sha)
    if args.json:
        _print_json({
            "annotations": [
                {"id": a.id, "anchor": anchor_to_dict(a.anchor), "comment": a.comment,
                 "requirement_id": a.requirement_id, "author": a.author, "created_at": a.created_at,
                 "updated_at": a.updated_at, "anchor_state": a.anchor_state}
                for a in notes
            ],
            "overrides": {rid: override_to_dict(o) for rid, o in overrides.items()},
        })
        return 0
    if not notes and not overrides:
        print("No annotations or overrides.")
        return 0
    for a in notes:
        state = "" if a.anchor_state == "anchored" else f" [{a.anchor_state}]"
        req = f" -> {a.requirement_id}" if a.requirement_id else ""
        who = f" ({a.author})" if a.author else ""
        print(f"{a.id:>4}  {a.anchor.start}–{a.anchor.end}{state}{req}{who}")
        print(_wrapped(a.anchor.quote, "“") + "”")
        if a.comment:
            print(_wrapped(a.comment, "comment: "))
    for rid, o in overrides.items():
        state = "" if o.anchor_state == "anchored" else f" [{o.anchor_state}]"
        who = f" ({o.author})" if o.author else ""
        print(f"override {rid}: {o.status.label}{state}{who}")
        print(_wrapped(o.reason, "reason: "))
        if o.evidence is not None:
            print(_wrapped(o.evidence.quote, "evidence: “") + "”")
    unresolved = sum(a.anchor_state == "unmatched" for a in notes) + sum(not o.in_force for o in overrides.values())
    if unresolved:
        print(f"{unresolved} no longer found in this version: resolve them (annotate --edit AID --quote …, "
              "or override again)")
    return 0


def cmd_override(args: argparse.Namespace) -> int:
    from ..domain import TextAnchor
    from ..errors import InputError
    from ..reviewer import describe_override

    with _open(args) as store:
        analysis = store.get_analysis(args.id)
        sha = analysis.document.sha256
        if analysis.finding(args.requirement) is None:
            raise InputError(f"review {args.id} has no requirement '{args.requirement}'", "override")
        evidence = None
        if args.evidence is not None:
            text = _document_text(analysis)
            evidence = TextAnchor.of(text, *_locate(text, args.evidence, args.occurrence, "--evidence"))
        try:
            store.set_override(sha, args.requirement, args.status, args.reason, evidence=evidence,
                               author=args.reviewer)
        except ValueError as exc:
            raise InputError(str(exc), "override") from exc
        f = store.corrected(analysis).finding(args.requirement)
    print(f"{args.requirement}: {describe_override(f, reason=True)}")
    return 0


def cmd_clear_override(args: argparse.Namespace) -> int:
    with _open(args) as store:
        sha = store.get_summary(args.id).sha256
        done = store.clear_override(sha, args.requirement, author=args.reviewer)
    print(f"{args.requirement}: " + ("override withdrawn (the engine's status shows again)" if done
                                     else "no override to withdraw"))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with _open(args) as store:
        sha = store.get_summary(args.id).sha256
        rows = store.history(sha, args.requirement)
    for h in rows:
        new = h["new"] or {}
        what = (new.get("decision") or new.get("status") or new.get("comment") or new.get("previous_sha256")
                or new.get("review_id") or "")
        who = f" {h['who']}" if h["who"] else ""
        req = f" {h['requirement_id']}" if h["requirement_id"] else ""
        print(f"{h['at'][:19].replace('T', ' ')}{who}: {h['action']}{req} {what}".rstrip())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args) as store:
        problems = store.check()
        n_reviews = len(store.list_reviews())
        version = store.schema_version
    name = _db_path(args).name
    if problems:
        print(f"{name}: {len(problems)} problem(s) found", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print(f"{name}: OK (schema {version}, {n_reviews} reviews, integrity and foreign keys checked)")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with _open(args) as store:
        dest = store.backup(Path(args.file))
    print(f"Wrote {dest}")
    return 0
