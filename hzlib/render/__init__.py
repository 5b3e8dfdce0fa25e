"""Rendering of the bulletin: HTML, PDF (headless Chromium), Excel, atomic writes.

Heavy imports (nbconvert, openpyxl, pandas) happen only when a function is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..atomicfile import atomic_write_bytes, atomic_write_text, staging_dir

if TYPE_CHECKING:  # real imports for type checkers; at run time they are lazy (see __getattr__)
    from .excel import write_tables_xlsx
    from .exporter import ChromiumPDFExporter
    from .html import bulletin_css, escape_text, notebook_to_html, status_html
    from .pdf import PDFError, chromium_available, find_chromium, html_to_pdf

__all__ = [
    "ChromiumPDFExporter",
    "PDFError",
    "atomic_write_bytes",
    "atomic_write_text",
    "bulletin_css",
    "chromium_available",
    "escape_text",
    "find_chromium",
    "html_to_pdf",
    "notebook_to_html",
    "staging_dir",
    "status_html",
    "write_tables_xlsx",
]

_LAZY = {
    "ChromiumPDFExporter": "exporter",
    "PDFError": "pdf",
    "chromium_available": "pdf",
    "find_chromium": "pdf",
    "html_to_pdf": "pdf",
    "bulletin_css": "html",
    "escape_text": "html",
    "notebook_to_html": "html",
    "status_html": "html",
    "write_tables_xlsx": "excel",
}


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    value = getattr(importlib.import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
