"""Print-grade PDF: embedded subset CID/TrueType fonts (no Type 3), Chinese text, A4, short cells kept whole,
and the warm renderer (one engine start for many PDFs, a hung job killed, atomic writes).

The checks read the PDF with poppler-utils (pdffonts, pdftotext, pdfinfo); they skip with a reason
when the engine or poppler is missing. No timing assertions here: speed is measured by
``benchmarks/pdf_render.py``.
"""

from __future__ import annotations

import html as _html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hzlib.render.html import bulletin_css, notebook_to_html
from hzlib.render.pdf import (
    PDFError,
    PdfRenderer,
    chromium_available,
    html_to_pdf,
    missing_engine_message,
    pdf_available,
    weasyprint_available,
)

ROOT = Path(__file__).resolve().parents[1]
POPPLER = ("pdffonts", "pdftotext", "pdfinfo")
needs_poppler = pytest.mark.skipif(any(shutil.which(t) is None for t in POPPLER), reason="未安装 poppler-utils（pdffonts/pdftotext/pdfinfo）")
needs_weasyprint = pytest.mark.skipif(
    not weasyprint_available(),
    reason="未安装 WeasyPrint 或 Pango（pip install weasyprint；apt-get install libpango-1.0-0 libpangoft2-1.0-0）",
)
needs_chromium = pytest.mark.skipif(not chromium_available(), reason="未安装 Chromium（apt-get install chromium）")

#: A4 in PostScript points.
A4 = (595.28, 841.89)
LEVELS = ("市级", "省级", "县级")


@dataclass(frozen=True)
class Font:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def fonts(pdf: Path) -> list[Font]:
    """``pdffonts`` rows: name, type ("CID TrueType", "CID Type 0C (OT)", "Type 3", …) and the yes/no columns."""
    out = []
    for row in _run("pdffonts", str(pdf)).splitlines()[2:]:
        m = re.match(r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row)
        assert m, f"unexpected pdffonts row: {row!r}"
        out.append(Font(m.group(1), m.group(2), m.group(4) == "yes", m.group(5) == "yes", m.group(6) == "yes"))
    return out


def page_facts(pdf: Path) -> tuple[int, tuple[float, float]]:
    info = _run("pdfinfo", str(pdf))
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    return pages, (w, h)


def assert_print_grade(pdf: Path) -> list[Font]:
    """Every font embedded, none Type 3, CJK subsets with a ToUnicode map; A4 pages."""
    assert pdf.read_bytes().startswith(b"%PDF-")
    found = fonts(pdf)
    assert found, "no fonts in PDF"
    assert [f for f in found if "Type 3" in f.type] == [], "Type 3 fonts"
    assert all(f.embedded for f in found), [f for f in found if not f.embedded]
    assert all(f.subset and f.unicode for f in found), found
    assert all(re.search(r"CID (TrueType|Type 0)", f.type) for f in found), found
    _, size = page_facts(pdf)
    assert abs(size[0] - A4[0]) < 1.5 and abs(size[1] - A4[1]) < 1.5, size
    return found


def small_page(rows: int = 12) -> str:
    """A Chinese page with the bulletin CSS and a project table whose names are long and levels short."""
    body = "".join(
        f"<tr><td>第{i}号汉滨区城市道路改造与老旧小区配套基础设施提升工程项目（二期）</td><td>安康高新区</td>"
        f'<td class="nw">{LEVELS[i % 3]}</td><td class="nw">2024-0{1 + i % 9}-15</td>'
        f'<td class="num">{1000 + 37 * i:,}</td><td class="status-met">达标</td><td class="nw">50个百分点</td></tr>'
        for i in range(1, rows + 1)
    )
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试通报</title>
<style>{bulletin_css()}</style></head><body><main>
<h1>2024年第三季度重点项目建设通报</h1>
<p>前三季度全市重点项目完成投资<b>239.2亿元</b>，占年度计划的48.8%。</p>
<table class="dataframe hz-table"><thead><tr><th>项目名称</th><th>责任单位</th><th>级别</th><th>计划开工</th>
<th>年度计划投资（万元）</th><th>状态</th><th>落后时序进度</th></tr></thead><tbody>{body}</tbody></table>
</main></body></html>"""


@pytest.fixture(scope="module")
def renderer():
    if not weasyprint_available():
        pytest.skip("未安装 WeasyPrint 或 Pango")
    with PdfRenderer("weasyprint") as r:
        yield r


# ---------------------------------------------------------------- layout classes


def test_short_cells_are_marked_nowrap():
    from hzlib.render.html import _postprocess

    row = (
        "<tr><td>汉滨区城市道路改造与老旧小区配套基础设施提升工程项目</td><td>市级</td><td>2019-05-19</td>"
        "<td>-9.54个百分点</td><td>安康市·市级</td><td>21,450</td><td>达标</td><td>任务报送（示意数据）；按当前进度全年约22个</td></tr>"
    )
    out = _postprocess(row, ())
    assert "<td>汉滨区城市道路改造与老旧小区配套基础设施提升工程项目</td>" in out
    assert "<td>任务报送（示意数据）；按当前进度全年约22个</td>" in out
    for short in ("市级", "2019-05-19", "-9.54个百分点", "安康市·市级"):
        assert f'<td class="nw">{short}</td>' in out, short
    assert '<td class="num">21,450</td>' in out and '<td class="status-met">达标</td>' in out


# ---------------------------------------------------------------- print grade


@needs_weasyprint
@needs_poppler
def test_small_chinese_page_is_print_grade(renderer, tmp_path):
    src = tmp_path / "small.html"
    src.write_text(small_page(), encoding="utf-8")
    pdf = renderer.render(src, tmp_path / "small.pdf")
    found = assert_print_grade(pdf)
    assert any("Bold" in f.name for f in found), "headings use the real bold face, not a synthetic one"
    flat = "".join(_run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split())
    assert "2024年第三季度重点项目建设通报" in flat and "239.2亿元" in flat and "第12号汉滨区城市道路改造" in flat
    assert "第1页/共1页" in flat
    # short cells never wrap: each row's level, date and gap stay on that row's line
    layout = _run("pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-").splitlines()
    rows = [ln for ln in layout if re.search(r"\d{4}-\d\d-15", ln)]
    assert len(rows) == 12, layout
    assert all(re.search(r"[市省县]级\s+\d{4}-\d\d-15\s+[\d,]+\s+达标\s+50个百分点", ln) for ln in rows), rows
    # headers stay whole
    assert any("落后时序进度" in ln for ln in layout) and any("级别" in ln for ln in layout)


@needs_weasyprint
@needs_poppler
def test_bulletin_is_print_grade(renderer, tmp_path):
    """The committed bulletin notebook (real tables and charts) printed as the bulletin is."""
    nb = ROOT / "notebooks" / "quarterly_report.ipynb"
    html = notebook_to_html(nb, title="季度通报")
    src = tmp_path / "bulletin.html"
    src.write_text(html, encoding="utf-8")
    pdf = renderer.render(src, tmp_path / "bulletin.pdf")
    found = assert_print_grade(pdf)
    assert len(found) <= 4, found  # one subset per face (regular, bold), not one per 256 glyphs
    pages, _ = page_facts(pdf)
    flat = "".join(_run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split())
    for heading in re.findall(r"<h3[^>]*>(.*?)</h3>", html)[:5]:
        text = re.sub(r"<[^>]+>", "", _html.unescape(heading)).strip()
        assert "".join(text.split()) in flat, text
    assert f"第{pages}页/共{pages}页" in flat
    # the 级别 column keeps 市级/省级/县级 whole on every row
    layout = _run("pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-")
    for level in LEVELS:
        assert layout.count(level) >= html.count(f">{level}</td>"), level
    # sizes proportional to content: fonts are subsets, so well under the 1.2 MB of Type 3 output
    assert pdf.stat().st_size < 100_000 * pages, pdf.stat().st_size


@needs_weasyprint
def test_same_html_same_bytes(renderer, tmp_path):
    src = tmp_path / "a.html"
    src.write_text(small_page(3), encoding="utf-8")
    a = renderer.render(src, tmp_path / "a.pdf").read_bytes()
    b = renderer.render(src, tmp_path / "b.pdf").read_bytes()
    assert a == b


# ---------------------------------------------------------------- warm renderer


@needs_weasyprint
def test_warm_renderer_starts_once(tmp_path):
    with PdfRenderer("weasyprint") as r:
        assert r.starts == 0  # nothing starts before the first PDF
        for i in range(4):
            src = tmp_path / f"通报{i}.html"
            src.write_text(small_page(i + 1), encoding="utf-8")
            out = r.render(src, tmp_path / "输出" / f"通报{i}.pdf")
            assert out.read_bytes().startswith(b"%PDF-")
        assert r.starts == 1
    assert sorted(p.name for p in (tmp_path / "输出").iterdir()) == [f"通报{i}.pdf" for i in range(4)]


@needs_weasyprint
def test_hung_job_is_killed_and_engine_restarts(tmp_path):
    big, small = tmp_path / "big.html", tmp_path / "small.html"
    big.write_text(small_page(1500), encoding="utf-8")
    small.write_text(small_page(2), encoding="utf-8")
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF-old")
    with PdfRenderer("weasyprint", timeout=60) as r:
        r.render(small, tmp_path / "warm.pdf")
        r.timeout = 0.05  # far less than 1500 rows take
        with pytest.raises(PDFError, match=r"秒内未完成.*已终止"):
            r.render(big, target)
        assert target.read_bytes() == b"%PDF-old"  # the old file is untouched
        r.timeout = 60
        r.render(small, target)
        assert r.starts == 2
    assert target.read_bytes().startswith(b"%PDF-") and target.read_bytes() != b"%PDF-old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.html", "out.pdf", "small.html", "warm.pdf"]


@needs_weasyprint
def test_start_timeout_is_a_chinese_error(tmp_path):
    src = tmp_path / "a.html"
    src.write_text(small_page(1), encoding="utf-8")
    r = PdfRenderer("weasyprint", timeout=0.01)
    with pytest.raises(PDFError, match=re.escape("WeasyPrint 在 0.01 秒内未完成（启动），已终止")):
        r.render(src, tmp_path / "a.pdf")
    assert r.starts == 0 and not (tmp_path / "a.pdf").exists()
    r.close()


def test_missing_html_is_a_chinese_error(tmp_path):
    with pytest.raises(PDFError, match=re.escape("找不到要打印的 HTML 文件：nothing.html")):
        html_to_pdf(tmp_path / "nothing.html", tmp_path / "a.pdf")


def test_unknown_engine(monkeypatch):
    monkeypatch.setenv("HZ_PDF_ENGINE", "LaTeX")
    assert pdf_available() is False  # so hz run skips PDF with the message below
    assert missing_engine_message().startswith("未知的 PDF 引擎 'latex'（可用：weasyprint、chromium")
    with pytest.raises(PDFError, match="未知的 PDF 引擎 'latex'"):
        _ = PdfRenderer().engine


def test_no_engine_means_a_clear_message(monkeypatch, tmp_path):
    import hzlib.render.pdf as pdf_mod

    monkeypatch.delenv("HZ_PDF_ENGINE", raising=False)
    monkeypatch.setattr(pdf_mod, "available_engines", lambda: [])
    assert pdf_available() is False
    msg = missing_engine_message()
    assert "跳过 PDF" in msg and "pip install weasyprint" in msg and "apt-get install chromium" in msg
    src = tmp_path / "a.html"
    src.write_text("<p>中文</p>", encoding="utf-8")
    with pytest.raises(PDFError, match="未找到 PDF 引擎"):
        html_to_pdf(src, tmp_path / "a.pdf")
    assert list(tmp_path.iterdir()) == [src]


def test_weasyprint_is_not_imported_by_the_module():
    code = "import sys, hzlib.render.pdf, hzlib.run; print('weasyprint' in sys.modules)"
    assert _run(sys.executable, "-c", code).strip() == "False"


# ---------------------------------------------------------------- fallback engine and exporter


@needs_chromium
@needs_poppler
def test_chromium_fallback_prints_a4_chinese(tmp_path):
    src = tmp_path / "small.html"
    src.write_text(small_page(3), encoding="utf-8")
    with PdfRenderer("chromium") as r:
        r.render(src, tmp_path / "a.pdf")
        r.render(src, tmp_path / "b.pdf")
        assert r.starts == 2  # one browser per PDF: the reason it is only the fallback
    flat = "".join(_run("pdftotext", "-enc", "UTF-8", str(tmp_path / "a.pdf"), "-").split())
    assert "2024年第三季度重点项目建设通报" in flat and "第1页/共1页" in flat
    _, size = page_facts(tmp_path / "a.pdf")
    assert abs(size[0] - A4[0]) < 1.5 and abs(size[1] - A4[1]) < 1.5


@pytest.mark.skipif(not pdf_available(), reason="没有可用的 PDF 引擎")
def test_exporter_keeps_one_renderer_for_many_notebooks():
    from nbformat.v4 import new_markdown_cell, new_notebook

    from hzlib.render.exporter import BulletinPDFExporter

    exporter = BulletinPDFExporter()
    for title in ("第一份通报", "第二份通报", "第三份通报"):
        data, resources = exporter.from_notebook_node(new_notebook(cells=[new_markdown_cell(f"# {title}")]))
        assert data.startswith(b"%PDF-") and resources["output_extension"] == ".pdf"
    renderer = exporter._renderer()
    assert renderer.starts == (1 if renderer.engine == "weasyprint" else 3)
    renderer.close()
