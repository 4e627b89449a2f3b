"""PyInstaller hook for spaCy, replacing pyinstaller-hooks-contrib's for this app.

The contrib hook collects every ``spacy.*`` module, including spaCy's own test suite (which needs
pytest, excluded here) and the ~70 language packages. ContractReview only ever builds
``spacy.blank("en")``, so it keeps English (plus the shared ``spacy.lang`` modules every language
uses) and leaves the tests and the command line (``spacy.cli``) out. Data files (``*.json`` registries, ``.pyx`` sources spaCy reads)
are kept except those of the tests and the other languages.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

KEEP_LANGS = ("spacy.lang.en",)


def _wanted(name: str) -> bool:
    # spaCy's test suite, and its command line (model download, projects, training: requests, weasel,
    # typer), which ContractReview never imports (contractreview/nlp/_spacy.py; #21).
    if any(name == p or name.startswith(p + ".") for p in ("spacy.tests", "spacy.cli")):
        return False
    if name == "spacy.lang":
        return True
    if name.startswith("spacy.lang."):
        parts = name.split(".")
        # spacy.lang.<module> (char_classes, punctuation, ...) is shared; spacy.lang.<xx>.* is one language.
        lang_pkg = ".".join(parts[:3])
        return lang_pkg in KEEP_LANGS or not _is_language_package(lang_pkg)
    return True


def _is_language_package(name: str) -> bool:
    import importlib.util

    spec = importlib.util.find_spec(name)
    return bool(spec and spec.submodule_search_locations)


hiddenimports = collect_submodules("spacy", filter=_wanted)
datas = [
    (src, dest)
    for src, dest in collect_data_files("spacy")
    if not dest.replace("\\", "/").startswith(("spacy/tests", "spacy/cli"))
    and not (
        dest.replace("\\", "/").startswith("spacy/lang/")
        and not dest.replace("\\", "/").startswith("spacy/lang/en")
    )
]
