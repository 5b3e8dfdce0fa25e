"""Notebook → one self-contained HTML bulletin (no input cells, no CDN, our CSS).

The HTML uses the ``hzbulletin`` template (``templates/hzbulletin``), which
extends nbconvert's ``lab`` template but emits no ``<script>`` at all (no
MathJax, require.js, mermaid or widgets) and replaces JupyterLab's CSS with
``bulletin.css``. After export, tables are marked column by column (:func:`align_table`):
the cells of a number column get ``class="num"`` (right-aligned); a column is a number
column when every filled cell is a number with its unit (45个, 41.9亿元, 60%,
-1.19个百分点), whatever Python type it came from. Cells whose whole text is a status
label (达标/基本达标/未达标/未到期/无数据/不适用) get ``status-*`` classes; the cells of a
column of short labels (at most 8 ems wide, e.g. 市级, 2019-05-19) get ``class="nw"`` so
that narrow columns never wrap a short label; short text columns (口径) get a least width
so that they take at most two lines. Cells outside a plain table are marked one by one.

>>> escape_text('<b>"甲"&乙</b>')
'&lt;b&gt;&quot;甲&quot;&amp;乙&lt;/b&gt;'
>>> status_html("missed")
'<span class="status-missed">未达标</span>'
"""

from __future__ import annotations

import copy
import html as _html
import math
import os
import re
import sys
import tempfile
import unicodedata
from functools import lru_cache
from importlib import resources as _resources
from pathlib import Path
from typing import Any

from ..glossary import STATUS_ZH, Status

__all__ = [
    "STATUS_CLASSES",
    "bulletin_css",
    "align_table",
    "escape_text",
    "is_number_text",
    "notebook_to_html",
    "status_html",
    "strip_volatile",
]

_HERE = Path(__file__).resolve().parent
_TEMPLATE_NAME = "hzbulletin"

#: Status value → CSS class (``hzlib.arithmetic.Status`` values).
STATUS_CLASSES: dict[str, str] = {st.value: st.css_class for st in Status}
#: Chinese status label → CSS class; labels come from ``Status.zh``, the one source.
_LABEL_CLASSES: dict[str, str] = {st.zh: st.css_class for st in Status}

_NUM_CELL = re.compile(r"<td>(\s*(?:[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*%?|[-+−]?\.\d+|—|-|nan|NaN|None|&lt;NA&gt;)\s*)</td>")
#: A number with its unit, as the bulletin writes it: 45个, 41.9亿元, -1.19个百分点, 2,450,441万元,
#: 73.33%（22/30个）, (80%（70个）). A table column whose every filled cell reads so is a number column.
_UNITS = "个百分点|百分点|万美元|亿美元|美元|亿元|万元|元|万平方米|平方米|万吨|吨|亩|公里|个|项|家|户|人|名|分|天|倍|年|%|‰|pp"
_NUMBER = r"\d+(?:\.\d+)?/\d+(?:\.\d+)?|[-+−±]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+−]?\.\d+"
_NUMBER_TEXT = re.compile(rf"^[（(]?[≥≤≈<>约]?\s*(?:{_NUMBER})\s*(?:{_UNITS})?\s*(?P<paren>[（(][^（）()]*[）)])?[）)]?$")
#: Cells that say nothing about their column's kind.
_BLANK_TEXTS = frozenset({"", "—", "-", "–", "nan", "NaN", "None", "<NA>", "NaT"})
_TABLE = re.compile(r"<table\b[^>]*>.*?</table\s*>", re.DOTALL)
_TBODY = re.compile(r"(<tbody\b[^>]*>)(.*?)(</tbody\s*>)", re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.DOTALL)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1\s*>", re.DOTALL)
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(["'])(.*?)\1""")
_TAGS = re.compile(r"<[^>]+>")
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
    return f'<span class="{cls}">{escape_text(STATUS_ZH.get(key, key))}</span>'


@lru_cache(maxsize=1)
def bulletin_css() -> str:
    """Text of the packaged ``bulletin.css``."""
    return (_resources.files("hzlib.render") / "bulletin.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _exporter() -> Any:
    from nbconvert import HTMLExporter  # lazy: nbconvert costs 2.1 s at import of this module; only rendering a notebook needs it

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


def _cell_text(content: str) -> str:
    return _html.unescape(_TAGS.sub("", content)).strip()


def is_number_text(text: str) -> bool:
    """Whether a cell's text is a number with its unit (the bulletin's number columns).

    >>> [is_number_text(t) for t in ("45个", "41.9亿元", "-1.19个百分点", "73.33%（22/30个）", "2,450,441万元", "2/2", "79.71/95")]
    [True, True, True, True, True, True, True]
    >>> [is_number_text(t) for t in ("镇巴县・县级", "2019-05-19", "45个重点项目年度计划投资完成率", "统计数据")]
    [False, False, False, False]
    """
    return bool(_NUMBER_TEXT.match(text))


def _add_class(attrs: str, cls: str) -> str:
    m = _CLASS_ATTR.search(attrs)
    if m is None:
        return f' class="{cls}"{attrs}'
    names = m.group(2).split()
    if cls in names:
        return attrs
    return attrs[: m.start()] + f'class="{" ".join([*names, cls])}"' + attrs[m.end() :]


def _number_cell(attrs: str, content: str) -> str:
    """A cell of a number column: right-aligned; a count in brackets after the number may go to a
    second line (``73.33%`` / ``（22/30个）``) rather than widen the table."""
    m = _NUMBER_TEXT.match(_cell_text(content))
    paren = m.group("paren") if m else None
    if paren and "<" not in content:
        head, sep, tail = content.rpartition(_html.escape(paren, quote=False))
        if sep and not tail.strip() and head.strip():
            attrs = _add_class(attrs, "num-wrap")
            content = f'<span class="nb">{head}</span><wbr><span class="nb">{sep}</span>'
    return f"<td{_add_class(attrs, 'num')}>{content}</td>"


def _number_columns(rows: list[list[tuple[str, str, str]]]) -> set[int]:
    """Columns whose every filled body cell is a number with a unit (status labels and dashes aside)."""
    width = len(rows[0])
    out = set()
    for j in range(width):
        texts = [_cell_text(r[j][2]) for r in rows]
        filled = [t for t in texts if t not in _BLANK_TEXTS and t not in _LABEL_CLASSES]
        if filled and all(_NUMBER_TEXT.match(t) for t in filled):
            out.add(j)
    return out


def align_table(table: str) -> str | None:
    """Mark one ``<table>`` column by column, by the column's kind (what its cells say), not cell by
    cell: the cells of a number column (``45个`` and ``41.9亿元`` as much as ``60%``) get ``num``
    (right-aligned); the cells of a column of short labels (at most ``SHORT_CELL_EMS`` wide) get
    ``nw`` (never wrapped), while a short cell in a column of long text may wrap like its
    neighbours; a short text column's header gets a least width (see ``TWO_LINE_EMS``). Status
    labels are left to their own class. None when the table's body is not a plain grid (row or
    column spans): it is then marked cell by cell.

    >>> t = "<table><tbody><tr><td>甲</td><td>45个</td></tr><tr><td>乙</td><td>—</td></tr></tbody></table>"
    >>> align_table(t)
    '<table><tbody><tr><td class="nw">甲</td><td class="num">45个</td></tr><tr><td class="nw">乙</td><td class="num">—</td></tr></tbody></table>'
    """
    mb = _TBODY.search(table)
    if mb is None:
        return None
    rows = [_CELL.findall(r) for r in _ROW.findall(mb.group(2))]
    if not rows or any(len(r) != len(rows[0]) for r in rows) or not rows[0]:
        return None
    if any("span" in attrs for r in rows for _, attrs, _ in r):
        return None
    numeric = _number_columns(rows)
    longest = [max(_em_width(_cell_text(r[j][2])) for r in rows) for j in range(len(rows[0]))]
    short = {j for j, w in enumerate(longest) if w <= SHORT_CELL_EMS} - numeric

    def fix_row(m: re.Match[str]) -> str:
        cells = iter(range(len(rows[0])))

        def fix_cell(c: re.Match[str]) -> str:
            j = next(cells)
            if c.group(1) != "td":
                return c.group(0)
            if j in numeric:
                return _number_cell(c.group(2), c.group(3))
            text = _cell_text(c.group(3))
            if j in short and text and text not in _LABEL_CLASSES and "class=" not in c.group(2):
                return f"<td{_add_class(c.group(2), 'nw')}>{c.group(3)}</td>"
            return c.group(0)

        return m.group(0).replace(m.group(1), _CELL.sub(fix_cell, m.group(1)), 1)

    body = _ROW.sub(fix_row, mb.group(2))
    head = _two_line_widths(table[: mb.start(2)], longest, numeric)
    return head + body + table[mb.end(2) :]


#: A text column whose longest cell is at most this many ems wide is given half of it as its least
#: width, so that it takes at most two lines (口径 “重点项目台账（县级・新开工项目）”), not four.
TWO_LINE_EMS = 16.0
#: The least width of a column of longer text (目标, 项目名称), so that the automatic layout does not
#: squeeze it to three characters a line.
LONG_TEXT_EMS = 7.0
_MIN_WIDTH = re.compile(r"min-width:\s*([\d.]+)em")


def _two_line_widths(head: str, longest: list[float], numeric: set[int]) -> str:
    """The table's head with a least width on each short text column's header cell (see ``TWO_LINE_EMS``)."""
    hm = re.search(r"<thead\b[^>]*>(.*?)</thead\s*>", head, re.DOTALL)
    if hm is None or len(_ROW.findall(hm.group(1))) != 1:
        return head
    ths = _CELL.findall(hm.group(1))
    if len(ths) != len(longest) or any("span" in a for _, a, _ in ths):
        return head
    # half the longest cell, plus 1em for the cell's padding (box-sizing: border-box)
    want = {j: math.ceil(w / 2) + 1.0 for j, w in enumerate(longest) if j not in numeric and SHORT_CELL_EMS < w <= TWO_LINE_EMS}
    want |= {j: LONG_TEXT_EMS for j, w in enumerate(longest) if j not in numeric and w > TWO_LINE_EMS}
    if not want:
        return head
    cells = iter(range(len(ths)))

    def widen(c: re.Match[str]) -> str:
        j = next(cells)
        if j not in want:
            return c.group(0)
        attrs = c.group(2)
        m = _MIN_WIDTH.search(attrs)
        if m is not None:
            if float(m.group(1)) >= want[j]:
                return c.group(0)
            attrs = attrs[: m.start(1)] + f"{want[j]:g}" + attrs[m.end(1) :]
        elif "style=" in attrs:
            return c.group(0)
        else:
            attrs += f' style="min-width: {want[j]:g}em"'
        return f"<{c.group(1)}{attrs}>{c.group(3)}</{c.group(1)}>"

    thead = _CELL.sub(widen, hm.group(1))
    return head[: hm.start(1)] + thead + head[hm.end(1) :]


def _label_cells(text: str) -> str:
    return _LABEL_CELL.sub(lambda m: f'<td class="{_LABEL_CLASSES[m.group(1)]}">{m.group(1)}</td>', text)


def _mark_cells(text: str) -> str:
    """Cell by cell (outside a plain table): numbers right-aligned, status labels coloured, short cells unwrapped."""
    text = _NUM_CELL.sub(r'<td class="num">\1</td>', text)
    return _PLAIN_CELL.sub(_mark_short, _label_cells(text))


def _mark_tables(body: str) -> str:
    """Every plain table marked by its columns' kinds (:func:`align_table`), anything else cell by cell."""
    out, pos = [], 0
    for m in _TABLE.finditer(body):
        out.append(_mark_cells(body[pos : m.start()]))
        aligned = align_table(m.group(0))
        out.append(_label_cells(aligned) if aligned is not None else _mark_cells(m.group(0)))
        pos = m.end()
    out.append(_mark_cells(body[pos:]))
    return "".join(out)


def _drop_stderr(nb: Any) -> None:
    """Warnings printed to stderr are for the analyst, not for readers of the bulletin."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def _postprocess(body: str, extra_paths: tuple[str, ...]) -> str:
    body = _SCRIPT.sub("", body)
    body = _REMOTE_LINK.sub("", body)
    body = body.replace('<table border="1" class="dataframe', '<table class="dataframe')
    body = _mark_tables(body)
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
    import nbformat  # lazy: nbformat costs 180 ms at import of this module (1.9 s unless skip_slow_format_checker() has run)

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
