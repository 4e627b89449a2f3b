"""Read a document in a forked child process while the parent builds the review pipeline (#13).

A review that starts cold (the command line; the GUI opening a file as it starts) spends most of its
start-up importing spaCy and building the pipeline; a child process (:mod:`contractreview.forked`) reads
the file meanwhile on the other core and hands the document back as JSON
(:func:`contractreview.serialize.layout_to_dict`). If the child fails in any way, :meth:`ChildRead.result`
returns None and the caller reads the file itself, with the in-process errors and limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import forked
from ..domain import Document


class ChildRead:
    """A document being read by a child process."""

    def __init__(self, pending: forked.Pending) -> None:
        self._pending = pending
        self._pid = pending._pid

    def result(self, deadline: float | None = None) -> Document | None:
        """The document the child read, or None when it did not (the caller then reads it itself)."""
        data = self._pending.result(deadline)
        if data is None:
            return None
        try:
            return document_from_json(data)
        except (ValueError, KeyError, TypeError):
            return None

    def close(self) -> None:
        self._pending.close()


def start_reading(read: Callable[[], Document]) -> ChildRead | None:
    """Fork a child that runs ``read()`` and sends its document back; None where forking is not possible
    or safe (:func:`contractreview.forked.start`)."""
    pending = forked.start(lambda: document_to_json(read()))
    return ChildRead(pending) if pending is not None else None


_CHUNK = 2_000  # layout rows per record: each record is decoded in its own short call


def document_to_json(doc: Document) -> list[Any]:
    """``doc`` as JSON records (head first, then chunks of its layout rows), for the pipe."""
    from ..serialize import layout_to_dict

    layout = layout_to_dict(doc)
    head = {"source_path": doc.source_path, "sha256": doc.sha256, "format": doc.format.value, "text": doc.text}
    rows = ("blocks", "lines", "furniture", "comments")
    head["layout"] = {k: v for k, v in layout.items() if k not in rows}
    records: list[Any] = [head]
    for key in rows:
        values = layout.get(key, [])
        records.extend([key, values[i : i + _CHUNK]] for i in range(0, len(values), _CHUNK))
    return records


def document_from_json(records: list[Any]) -> Document:
    from ..serialize import document_from_layout

    head = records[0]
    layout = dict(head["layout"])
    for key, values in records[1:]:
        layout.setdefault(key, []).extend(values)
    return document_from_layout(
        source_path=head["source_path"],
        sha256=head["sha256"],
        fmt=head["format"],
        text=head["text"],
        layout=layout,
    )
