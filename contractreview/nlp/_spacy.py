"""Import spaCy without its command-line package: the review needs ``spacy.blank`` and the matchers only.

``spacy/__init__.py`` imports ``spacy.cli.info``, which loads the whole ``spacy.cli`` package (model
download, config templates with jinja2, debugging tools): about 360 modules and 0.15 s of a CLI run that
never uses them. While spaCy is first imported, placeholder modules stand in for ``spacy.cli`` and
``spacy.cli.info``; they are removed right after, so ``import spacy.cli`` later loads the real package and
``spacy.info()`` still works (it imports the real function on first call).
"""

from __future__ import annotations

import sys
import threading
import types
from typing import Any

_LOCK = threading.Lock()


def _info(*args: Any, **kwargs: Any) -> Any:
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """``spacy``, imported the cheap way when nothing has imported it yet."""
    with _LOCK:
        module = sys.modules.get("spacy")
        if module is not None:
            return module
        names = ("spacy.cli", "spacy.cli.info")
        if any(n in sys.modules for n in names):  # pragma: no cover - someone imported spacy.cli directly
            import spacy

            return spacy
        cli, info = types.ModuleType(names[0]), types.ModuleType(names[1])
        info.info = _info  # type: ignore[attr-defined]
        cli.info = info  # type: ignore[attr-defined]
        sys.modules.update({names[0]: cli, names[1]: info})
        try:
            import spacy
        finally:
            for n, stub in zip(names, (cli, info), strict=True):
                if sys.modules.get(n) is stub:
                    del sys.modules[n]
        if getattr(spacy, "cli", None) is cli:
            delattr(spacy, "cli")  # the next "import spacy.cli" binds the real package
        spacy.info = _info  # type: ignore[attr-defined]
        return spacy
