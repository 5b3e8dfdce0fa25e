"""nbconvert exporter ``hzpdf``: notebook → bulletin HTML → PDF with headless Chromium.

Registered in ``pyproject.toml`` under ``nbconvert.exporters``, so
``jupyter nbconvert --to hzpdf report.ipynb`` writes ``report.pdf``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter
from traitlets import Float, Unicode

from .html import notebook_to_html
from .pdf import html_to_pdf

__all__ = ["ChromiumPDFExporter"]


class ChromiumPDFExporter(Exporter):
    """PDF via :func:`notebook_to_html` and :func:`html_to_pdf` (A4, CJK fonts, page numbers)."""

    export_from_notebook = "PDF 通报（Chromium）"
    output_mimetype = "application/pdf"

    file_extension = Unicode(".pdf").tag(config=True)
    timeout = Float(120.0, help="Seconds to wait for Chromium.").tag(config=True)
    title = Unicode("", help="Document title; default: notebook metadata 'title' or the file name.").tag(
        config=True
    )

    def _file_extension_default(self) -> str:
        return ".pdf"

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[bytes, dict[str, Any]]:  # type: ignore[override]
        """Return the PDF bytes of ``nb``."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        meta = resources.get("metadata", {})
        title = self.title or str(nb_copy.metadata.get("title", "") or meta.get("name", "") or "通报")
        html = notebook_to_html(nb_copy, title=title, base_dir=meta.get("path") or None)
        with tempfile.TemporaryDirectory(prefix="hz-pdf-") as tmp:
            html_path = Path(tmp) / "bulletin.html"
            html_path.write_text(html, encoding="utf-8")
            pdf_path = html_to_pdf(html_path, Path(tmp) / "bulletin.pdf", timeout=self.timeout)
            data = pdf_path.read_bytes()
        resources["output_extension"] = ".pdf"
        return data, resources
