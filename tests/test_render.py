"""Tests for hzlib.render (HTML, PDF, Excel, atomic writes, nbconvert exporter) and hzlib.charts_style.

PDF/browser tests skip when Chromium or poppler-utils (pdftotext, pdffonts,
pdfinfo, pdftoppm) are missing. Set HZ_RENDER_KEEP=<folder> to keep the
rendered HTML/PDF/PNG files for looking at them.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from hzlib import charts_style
from hzlib.render import (
    PDFError,
    atomic_write_bytes,
    atomic_write_text,
    chromium_available,
    escape_text,
    html_to_pdf,
    notebook_to_html,
    staging_dir,
    status_html,
    write_tables_xlsx,
)
from hzlib.render.pdf import chromium_command, find_chromium

POPPLER = ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm")
needs_chromium = pytest.mark.skipif(not chromium_available(), reason="未安装 Chromium（apt-get install chromium）")
needs_poppler = pytest.mark.skipif(any(shutil.which(t) is None for t in POPPLER), reason="未安装 poppler-utils（pdftotext/pdffonts/pdfinfo/pdftoppm）")

STATUSES = ["达标", "基本达标", "未达标", "未到期"]


def _keep(path: Path) -> None:
    """Copy an artefact to $HZ_RENDER_KEEP (for manual inspection)."""
    keep = os.environ.get("HZ_RENDER_KEEP")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


# ---------------------------------------------------------------- charts_style


def _chart_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts_style.setup_matplotlib()
    fig, ax = plt.subplots(figsize=(6, 3))
    labels = ["固定资产投资", "重点项目开工率", "民间投资", "−负数"]
    values = [48.8, 80.0, -3.5, 12.0]
    colors = [charts_style.status_color(s) for s in ("met", "near", "missed", "pending")]
    ax.bar(labels, values, color=colors)
    ax.set_title("2024年第三季度 主要指标完成情况")
    ax.set_ylabel("完成率（%）")
    return fig


def _png_bytes(fig) -> bytes:
    return charts_style.savefig(fig, format="png")


def test_setup_matplotlib_finds_cjk_font():
    import matplotlib

    family = charts_style.setup_matplotlib()
    assert family in matplotlib.rcParams["font.sans-serif"]
    assert "CJK" in family or "WenQuanYi" in family or "Source Han" in family
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["figure.dpi"] == 150
    assert matplotlib.rcParams["svg.hashsalt"]


def test_chinese_labels_render_without_missing_glyphs():
    import matplotlib.pyplot as plt

    fig = _chart_figure()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    plt.close(fig)
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert missing == []
    assert buf.getvalue().startswith(b"\x89PNG")


def test_png_output_is_deterministic_and_metadata_free():
    import matplotlib.pyplot as plt

    fig = _chart_figure()
    a = _png_bytes(fig)
    b = _png_bytes(fig)
    plt.close(fig)
    fig2 = _chart_figure()
    c = _png_bytes(fig2)
    plt.close(fig2)
    assert a == b == c
    assert b"matplotlib" not in a.lower()
    svg1 = charts_style.savefig(_chart_figure(), format="svg")
    svg2 = charts_style.savefig(_chart_figure(), format="svg")
    plt.close("all")
    assert svg1 == svg2
    assert b"<dc:date>" not in svg1


def test_savefig_writes_file(tmp_path):
    import matplotlib.pyplot as plt

    fig = _chart_figure()
    data = charts_style.savefig(fig, tmp_path / "sub" / "chart.png")
    plt.close(fig)
    assert (tmp_path / "sub" / "chart.png").read_bytes() == data


def test_status_palette():
    from hzlib.arithmetic import Status

    assert charts_style.status_color(Status.MET) == charts_style.STATUS_COLORS["met"]
    assert charts_style.status_color("near") == charts_style.STATUS_COLORS["near"]
    assert charts_style.status_color(Status.MISSED) == charts_style.STATUS_COLORS["missed"]
    assert charts_style.status_color(Status.NO_DATA) == charts_style.STATUS_COLORS["no_data"]
    assert charts_style.status_color("???") == charts_style.STATUS_COLORS["pending"]
    assert len(set(charts_style.STATUS_COLORS[k] for k in ("met", "near", "missed", "pending"))) == 4
    assert charts_style.STATUS_LABELS["near"] == "基本达标"


def test_missing_cjk_font_gives_install_hint(monkeypatch):
    monkeypatch.setattr(charts_style, "_known_families", lambda: {"DejaVu Sans"})
    monkeypatch.setattr(charts_style, "_scan_font_files", lambda *a, **k: [])
    monkeypatch.setattr(charts_style, "_register_bundled_pypi_font", lambda: None)
    with pytest.raises(charts_style.FontNotFoundError) as err:
        charts_style.setup_matplotlib()
    assert "apt-get install fonts-noto-cjk" in str(err.value)
    assert "fonts-wqy-microhei" in str(err.value)


def test_font_scan_finds_system_cjk_files():
    files = charts_style._scan_font_files()
    if not files:
        pytest.skip("no CJK font files in the system font folders")
    assert all(re.search(r"(CJK|wqy|SourceHan)", Path(f).name, re.I) for f in files)


# ---------------------------------------------------------------- atomic


def test_atomic_write_bytes_and_text(tmp_path):
    target = tmp_path / "a" / "b.bin"
    atomic_write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    atomic_write_text(target, "第二版\n")
    assert target.read_text(encoding="utf-8") == "第二版\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.bin"]


def test_staging_dir_success_replaces(tmp_path):
    final = tmp_path / "reports" / "2024Q3"
    final.mkdir(parents=True)
    (final / "old.txt").write_text("旧")
    with staging_dir(final) as tmp:
        assert tmp.parent == final.parent and tmp != final
        (tmp / "new.txt").write_text("新", encoding="utf-8")
        assert (final / "old.txt").exists()  # untouched while staging
    assert sorted(p.name for p in final.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in final.parent.iterdir()) == ["2024Q3"]


def test_staging_dir_creates_when_absent(tmp_path):
    final = tmp_path / "out"
    with staging_dir(final) as tmp:
        (tmp / "x").write_text("1")
    assert (final / "x").read_text() == "1"


def test_staging_dir_failure_keeps_old(tmp_path):
    final = tmp_path / "2024Q3"
    final.mkdir()
    (final / "old.txt").write_text("旧")
    with pytest.raises(RuntimeError):
        with staging_dir(final) as tmp:
            (tmp / "half.txt").write_text("半")
            raise RuntimeError("boom")
    assert sorted(p.name for p in final.iterdir()) == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024Q3"]


# ---------------------------------------------------------------- HTML


def _table_df(n: int = 80, evil: bool = False) -> pd.DataFrame:
    names = [f"第{i + 1}号项目·某某县高质量发展产业园基础设施建设工程" for i in range(n)]
    if evil:
        names[0] = "<script>alert(1)</script>"
    return pd.DataFrame(
        {
            "项目名称": names,
            "计划投资（亿元）": [round(10 + i * 1.37, 2) for i in range(n)],
            "完成投资（亿元）": [round(5 + i * 0.91, 2) for i in range(n)],
            "完成率（%）": [round(100 * (5 + i * 0.91) / (10 + i * 1.37), 2) for i in range(n)],
            "状态": [STATUSES[i % 4] for i in range(n)],
        }
    )


def _chart_png_b64() -> str:
    import matplotlib.pyplot as plt

    fig = _chart_figure()
    data = charts_style.savefig(fig, format="png")
    plt.close(fig)
    return base64.b64encode(data).decode("ascii")


def _bulletin_notebook(rows: int = 80, evil: bool = False) -> nbformat.NotebookNode:
    df = _table_df(rows, evil=evil)
    return new_notebook(
        cells=[
            new_markdown_cell("# 2024年第三季度高质量项目建设推进情况通报\n\n各县（区）、各有关单位：现将第三季度情况通报如下。"),
            new_markdown_cell("## 一、总体情况\n\n截至9月底，全县完成投资 **239.2 亿元**，完成率 48.81%。"),
            new_code_cell(
                "chart()",
                execution_count=1,
                outputs=[
                    new_output("display_data", data={"image/png": _chart_png_b64(), "text/plain": "<Figure>"}),
                    new_output("stream", name="stderr", text=f"{os.getcwd()}/x.py:1: UserWarning: 警告\n"),
                ],
            ),
            new_markdown_cell("## 二、重点项目完成情况"),
            new_code_cell(
                "table",
                execution_count=2,
                outputs=[
                    new_output(
                        "execute_result",
                        data={"text/html": df.to_html(index=False), "text/plain": df.to_string()},
                        execution_count=2,
                    )
                ],
            ),
            new_code_cell(
                "print(path)",
                execution_count=3,
                outputs=[new_output("stream", name="stdout", text=f"数据文件：{os.getcwd()}/data/plan.csv\n")],
            ),
            new_markdown_cell("## 三、下一步工作\n\n加快推进项目建设。"),
        ]
    )


@pytest.fixture(scope="module")
def bulletin_html() -> str:
    return notebook_to_html(_bulletin_notebook(), title="2024年第三季度通报")


def test_html_self_contained(bulletin_html):
    h = bulletin_html
    assert h.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in h
    assert "<title>2024年第三季度通报</title>" in h
    assert "<script" not in h.lower()
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", h, re.I)
    assert "cdnjs" not in h and "mathjax" not in h.lower()
    assert "@import" not in h
    # every src/href is inline data or an in-page anchor
    for ref in re.findall(r"\b(?:src|href)\s*=\s*\"([^\"]*)\"", h):
        assert ref.startswith(("data:", "#")), ref
    assert "data:image/png;base64," in h


def test_html_has_bulletin_css(bulletin_html):
    h = bulletin_html
    assert "Noto Sans CJK SC" in h and "WenQuanYi Micro Hei" in h
    assert "size: A4" in h and "@bottom-center" in h and "counter(pages)" in h
    assert "display: table-header-group" in h
    assert ".status-met" in h and ".status-near" in h and ".status-missed" in h and ".status-pending" in h
    assert "jp-InputPrompt" not in h.split("</style>")[1]  # no inputs/prompts in body


def test_html_content_classes_and_no_inputs(bulletin_html):
    h = bulletin_html
    assert "2024年第三季度高质量项目建设推进情况通报" in h
    assert "chart()" not in h and "print(path)" not in h  # inputs excluded
    assert 'class="num"' in h
    assert '<td class="status-met">达标</td>' in h
    assert '<td class="status-near">基本达标</td>' in h
    assert '<td class="status-missed">未达标</td>' in h
    assert '<td class="status-pending">未到期</td>' in h
    assert "UserWarning" not in h  # stderr dropped


def test_html_has_no_absolute_paths(bulletin_html):
    h = bulletin_html
    for p in {os.getcwd(), str(Path.home()), sys.prefix, tempfile.gettempdir()}:
        assert p + "/" not in h, p
    assert "数据文件：…/data/plan.csv" in h


def test_strip_volatile_keeps_inline_data_and_other_paths():
    from hzlib.render.html import _postprocess, strip_volatile

    tmp = tempfile.gettempdir()
    h = f'<img src="data:image/png;base64,AAA+{tmp}/xy=="><p>见 {tmp}/abc/x.csv 与 {tmp}x 和 a.com{tmp}</p>'
    out = _postprocess(h, ())
    assert f"base64,AAA+{tmp}/xy==" in out
    assert "见 …/abc/x.csv" in out and f"{tmp}x" in out and f"a.com{tmp}" in out
    assert strip_volatile("/srv/hz/data/a.csv", ("/srv/hz",)) == "…/data/a.csv"


def test_html_is_deterministic():
    nb = _bulletin_notebook(rows=5)
    assert notebook_to_html(nb, title="通报") == notebook_to_html(nb, title="通报")


def test_html_from_path(tmp_path):
    path = tmp_path / "report.ipynb"
    nbformat.write(_bulletin_notebook(rows=3), path)
    h = notebook_to_html(path, title="路径通报")
    assert "<title>路径通报</title>" in h
    assert str(tmp_path) not in h


def test_data_from_tables_is_escaped():
    nb = _bulletin_notebook(rows=3, evil=True)
    h = notebook_to_html(nb, title="<b>标题</b>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in h
    assert "<script>alert" not in h
    assert "<title>&lt;b&gt;标题&lt;/b&gt;</title>" in h


def test_raw_script_outputs_are_removed():
    nb = new_notebook(
        cells=[
            new_code_cell(
                "x",
                outputs=[
                    new_output("display_data", data={"text/html": "<p>正文</p><script>alert(2)</script>"}),
                    new_output("display_data", data={"application/javascript": "alert(3)"}),
                ],
            )
        ]
    )
    h = notebook_to_html(nb, title="t")
    assert "<p>正文</p>" in h and "alert(" not in h


def test_escape_text_and_status_html():
    assert escape_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape_text("a\"b'c&") == "a&quot;b&#x27;c&amp;"
    assert escape_text(None) == ""
    assert escape_text(3.5) == "3.5"
    from hzlib.arithmetic import Status

    assert status_html(Status.NEAR) == '<span class="status-near">基本达标</span>'
    assert status_html("no_data") == '<span class="status-pending">无数据</span>'


# ---------------------------------------------------------------- PDF


def test_pdf_error_when_no_browser(monkeypatch, tmp_path):
    monkeypatch.setenv("HZ_PDF_ENGINE", "chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("HZ_CHROMIUM", raising=False)
    assert find_chromium() is None
    assert chromium_available() is False
    html = tmp_path / "a.html"
    html.write_text("<p>中文</p>", encoding="utf-8")
    with pytest.raises(PDFError) as err:
        html_to_pdf(html, tmp_path / "a.pdf")
    assert "apt-get install chromium fonts-noto-cjk" in str(err.value)
    assert "Chromium" in str(err.value)
    assert not (tmp_path / "a.pdf").exists()


def test_hz_chromium_env_is_preferred(monkeypatch, tmp_path):
    fake = tmp_path / "mybrowser"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("HZ_PDF_ENGINE", "chromium")
    monkeypatch.setenv("HZ_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)
    html = tmp_path / "a.html"
    html.write_text("<p>中文</p>", encoding="utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-old")
    with pytest.raises(PDFError, match="退出码 3"):
        html_to_pdf(html, tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF-old"  # old file untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.pdf", "mybrowser"]


def test_non_pdf_output_is_rejected(monkeypatch, tmp_path):
    fake = tmp_path / "fakebrowser"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do case $a in --print-to-pdf=*) echo junk > "${a#--print-to-pdf=}";; esac; done\n')
    fake.chmod(0o755)
    monkeypatch.setenv("HZ_PDF_ENGINE", "chromium")
    monkeypatch.setenv("HZ_CHROMIUM", str(fake))
    html = tmp_path / "a.html"
    html.write_text("<p>中文</p>", encoding="utf-8")
    with pytest.raises(PDFError, match="不是 PDF"):
        html_to_pdf(html, tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


def _run(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def bulletin_pdf(tmp_path_factory, bulletin_html) -> Path:
    if not chromium_available():
        pytest.skip("未安装 Chromium（apt-get install chromium）")
    d = tmp_path_factory.mktemp("pdf")
    html = d / "bulletin.html"
    html.write_text(bulletin_html, encoding="utf-8")
    pdf = html_to_pdf(html, d / "bulletin.pdf")
    _keep(html)
    _keep(pdf)
    return pdf


@needs_chromium
@needs_poppler
def test_pdf_text_fonts_pages(bulletin_pdf):
    pdf = bulletin_pdf
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = _run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"])
    flat = re.sub(r"\s+", "", text)
    assert "2024年第三季度高质量项目建设推进情况通报" in flat
    assert "第80号项目" in flat and "基本达标" in flat and "完成投资（亿元）" in flat
    # page numbers from the CSS @page margin box (pdftotext drops the spaces around numbers)
    info = _run(["pdfinfo", str(pdf)])
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2, "80 rows should span pages"
    assert "第1页/共" in flat and f"第{pages}页/共{pages}页" in flat
    # A4 = 595.28 x 841.89 pt
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(w - 595.28) < 1.5 and abs(h - 841.89) < 1.5
    # fonts: all embedded. Skia embeds CFF-based OpenType fonts (Noto Sans CJK is CFF)
    # and synthetic bold as Type 3 fonts without a name, TrueType (WenQuanYi) as named CID fonts.
    rows = _run(["pdffonts", str(pdf)]).splitlines()[2:]
    assert rows, "no fonts in PDF"
    for row in rows:
        m = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row)
        assert m and m.group(1) == "yes", f"font not embedded: {row}"
        assert m.group(3) == "yes", f"font without ToUnicode (text not extractable): {row}"
    named = [r.split()[0] for r in rows if not r.startswith("[none]")]
    assert all(re.search(r"CJK|WenQuanYi|SourceHan|Noto", n, re.I) for n in named), named


@needs_chromium
@needs_poppler
def test_pdf_pages_render_to_png(bulletin_pdf, tmp_path):
    _run(["pdftoppm", "-r", "60", "-png", str(bulletin_pdf), str(tmp_path / "page")])
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) >= 2
    for p in pngs:
        assert p.read_bytes().startswith(b"\x89PNG")
        _keep(p)


@needs_chromium
def test_pdf_is_replaced_atomically(tmp_path):
    html = tmp_path / "a.html"
    html.write_text("<html lang='zh-CN'><body><p>第一版</p></body></html>", encoding="utf-8")
    out = tmp_path / "out" / "a.pdf"
    html_to_pdf(html, out)
    first = out.read_bytes()
    html.write_text("<html lang='zh-CN'><body><p>第二版 更长的内容</p></body></html>", encoding="utf-8")
    html_to_pdf(html, out)
    assert out.read_bytes() != first and out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in out.parent.iterdir()] == ["a.pdf"]


@needs_chromium
def test_chromium_loads_html_without_errors(tmp_path, bulletin_html):
    """Load the bulletin in headless Chromium and check, inside the browser, that it is clean.

    A probe script (added to a copy only; the bulletin has none) records after the
    load event: uncaught errors, every resource fetched (Resource Timing API: must be
    none, images are data: URIs), images that failed to decode, and the document
    language/title. ``--dump-dom`` prints the DOM with the probe's result; Chromium's
    console log on stderr (``--enable-logging=stderr``) must have no "Uncaught",
    "ERR_" or "Failed to load resource" line mentioning our page.
    """
    probe = """
<script>
window.__hzErrors = [];
window.addEventListener('error', e => window.__hzErrors.push(String(e.message || e.type)), true);
window.addEventListener('load', () => {
  const imgs = Array.from(document.images);
  const bad = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length;
  const res = performance.getEntriesByType('resource').map(r => r.name).filter(n => !n.startsWith('data:'));
  const out = document.createElement('pre');
  out.id = 'hz-probe';
  out.textContent = JSON.stringify({errors: window.__hzErrors, images: imgs.length, badImages: bad,
    resources: res, lang: document.documentElement.lang, title: document.title,
    tables: document.querySelectorAll('table').length});
  document.body.appendChild(out);
});
</script>"""
    page = tmp_path / "probe.html"
    page.write_text(bulletin_html.replace("<head>", "<head>" + probe, 1), encoding="utf-8")
    exe = find_chromium()
    with tempfile.TemporaryDirectory() as profile:
        cmd = chromium_command(exe, profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
        proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="hz-probe">(.*?)</pre>', proc.stdout, re.S)
    assert m, "probe did not run: " + proc.stderr[-2000:]
    import html as _h
    import json

    result = json.loads(_h.unescape(m.group(1)))
    assert result["errors"] == []
    assert result["resources"] == []
    assert result["images"] >= 1 and result["badImages"] == 0
    assert result["lang"] == "zh-CN" and result["title"] == "2024年第三季度通报"
    assert result["tables"] == 1
    bad_lines = [ln for ln in proc.stderr.splitlines() if re.search(r"Uncaught|ERR_|Failed to load resource", ln) and ("probe.html" in ln or "CONSOLE" in ln)]
    assert bad_lines == []


@needs_chromium
def test_chromium_probe_detects_problems(tmp_path):
    """The console check above is not vacuous: a broken page is caught."""
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>undefined_fn()</script><p>坏页面</p></body></html>", encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        cmd = chromium_command(find_chromium(), profile, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
        proc = subprocess.run(cmd, capture_output=True, text=True)
    assert any("Uncaught" in ln and "bad.html" in ln for ln in proc.stderr.splitlines())


# ---------------------------------------------------------------- nbconvert exporter


@needs_chromium
def test_nbconvert_to_hzpdf(tmp_path):
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 测试通报\n\n这是中文段落。"),
            new_code_cell(
                "print('完成投资 12.5 亿元')",
                execution_count=1,
                outputs=[new_output("stream", name="stdout", text="完成投资 12.5 亿元\n")],
            ),
        ]
    )
    src = tmp_path / "tiny.ipynb"
    nbformat.write(nb, src)
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists():
        pytest.skip("jupyter not installed next to this Python")
    proc = subprocess.run([str(jupyter), "nbconvert", "--to", "hzpdf", str(src)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    pdf = tmp_path / "tiny.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        flat = re.sub(r"\s+", "", _run(["pdftotext", str(pdf), "-"]))
        assert "测试通报" in flat and "这是中文段落" in flat and "完成投资12.5亿元" in flat
        assert "第1页/共1页" in flat


def test_exporter_registered():
    from nbconvert.exporters import get_exporter

    from hzlib.render.exporter import ChromiumPDFExporter

    cls = get_exporter("hzpdf")
    assert cls is ChromiumPDFExporter
    assert cls().file_extension == ".pdf"
    assert cls.output_mimetype == "application/pdf"


# ---------------------------------------------------------------- Excel


def _xlsx_tables() -> dict[str, pd.DataFrame]:
    df = pd.DataFrame(
        {
            "项目名称": ["甲项目", "乙项目某某县高质量发展产业园基础设施建设工程"],
            "完成投资（亿元）": [12.5, 3.0],
            "项目数（个）": [3, 4],
            "完成率（%）": [48.815, 100.0],
            "状态": ["达标", "未达标"],
        }
    )
    return {
        "一、完成情况": df,
        "项目/进度:[一季度]*?": df.head(1),
        "一、完成情况 ": df,
        "很长的表名" * 10: df,
    }


def test_write_tables_xlsx(tmp_path):
    import openpyxl

    out = tmp_path / "tables.xlsx"
    write_tables_xlsx(_xlsx_tables(), out, title="2024年第三季度通报附表")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["一、完成情况", "项目进度一季度", "一、完成情况(2)"]
    assert len(wb.sheetnames[3]) == 31
    assert all(not re.search(r"[\[\]:*?/\\]", n) for n in wb.sheetnames)
    assert wb.properties.title == "2024年第三季度通报附表"
    ws = wb["一、完成情况"]
    assert [c.value for c in ws[1]] == ["项目名称", "完成投资（亿元）", "项目数（个）", "完成率（%）", "状态"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws["B2"].value == 12.5 and isinstance(ws["B2"].value, float)
    assert ws["C2"].value == 3 and ws["C2"].data_type == "n"
    assert ws["D2"].value == 48.82 and ws["D2"].number_format == "0.00" and ws["D2"].data_type == "n"
    assert ws["D3"].value == 100 and ws["D3"].number_format == "0.00"
    assert ws["E2"].value == "达标"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths["A"] > widths["E"] and widths["A"] >= 2 * len("乙项目某某县高质量发展产业园基础设施建设工程")
    assert [p.name for p in tmp_path.iterdir()] == ["tables.xlsx"]


def test_write_tables_xlsx_deterministic(tmp_path):
    import datetime as dt

    import openpyxl

    write_tables_xlsx(_xlsx_tables(), tmp_path / "a.xlsx")
    write_tables_xlsx(_xlsx_tables(), tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.properties.created == dt.datetime(2000, 1, 1)
    assert wb.properties.modified == dt.datetime(2000, 1, 1)
    when = dt.datetime(2024, 10, 8, 9, 30)
    write_tables_xlsx(_xlsx_tables(), tmp_path / "c.xlsx", when=when)
    assert openpyxl.load_workbook(tmp_path / "c.xlsx").properties.modified == when
    with zipfile.ZipFile(tmp_path / "c.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 10, 8, 9, 30, 0)}


def test_write_tables_xlsx_handles_missing_values(tmp_path):
    import numpy as np
    import openpyxl

    from hzlib.arithmetic import Status

    df = pd.DataFrame({"指标": ["甲", "乙"], "值（亿元）": [np.nan, np.int64(7)], "状态": [Status.MET, None]})
    write_tables_xlsx({"缺失值": df}, tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "m.xlsx")["缺失值"]
    assert ws["B2"].value is None and ws["B3"].value == 7
    assert ws["C2"].value == "达标" and ws["C3"].value is None
    with pytest.raises(ValueError):
        write_tables_xlsx({}, tmp_path / "empty.xlsx")


@given(st.lists(st.one_of(st.none(), st.floats(min_value=-60, max_value=200)), min_size=1, max_size=9))
def test_a_growth_axis_shows_every_value_and_is_never_a_magnifying_glass(values: list[float | None]) -> None:
    from hzlib.charts import GROWTH_MIN_SPAN_PP, growth_axis_limits

    lo, hi = growth_axis_limits(values)
    assert hi - lo >= GROWTH_MIN_SPAN_PP
    assert all(lo < v < hi for v in values if v is not None)


def test_a_small_change_in_growth_is_drawn_small() -> None:
    """汉中 2023: 10.3%, 10.3%, 10.1% once filled the whole height of the chart."""
    from hzlib import charts

    with charts_style.chart_style():
        fig = charts.growth_chart("固定资产投资", [10.3, 10.3, 10.1], [None] * 4, None, 3)
    lo, hi = fig.axes[0].get_ylim()
    assert (10.3 - 10.1) / (hi - lo) < 0.05
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][1:3] == ["7", "8"]


def test_required_growth_is_not_drawn_as_a_continuation_of_the_cumulative_line() -> None:
    """The growth still needed is over the remaining quarters (not cumulative): markers at Q4 only."""
    from hzlib import charts

    with charts_style.chart_style():
        fig = charts.growth_chart("固定资产投资", [8.6, 8.5, 8.9], [12, 12, 12, 12], 20.4, 3)
    needed = [ln for ln in fig.axes[0].get_lines() if "需增长" in str(ln.get_label())]
    assert len(needed) == 1 and list(needed[0].get_xdata()) == [4] and needed[0].get_linestyle() == "None"
    assert "非累计" in str(needed[0].get_label())


def test_the_target_tables_text_columns_keep_a_readable_width() -> None:
    from hzlib.report import views
    from hzlib.report.notebook import open_report

    head = views.targets_view(open_report("xian-port-2023", "2023Q3")).data.split("</thead>")[0]
    assert '<th style="min-width: 6em">口径</th>' in head and '<th style="min-width: 9em">说明</th>' in head
