"""nbconvert exporter ``hzpdf``: notebook → bulletin HTML → PDF with :class:`~hzlib.render.pdf.PdfRenderer`.

Registered in ``pyproject.toml`` under ``nbconvert.exporters``, so
``jupyter nbconvert --to hzpdf report.ipynb`` writes ``report.pdf``. One
exporter keeps one renderer, so ``jupyter nbconvert --to hzpdf *.ipynb``
starts the PDF engine once. The engine is chosen as in
:class:`~hzlib.render.pdf.PdfRenderer` (``--BulletinPDFExporter.engine=chromium``
or ``$HZ_PDF_ENGINE``).
"""

from __future__ import annotations

import tempfile
import weakref
from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter
from traitlets import Float, Unicode

from .html import notebook_to_html
from .pdf import PdfRenderer

__all__ = ["BulletinPDFExporter", "ChromiumPDFExporter"]


class BulletinPDFExporter(Exporter):
    """PDF via :func:`notebook_to_html` and a :class:`PdfRenderer` (A4, CJK fonts, page numbers)."""

    export_from_notebook = "PDF 通报"
    output_mimetype = "application/pdf"

    file_extension = Unicode(".pdf").tag(config=True)
    timeout = Float(120.0, help="Seconds to wait for the PDF engine per notebook.").tag(config=True)
    engine = Unicode("", help="PDF engine: weasyprint or chromium (default: $HZ_PDF_ENGINE, else the first available).").tag(
        config=True
    )
    title = Unicode("", help="Document title; default: notebook metadata 'title' or the file name.").tag(
        config=True
    )

    def _file_extension_default(self) -> str:
        return ".pdf"

    def _renderer(self) -> PdfRenderer:
        r: PdfRenderer | None = getattr(self, "_pdf_renderer", None)
        if r is None:
            r = PdfRenderer(self.engine or None, timeout=self.timeout)
            weakref.finalize(self, r.close)
            self._pdf_renderer = r
        return r

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[bytes, dict[str, Any]]:  # type: ignore[override]
        """Return the PDF bytes of ``nb``."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        meta = resources.get("metadata", {})
        title = self.title or str(nb_copy.metadata.get("title", "") or meta.get("name", "") or "通报")
        html = notebook_to_html(nb_copy, title=title, base_dir=meta.get("path") or None)
        with tempfile.TemporaryDirectory(prefix="hz-pdf-") as tmp:
            html_path = Path(tmp) / "bulletin.html"
            html_path.write_text(html, encoding="utf-8")
            data = self._renderer().render(html_path, Path(tmp) / "bulletin.pdf").read_bytes()
        resources["output_extension"] = ".pdf"
        return data, resources


#: The former name (the exporter printed with Chromium only); ``--to hzpdf`` resolves to the same class.
ChromiumPDFExporter = BulletinPDFExporter
