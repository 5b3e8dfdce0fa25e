"""End to end: hz run renders a plan to HTML, PDF and Excel, atomically, with provenance;
faults (a failing notebook, an unwritable or full folder, leftovers of a killed run) give one
clear message each. Interrupts are in test_signals.py."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from hzlib.atomicfile import host_tag, owner, remove_leftovers, staging_dir
from hzlib.cli import main
from hzlib.errors import RenderError
from hzlib.paths import NOTEBOOK_DIR, project
from hzlib.render.pdf import chromium_available
from hzlib.run import check_parameters, run_plan, write_index


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


# ---- faults -----------------------------------------------------------------------------
def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_killed_runs_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = dead_pid()
    (tmp_path / f".2019Q2.staging.{dead}.abcd1234").mkdir()
    (tmp_path / f".2019Q2.staging.{dead}.abcd1234" / "bulletin.html").write_text("半成品", encoding="utf-8")
    (tmp_path / ".2019Q1.staging.k2j3h4g5").mkdir()  # written before temp names carried a pid
    (tmp_path / f".index.html.{dead}.x1y2z3.tmp").write_text("半", encoding="utf-8")
    (tmp_path / f".2019Q3.old.{dead}.q1w2e3r4").mkdir()  # moved aside by a run killed before it put the new one
    live = tmp_path / f".2019Q4.staging.{os.getpid()}.zzzz0000"
    live.mkdir()
    here, elsewhere = host_tag(), "0" * 8 if host_tag() != "0" * 8 else "1" * 8
    (tmp_path / f".2020Q1.staging.{dead}-{here}.aaaa1111").mkdir()  # this machine's, process gone
    (tmp_path / f".2020Q2.staging.{dead}-{elsewhere}.bbbb2222").mkdir()  # another machine's: kept
    (tmp_path / f".index.html.{dead}-{elsewhere}.c3d4.tmp").write_text("半", encoding="utf-8")
    mine = tmp_path / f".2020Q3.staging.{owner()}.cccc3333"
    mine.mkdir()
    (tmp_path / "2019Q2.failed").mkdir()
    (tmp_path / ".hidden.txt").write_text("用户的文件", encoding="utf-8")
    removed = {p.name for p in remove_leftovers(tmp_path)}
    assert removed == {
        f".2019Q2.staging.{dead}.abcd1234",
        ".2019Q1.staging.k2j3h4g5",
        f".index.html.{dead}.x1y2z3.tmp",
        f".2020Q1.staging.{dead}-{here}.aaaa1111",
    }
    assert (tmp_path / "2019Q3").is_dir() and live.is_dir() and mine.is_dir() and (tmp_path / ".hidden.txt").exists()
    assert (tmp_path / f".2020Q2.staging.{dead}-{elsewhere}.bbbb2222").is_dir()
    assert {p.name for p in remove_leftovers(tmp_path, own=True)} == {mine.name, live.name}


def test_temporary_names_carry_this_process_and_machine(tmp_path: Path) -> None:
    with staging_dir(tmp_path / "2019Q2") as staging:
        assert staging.name.startswith(f".2019Q2.staging.{os.getpid()}-{host_tag()}.")
        assert remove_leftovers(tmp_path) == []  # a live run's folder is not a leftover
    assert (tmp_path / "2019Q2").is_dir() and [p.name for p in tmp_path.iterdir()] == ["2019Q2"]


def test_a_failing_notebook_is_kept_named_and_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, notebooks, ignore=shutil.ignore_patterns(".*", "kernel-*"))
    nb = nbformat.read(notebooks / "01_targets.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise ValueError("测试用的错误")'))
    nbformat.write(nb, notebooks / "01_targets.ipynb")
    monkeypatch.setattr("hzlib.paths._override", dataclasses.replace(project(), notebook_dir=notebooks))
    out = tmp_path / "reports"
    stale = out / "ankang-2019" / "2019Q2.failed"
    stale.mkdir(parents=True)
    (stale / "03_projects.ipynb").write_text("{}", encoding="utf-8")  # from an earlier run
    dead = dead_pid()
    (out / "ankang-2019" / f".2019Q2.staging.{dead}.abcd1234").mkdir()
    r = run_plan("ankang-2019", "2019Q2", out_dir=out, formats=("html",))
    assert not r.ok and len(r.errors) == 1, r.errors
    assert "01_targets.ipynb" in r.errors[0] and "测试用的错误" in r.errors[0]
    assert "reports/ankang-2019/2019Q2.failed/01_targets.ipynb" in r.errors[0]
    assert sorted(p.name for p in stale.iterdir()) == ["01_targets.ipynb"]  # only the notebook that failed, now
    assert sorted(p.name for p in (out / "ankang-2019").iterdir()) == ["2019Q2.failed"]  # no report, no staging
    assert any("已删除上次中断的运行留下的" in n for n in r.notes)


def test_an_error_before_the_notebooks_is_printed_once_without_a_failed_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "zhenba-2024", "--quarter", "2025Q1", "--out", str(tmp_path)]) == 2  # an input error
    err = capsys.readouterr().err
    assert err.count("不在计划年度") == 1
    assert not list(tmp_path.glob("*/*.failed")) and not list(tmp_path.glob("*/2025Q1"))


def test_an_output_folder_that_cannot_be_made_is_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("不是文件夹", encoding="utf-8")
    assert main(["run", "ankang-2019", "--quarter", "2019Q2", "--out", str(blocker / "sub")]) == 1
    err = capsys.readouterr().err
    assert "无法写入" in err and "路径中有同名文件而不是文件夹" in err and "Traceback" not in err


def test_one_worker_renders_reports_one_after_another_into_a_relative_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``make report`` does: ``--out reports`` relative to where hz runs, several reports per
    worker (the kernel's working folder is the notebooks' after the first report)."""
    from hzlib.runner.worker import Worker

    monkeypatch.chdir(tmp_path)
    with Worker() as w:
        results = [
            run_plan(plan, q, out_dir=Path("reports"), formats=("html",), worker=w) for plan, q in (("ankang-2019", "2019Q2"), ("zhenba-2024", "2024Q2"))
        ]
    assert [r.errors for r in results] == [[], []]
    assert (tmp_path / "reports" / "zhenba-2024" / "2024Q2" / "bulletin.html").is_file()


def test_a_kernel_that_cannot_start_is_one_message_in_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sockets(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("hzlib.kernels.new_kernel_manager", no_sockets)
    r = run_plan("ankang-2019", "2019Q2", out_dir=tmp_path, formats=("html",))
    assert not r.ok and len(r.errors) == 1
    assert "内核启动失败：磁盘空间已满" in r.errors[0]
    assert not (tmp_path / "ankang-2019" / "2019Q2").exists() and not list((tmp_path / "ankang-2019").glob(".*"))


def test_a_full_disk_is_a_render_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    dead = dead_pid()
    (tmp_path / "ankang-2019").mkdir()
    (tmp_path / "ankang-2019" / f".2019Q2.staging.{dead}.abcd1234").mkdir()
    monkeypatch.setattr("hzlib.atomicfile.tempfile.mkdtemp", full)
    monkeypatch.setattr("hzlib.atomicfile.tempfile.mkstemp", full)
    r = run_plan("ankang-2019", "2019Q2", out_dir=tmp_path, formats=("html",))
    assert not r.ok and len(r.errors) == 1 and "磁盘空间已满" in r.errors[0] and "ankang-2019" in r.errors[0]
    assert not (tmp_path / "ankang-2019" / "2019Q2").exists()
    assert not (tmp_path / "ankang-2019" / f".2019Q2.staging.{dead}.abcd1234").exists()  # cleaned before the write failed
    with pytest.raises(RenderError, match=r"无法写入 .*index\.html.*磁盘空间已满"):
        write_index(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_render_error(tmp_path: Path) -> None:
    (tmp_path / "ankang-2019").mkdir()
    tmp_path.chmod(0o555)
    (tmp_path / "ankang-2019").chmod(0o555)
    try:
        r = run_plan("ankang-2019", "2019Q2", out_dir=tmp_path, formats=("html",))
        assert not r.ok and "没有写入权限" in r.errors[0]
        with pytest.raises(RenderError, match="没有写入权限"):
            write_index(tmp_path)
    finally:
        (tmp_path / "ankang-2019").chmod(0o755)
        tmp_path.chmod(0o755)
