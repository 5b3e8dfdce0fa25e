"""End to end: hz run renders a plan to HTML, PDF and Excel, atomically, with provenance."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hzlib.cli import main
from hzlib.render.pdf import chromium_available
from hzlib.run import NOTEBOOK_DIR, check_parameters, run_plan, write_index


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    formats = ("html", "pdf", "xlsx") if chromium_available() else ("html", "xlsx")
    r = run_plan("ankang-2019", "latest", out_dir=out, formats=formats)
    assert r.ok, r.errors
    write_index(out)
    return out


def test_layout_and_manifest(rendered: Path) -> None:
    folder = rendered / "ankang-2019" / "2019Q2"
    for name in ("bulletin.html", "bulletin.xlsx", "manifest.json", "quarterly_report.ipynb", "01_targets.html", "03_projects.html"):
        assert (folder / name).exists(), name
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["quarter"] == "2019Q2" and m["parameters"]["plan"] == "ankang-2019"
    assert len(m["inputs"]["plan"]["sha256"]) == 64 and "data/ledger" in m["inputs"]
    assert m["illustrative"] is True
    index = (rendered / "index.html").read_text(encoding="utf-8")
    assert "ankang-2019/2019Q2/bulletin.html" in index and "安康市" in index


def test_html_is_self_contained_chinese_and_labelled(rendered: Path) -> None:
    html = (rendered / "ankang-2019" / "2019Q2" / "bulletin.html").read_text(encoding="utf-8")
    assert "安康市2019年重点项目建设季度通报" in html
    assert "上半年全部200个重点项目完成投资239.2亿元，占年度计划的48.8%，低于时序进度1.2个百分点" in html
    assert "示意数据" in html
    assert "<script" not in html.lower()
    assert "https://" not in html and "http://" not in html
    assert "&lt;IPython" not in html and "object at 0x" not in html


@pytest.mark.skipif(not chromium_available() or not shutil.which("pdftotext"), reason="needs chromium and poppler-utils")
def test_pdf_has_chinese_text_and_embedded_fonts(rendered: Path) -> None:
    pdf = rendered / "ankang-2019" / "2019Q2" / "bulletin.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "安康市2019年重点项目建设季度通报" in flat
    assert "低于时序进度1.2个百分点" in flat
    assert "第1页" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), fonts
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info


def test_same_inputs_same_excel(rendered: Path, tmp_path: Path) -> None:
    r = run_plan("ankang-2019", "2019Q2", out_dir=tmp_path, formats=("xlsx",))
    assert r.ok, r.errors
    a = (rendered / "ankang-2019" / "2019Q2" / "bulletin.xlsx").read_bytes()
    b = (tmp_path / "ankang-2019" / "2019Q2" / "bulletin.xlsx").read_bytes()
    assert a == b


def test_failed_run_keeps_the_good_report(rendered: Path, tmp_path: Path) -> None:
    good = rendered / "ankang-2019" / "2019Q2" / "bulletin.html"
    before = good.read_bytes()
    bad_data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "ankang-2019", bad_data)
    ledger = bad_data / "ledger.csv"
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(lines + [lines[-1]]))  # a duplicated project id: an error
    r = run_plan("ankang-2019", "2019Q2", out_dir=rendered, formats=("html",), data_dir=str(bad_data))
    assert not r.ok and r.errors
    assert good.read_bytes() == before
    assert not list((rendered / "ankang-2019").glob("*.tmp*"))


def test_misspelt_parameter_is_an_error() -> None:
    with pytest.raises(ValueError, match="没有参数 'qaurter'"):
        check_parameters(NOTEBOOK_DIR / "02_evaluate.ipynb", {"plan": "zhenba-2024", "qaurter": "2024Q2"})
    with pytest.raises(ValueError, match="应为 str"):
        check_parameters(NOTEBOOK_DIR / "02_evaluate.ipynb", {"quarter": 2})


def test_run_refuses_path_like_plan_and_bad_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "../etc", "--quarter", "2019Q2"]) == 2
    assert "不合法" in capsys.readouterr().err
    assert main(["run", "ankang-2019", "--quarter", "2019Q5"]) == 2
    assert "无法识别的期别" in capsys.readouterr().err


def test_script_names_are_escaped_in_tables() -> None:
    import pandas as pd

    from hzlib.report.views import html_table

    df = pd.DataFrame({"项目名称": ["<script>alert(1)</script>"], "责任单位": ["甲县"], "级别": ["市级"]})
    html = html_table(df, narrow=("级别",)).data
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
