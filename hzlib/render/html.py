"""Notebook → one self-contained HTML bulletin (no input cells, no CDN, our CSS).

The HTML uses the ``hzbulletin`` template (``templates/hzbulletin``), which
extends nbconvert's ``lab`` template but emits no ``<script>`` at all (no
MathJax, require.js, mermaid or widgets) and replaces JupyterLab's CSS with
``bulletin.css``. After export, table cells holding numbers get
``class="num"`` (right-aligned) and cells whose whole text is a status label
(达标/基本达标/未达标/未到期/无数据/不适用) get ``status-*`` classes; other short
cells (at most 8 ems wide, e.g. 市级, 2019-05-19, 50个百分点) get ``class="nw"``
so that narrow columns never wrap a short label.

>>> escape_text('<b>"甲"&乙</b>')
'&lt;b&gt;&quot;甲&quot;&amp;乙&lt;/b&gt;'
>>> status_html("missed")
'<span class="status-missed">未达标</span>'
"""

from __future__ import annotations

import html as _html
import os
import re
import sys
import tempfile
import unicodedata
from functools import lru_cache
from importlib import resources as _resources
from pathlib import Path
from typing import Any

from ..arithmetic import Status

__all__ = [
    "STATUS_CLASSES",
    "bulletin_css",
    "escape_text",
    "notebook_to_html",
    "status_html",
    "strip_volatile",
]

_HERE = Path(__file__).resolve().parent
_TEMPLATE_NAME = "hzbulletin"

#: Status value → CSS class (``hzlib.arithmetic.Status`` values).
STATUS_CLASSES: dict[str, str] = {
    "met": "status-met",
    "near": "status-near",
    "missed": "status-missed",
    "pending": "status-pending",
    "no_data": "status-pending",
    "n/a": "status-pending",
}
#: Chinese status label → CSS class; labels come from ``Status.zh``, the one source.
_STATUS_ZH: dict[str, str] = {st.value: st.zh for st in Status}
_LABEL_CLASSES: dict[str, str] = {_STATUS_ZH[k]: cls for k, cls in STATUS_CLASSES.items()}

_NUM_CELL = re.compile(
    r"<td>(\s*(?:[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*%?|[-+−]?\.\d+|—|-|nan|NaN|None|&lt;NA&gt;)\s*)</td>"
)
_LABEL_CELL = re.compile(r"<td>\s*(" + "|".join(sorted(_LABEL_CLASSES, key=len, reverse=True)) + r")\s*</td>")
_PLAIN_CELL = re.compile(r"<td>([^<\s]{1,16})</td>")
#: Plain cells at most this many ems wide (a Chinese character is 1 em) are never wrapped.
SHORT_CELL_EMS = 8.0
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w=.+-]+)*,[^\"'\s)<>]*")
_KERNEL_FILE = re.compile(r"(?:/[^\s\"'<>:]*)?/ipykernel_\d+/\d+\.py")


def escape_text(s: object) -> str:
    """HTML-escape any value for display as text (``None`` → empty string)."""
    if s is None:
        return ""
    return _html.escape(str(s), quote=True)


def status_html(status: Any) -> str:
    """``<span class="status-…">中文标签</span>`` for a ``Status`` or its value."""
    key = str(getattr(status, "value", status))
    cls = STATUS_CLASSES.get(key, "status-pending")
    return f'<span class="{cls}">{escape_text(_STATUS_ZH.get(key, key))}</span>'


@lru_cache(maxsize=1)
def bulletin_css() -> str:
    """Text of the packaged ``bulletin.css``."""
    return (_resources.files("hzlib.render") / "bulletin.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=_TEMPLATE_NAME,
        extra_template_basedirs=[str(_HERE / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
        mathjax_url="",
        require_js_url="",
        mermaid_js_url="",
        jquery_url="",
    )


def _volatile_paths() -> list[str]:
    paths = {os.getcwd(), str(Path.home()), sys.prefix, sys.base_prefix, tempfile.gettempdir()}
    paths.update(p for p in sys.path if p and os.path.isabs(p))
    cleaned = {p.rstrip("/") for p in paths}
    return [p for p in cleaned if len(p) >= 4]


def strip_volatile(text: str, extra_paths: tuple[str, ...] = ()) -> str:
    """Replace machine-specific absolute paths (kernel temp files, cwd, home, Python prefix) by ``…``.

    A path is replaced only as a whole path prefix: ``/home/u`` in ``/home/u/a.csv``
    but not in ``/home/uv`` or ``example.com/home/u``.

    >>> strip_volatile("见 /srv/hz/data/a.csv 与 /srv/hzx", ("/srv/hz",))
    '见 …/data/a.csv 与 /srv/hzx'
    >>> strip_volatile("/tmp/ipykernel_42/1234.py:3: UserWarning")
    '[cell]:3: UserWarning'
    """
    text = _KERNEL_FILE.sub("[cell]", text)
    paths = {p.rstrip("/") for p in extra_paths if p} | set(_volatile_paths())
    for p in sorted(paths, key=len, reverse=True):  # longest first: /a/b/c before /a/b
        if p and p in text:
            text = re.sub(r"(?<![\w/.\-+=])" + re.escape(p) + r"(?![\w.\-])", "…", text)
    return text


def _em_width(text: str) -> float:
    """Approximate width of ``text`` in ems: wide (CJK) characters 1, others ½.

    >>> _em_width("市级"), _em_width("2019-05-19")
    (2.0, 5.0)
    """
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in _html.unescape(text))


def _mark_short(m: re.Match[str]) -> str:
    return f'<td class="nw">{m.group(1)}</td>' if _em_width(m.group(1)) <= SHORT_CELL_EMS else m.group(0)


def _drop_stderr(nb: Any) -> None:
    """Warnings printed to stderr are for the analyst, not for readers of the bulletin."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]


def _postprocess(body: str, extra_paths: tuple[str, ...]) -> str:
    body = _SCRIPT.sub("", body)
    body = _REMOTE_LINK.sub("", body)
    body = body.replace('<table border="1" class="dataframe', '<table class="dataframe')
    body = _NUM_CELL.sub(r'<td class="num">\1</td>', body)
    body = _LABEL_CELL.sub(lambda m: f'<td class="{_LABEL_CLASSES[m.group(1)]}">{m.group(1)}</td>', body)
    body = _PLAIN_CELL.sub(_mark_short, body)
    # Never touch inline data (base64 may contain "/tmp"-like runs).
    parts = _DATA_URI.split(body)
    uris = _DATA_URI.findall(body)
    out = [strip_volatile(parts[0], extra_paths)]
    for uri, rest in zip(uris, parts[1:]):
        out += [uri, strip_volatile(rest, extra_paths)]
    return "".join(out)


def notebook_to_html(
    nb: Any,
    *,
    title: str,
    keep_stderr: bool = False,
    lang: str = "zh-CN",
    base_dir: str | os.PathLike[str] | None = None,
) -> str:
    """Render an executed notebook (``NotebookNode`` or path) to self-contained HTML.

    Input cells and prompts are hidden, stderr streams dropped (unless
    ``keep_stderr``), no external scripts or stylesheets are referenced, and
    absolute paths of this machine are removed. Images that markdown cells
    reference by relative path are embedded (resolved against ``base_dir``,
    default: the notebook's folder).
    """
    import copy

    import nbformat

    extra: tuple[str, ...] = ()
    resources: dict[str, Any] = {}
    if isinstance(nb, (str, os.PathLike)):
        src = Path(nb).resolve()
        node = nbformat.read(src, as_version=4)
        resources["metadata"] = {"name": src.stem, "path": str(src.parent)}
        extra = (str(src.parent),)
    else:
        node = copy.deepcopy(nb)
        resources["metadata"] = {"name": title}
    if base_dir is not None:
        resources["metadata"]["path"] = str(Path(base_dir).resolve())
        extra = (*extra, str(Path(base_dir).resolve()))
    if not keep_stderr:
        _drop_stderr(node)
    resources.update(hz_title=title, hz_lang=lang, hz_css=bulletin_css())
    body, _ = _exporter().from_notebook_node(node, resources=resources)
    return _postprocess(body, extra)
