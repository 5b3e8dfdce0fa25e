"""nbconvert exporter ``hzpdf``: notebook → bulletin HTML → PDF with :class:`~hzlib.render.pdf.PdfRenderer`.

Registered in ``pyproject.toml`` under ``nbconvert.exporters``, so
``jupyter nbconvert --to hzpdf report.ipynb`` writes ``report.pdf``. One
exporter keeps one renderer, so ``jupyter nbconvert --to hzpdf *.ipynb``
starts the PDF engine once. The engine is chosen as in
:class:`~hzlib.render.pdf.PdfRenderer` (``--BulletinPDFExporter.engine=chromium``
or ``$HZ_PDF_ENGINE``).

A file that is not a notebook is a :class:`~hzlib.errors.UsageError`; in the
``jupyter nbconvert`` command an hzlib error is printed as one line
(``错误 / error: …``, exit code 1) instead of a traceback (the hook is set when nbconvert makes the
exporter, not when this module is imported). A notebook that was never
executed (no outputs) is converted with a warning saying to execute it first.
"""

from __future__ import annotations

import sys
import tempfile
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any

import nbformat
from nbconvert.exporters import Exporter
from traitlets import Float, Unicode

from ..errors import HzError, UsageError
from ..fileerrors import os_reason
from .html import notebook_to_html
from .pdf import PdfRenderer

__all__ = ["BulletinPDFExporter", "ChromiumPDFExporter", "never_executed", "read_notebook", "install_excepthook"]

#: The warning for a notebook without outputs.
NOT_EXECUTED = "该 notebook 尚未执行，没有输出：请先用 papermill 或 hz run 执行"


def read_notebook(stream: Any, name: str) -> Any:
    """The notebook in ``stream`` (nbformat 4); a :class:`UsageError` naming ``name`` when it is not one."""
    try:
        return nbformat.read(stream, as_version=4)
    except UnicodeDecodeError as e:
        raise UsageError(f"{name} 不是 notebook 文件（.ipynb），无法按 UTF-8 读取 / not a notebook") from e
    except nbformat.reader.NotJSONError as e:
        raise UsageError(f"{name} 不是 notebook 文件（.ipynb 应为 JSON 文本） / not a notebook") from e
    except (nbformat.ValidationError, KeyError, TypeError, AttributeError) as e:
        raise UsageError(f"{name} 不是有效的 notebook（缺少 cells、metadata 或格式版本） / not a valid notebook") from e


def never_executed(nb: Any) -> bool:
    """True when ``nb`` has code cells and none of them was ever executed or has outputs."""
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    return bool(code) and all(c.get("execution_count") is None and not c.get("outputs") for c in code)


class BulletinPDFExporter(Exporter):
    """PDF via :func:`notebook_to_html` and a :class:`PdfRenderer` (A4, CJK fonts, page numbers)."""

    export_from_notebook = "PDF 通报"
    output_mimetype = "application/pdf"

    file_extension = Unicode(".pdf").tag(config=True)
    timeout = Float(120.0, help="Seconds to wait for the PDF engine per notebook.").tag(config=True)
    engine = Unicode("", help="PDF engine: weasyprint or chromium (default: $HZ_PDF_ENGINE, else the first available).").tag(config=True)
    title = Unicode("", help="Document title; default: notebook metadata 'title' or the file name.").tag(config=True)

    def __init__(self, config: Any = None, **kw: Any) -> None:
        super().__init__(config=config, **kw)
        # nbconvert makes the exporter before it converts: from here on, in the jupyter nbconvert
        # command only, an hzlib error is one line (importing this module changes nothing)
        install_excepthook()

    def _file_extension_default(self) -> str:
        return ".pdf"

    def _renderer(self) -> PdfRenderer:
        r: PdfRenderer | None = getattr(self, "_pdf_renderer", None)
        if r is None:
            r = PdfRenderer(self.engine or None, timeout=self.timeout)
            weakref.finalize(self, r.close)
            self._pdf_renderer = r
        return r

    def from_filename(self, filename: str, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[bytes, dict[str, Any]]:  # type: ignore[override]
        """Return the PDF bytes of the notebook file ``filename`` (a :class:`UsageError` when it cannot be read)."""
        path = Path(filename)
        if path.is_dir():
            raise UsageError(f"{filename} 是文件夹，不是 notebook 文件：请写 .ipynb 文件，如 {path / '*.ipynb'}")
        try:
            with path.open("rb"):
                pass
        except OSError as e:
            raise UsageError(f"{filename}：无法读取，{os_reason(e)}") from e
        self._source_name = filename
        try:
            return super().from_filename(filename, resources, **kw)  # type: ignore[return-value]
        finally:
            self._source_name = ""

    def from_file(self, file_stream: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[bytes, dict[str, Any]]:  # type: ignore[override]
        """Return the PDF bytes of the notebook read from ``file_stream``."""
        nb = read_notebook(file_stream, getattr(self, "_source_name", "") or "notebook")
        return self.from_notebook_node(nb, resources=resources, **kw)

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[bytes, dict[str, Any]]:  # type: ignore[override]
        """Return the PDF bytes of ``nb`` (with a warning on stderr when it was never executed)."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        meta = resources.get("metadata", {})
        if never_executed(nb_copy):
            name = f"{meta['name']}.ipynb" if meta.get("name") else "notebook"
            print(f"警告 / warning: {name}：{NOT_EXECUTED}", file=sys.stderr)
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


def _excepthook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if isinstance(value, HzError):
        print(f"错误 / error: {value.render()}", file=sys.stderr)
        return
    sys.__excepthook__(etype, value, tb)


def install_excepthook(argv0: str | None = None) -> bool:
    """In the ``jupyter nbconvert`` command (which loads this exporter for ``--to hzpdf``), print an
    hzlib error as one line instead of a traceback; True when installed."""
    path = Path(argv0 if argv0 is not None else (sys.argv[0] if sys.argv else ""))
    command = path.name == "jupyter-nbconvert" or (path.name == "__main__.py" and path.parent.name == "nbconvert")
    if not command or sys.excepthook is not sys.__excepthook__:
        return False
    sys.excepthook = _excepthook
    return True
