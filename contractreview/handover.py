"""An ``Analysis`` as JSON data and back, exactly: the hand-over from a forked review child (#13).

The analysis-v1 JSON of :mod:`contractreview.serialize` is the documented export and leaves out what a
reader of the export does not need (the clause list, the document's layout). A review done in a child
process must arrive whole, equal field for field to the one the parent would have made itself, so this
module writes every field of the domain's dataclasses:

- the document travels as :func:`contractreview.ingest.child.document_to_json` records (its layout in
  chunks, so no single decode holds the interpreter long);
- everything else is plain JSON where a domain dataclass is ``{"@": "ClassName", field: value, ...}``, an
  enum member ``{"@e": "EnumName", "v": value}``, a tuple ``{"@t": [...]}`` and a mapping
  ``{"@m": [[key, value], ...]}`` (a frozen mapping again when read back).

Reading accepts only the dataclasses and enums of :mod:`contractreview.domain` (never an arbitrary class,
never pickle); anything else is a ``ValueError``.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from . import domain
from .domain import Analysis

_CLASSES: dict[str, type] = {
    name: obj
    for name, obj in vars(domain).items()
    if isinstance(obj, type) and obj.__module__ == domain.__name__ and dataclasses.is_dataclass(obj)
}
_ENUMS: dict[str, type[enum.Enum]] = {
    name: obj
    for name, obj in vars(domain).items()
    if isinstance(obj, type) and obj.__module__ == domain.__name__ and issubclass(obj, enum.Enum)
}


def encode(value: Any) -> Any:
    """``value`` (domain dataclasses, enums, tuples, mappings, JSON scalars) as JSON data."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, enum.Enum):  # before str: the domain's enums are StrEnums
        return {"@e": type(value).__name__, "v": value.value}
    if isinstance(value, str):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _CLASSES.get(name) is not type(value):
            raise ValueError(f"cannot hand over a {type(value).__qualname__}")
        out: dict[str, Any] = {"@": name}
        for f in dataclasses.fields(value):
            out[f.name] = encode(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return {"@t": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {"@m": [[encode(k), encode(v)] for k, v in value.items()]}
    raise ValueError(f"cannot hand over a {type(value).__qualname__}")


def decode(data: Any) -> Any:
    """The value :func:`encode` wrote."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        raise ValueError(f"unexpected {type(data).__name__} in a hand-over")
    if "@" in data:
        cls = _CLASSES.get(data["@"])
        if cls is None:
            raise ValueError(f"unknown class {data['@']!r} in a hand-over")
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        return cls(**{k: decode(v) for k, v in data.items() if k != "@" and k in names})
    if "@e" in data:
        enum_cls = _ENUMS.get(data["@e"])
        if enum_cls is None:
            raise ValueError(f"unknown enum {data['@e']!r} in a hand-over")
        return enum_cls(data["v"])
    if "@t" in data:
        return tuple(decode(v) for v in data["@t"])
    if "@m" in data:
        return MappingProxyType({decode(k): decode(v) for k, v in data["@m"]})
    raise ValueError("unexpected object in a hand-over")


def analysis_to_records(analysis: Analysis) -> list[Any]:
    """``analysis`` as JSON records: a head with the number of document records, those records, the rest."""
    from .ingest.child import document_to_json

    doc_records = document_to_json(analysis.document)
    rest = encode(dataclasses.replace(analysis, document=None))  # type: ignore[arg-type]
    return [{"document_records": len(doc_records)}, *doc_records, rest]


def analysis_from_records(records: list[Any]) -> Analysis:
    """The ``Analysis`` of :func:`analysis_to_records`; ``ValueError`` on anything else."""
    from .ingest.child import document_from_json

    try:
        n = int(records[0]["document_records"])
        if len(records) != n + 2 or n < 1:
            raise ValueError("a hand-over with the wrong number of records")
        document = document_from_json(records[1 : n + 1])
        analysis = decode(records[-1])
    except (KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"a malformed hand-over: {exc}") from None
    if not isinstance(analysis, Analysis):
        raise ValueError("a hand-over that is not an analysis")
    return dataclasses.replace(analysis, document=document)
