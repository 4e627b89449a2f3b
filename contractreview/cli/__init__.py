"""Command-line entry point: thin argparse dispatch over the core.

Each sub-command lives in its own module with ``register(subparsers)``; heavy imports (spaCy, Qt,
pdfplumber) happen inside command bodies so that ``contractreview --help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# module name -> sub-commands it registers (for documentation and tests)
COMMAND_MODULES = (
    "contractreview.cli.ingest_cmd",
    "contractreview.cli.analyze_cmd",
    "contractreview.cli.eval_cmd",
    "contractreview.cli.eval_gdpr_cmd",
    "contractreview.cli.train_cmd",
    "contractreview.cli.library_cmd",
    "contractreview.cli.reviews_cmd",
    "contractreview.cli.labels_cmd",
    "contractreview.cli.export_cmd",
    "contractreview.cli.app_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contractreview",
        description="Review ed-tech vendor contracts for student-data protections, offline.",
    )
    parser.add_argument("--version", action="store_true", help="show app and clause-library versions and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def version_text() -> str:
    from ..about import version_text as text

    return text()


def main(argv: Sequence[str] | None = None) -> int:
    from ..textsafe import SafeTextStream

    # File names and contract text reach the terminal through many commands; escape every control
    # character they carry (OSC sequences, fake newlines) at the one place all output passes (#19).
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeTextStream(out), SafeTextStream(err)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def run() -> None:
    """The console entry point (``contractreview``, ``python -m contractreview``, the bundle): :func:`main`,
    then exit.

    Before exiting, the objects of the run are frozen out of the garbage collector's reach
    (:func:`gc.freeze`): the interpreter's final full collections would otherwise walk every object spaCy
    and the clause library created, 0.12-0.15 s of a 1.5 s review for nothing. Exit handlers and
    finalizers still run as usual.
    """
    code = main()
    import gc

    gc.freeze()
    sys.exit(code)


def _main(argv: Sequence[str] | None) -> int:
    from ..errors import ContractReviewError
    from ..textsafe import one_line

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(version_text())
        return 0
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except ContractReviewError as exc:
        print(f"contractreview: error: {one_line(exc.message)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("contractreview: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
