"""``hz import``: an office's workbook into a plan's contract files, checked, atomic, every change told."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import openpyxl
import pytest

from hzlib import history as history_module
from hzlib.cli import main
from hzlib.data import load_data
from hzlib.history import WriteError
from hzlib.ingest import read_ledger, read_progress
from hzlib.ingest.importer import import_workbook
from hzlib.plan import load_plan
from hzlib.report import build_report

CORPUS = Path(__file__).parent / "workbook_corpus"
PLAN = "ankang-2019"


def w(name: str) -> Path:
    return CORPUS / name


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / PLAN
    out.mkdir()
    return out


def files(folder: Path) -> dict[str, bytes]:
    """The data files of ``folder`` (not its .history) and their bytes."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().out


def test_import_writes_clean_contract_files_and_says_what_it_did(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["import", str(w("office_h1.xlsx")), "--plan", PLAN, "--data", str(folder.parent)], capsys)
    assert code == 0, out
    for said in (
        "读取工作表 “1-6月”",
        "合计行 1 行（第4行）",
        "分组标题行 2 行",
        "生成稳定编号 6 个",
        "是否新开工",
        "由项目类别推断",
        "按标题中的“市级重点”",
        "“1-6月完成投资”→ 2019-06",
        "ledger.csv：6 行",
        "progress.csv：6 行",
        "git diff",
    ):
        assert said in out, said
    ledger = read_ledger(folder / "ledger.csv", year=2019)
    assert ledger.ok and ledger.problems == []  # the next run reads clean data
    assert ledger.frame["name"].tolist()[0] == "安康汉江二桥" and ledger.frame["level"].eq("city").all()
    assert ledger.extra["owner"].tolist()[0] == "安康交投公司"  # 建设单位 kept for people, read back as the owner
    progress = read_progress(folder / "progress.csv", year=2019, ledger=ledger)
    assert progress.ok and progress.problems == [] and progress.frame["completed_cum"].sum() == 48100
    header = (folder / "ledger.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("项目编号,项目名称,责任单位,项目级别,项目类别,是否新开工,总投资（万元）") and "投资主体" not in header
    # the plan evaluates on what was written
    loaded = load_data(PLAN, folder.parent, year=2019)
    t = build_report(load_plan(PLAN), loaded.data, "2019Q2").targets.set_index("target_id")
    assert t.loc["city_key_investment", "actual"] == 48100 and t.loc["city_new_start_rate", "actual_count"] == 2


def test_importing_the_same_workbook_again_changes_nothing(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import", str(w("office_h1.xlsx")), "--plan", PLAN, "--data", str(folder)], capsys)[0] == 0
    before = files(folder)
    code, out = run(["import", str(w("office_h1.xlsx")), "--plan", PLAN, "--data", str(folder)], capsys)
    assert code == 0 and "新增项目 0 个，删去 0 个" in out and "数值改变 0 行" in out
    assert files(folder) == before


def test_an_import_with_errors_writes_nothing(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "ledger.csv").write_text("old", encoding="utf-8")
    code, out = run(["import", str(w("text_in_number.xlsx")), "--plan", PLAN, "--data", str(folder)], capsys)
    assert code == 2
    assert "未写入任何文件" in out and "不是数字：“约5000”" in out
    assert (folder / "ledger.csv").read_text(encoding="utf-8") == "old" and not (folder / "progress.csv").exists()


def test_dry_run_writes_nothing(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["import", str(w("office_h1.xlsx")), "--plan", PLAN, "--data", str(folder), "--dry-run"], capsys)
    assert code == 0 and "--dry-run，未写入" in out and list(folder.iterdir()) == []


def test_earlier_months_are_kept_and_changed_figures_listed(folder: Path) -> None:
    import_workbook(w("monthly_snapshots.xlsx"), folder, year=2019, sheet="1-5月", default_level="city")
    may = read_progress(folder / "progress.csv", year=2019).frame
    assert set(may["month"]) == {"2019-05"}
    res = import_workbook(w("office_h1.xlsx"), folder, year=2019)
    assert res.ok and res.written
    both = read_progress(folder / "progress.csv", year=2019).frame
    assert sorted(set(both["month"])) == ["2019-05", "2019-06"] and len(both) == 12
    assert any("保留原有 2019-05 的进度 6 行" in n for n in res.notes)
    # June again, one figure revised: the revision is listed
    wb = openpyxl.load_workbook(w("office_h1.xlsx"))
    wb["1-6月"]["H6"] = 14500
    wb.save(folder.parent / "revised.xlsx")
    res = import_workbook(folder.parent / "revised.xlsx", folder, year=2019)
    assert any("数值改变 1 行" in n for n in res.notes) and any("14000 → 14500 万元" in n for n in res.notes)


def test_a_falling_figure_against_the_folder_is_refused(folder: Path) -> None:
    import_workbook(w("office_h1.xlsx"), folder, year=2019)
    wb = openpyxl.load_workbook(w("monthly_snapshots.xlsx"))
    ws = wb["1-5月"]
    ws.title = "7月"
    ws["A1"] = "2019年安康市市级重点建设项目进度表（1-7月）"
    ws["H3"] = "1-7月完成投资"
    ws["H6"] = 100  # 安康汉江二桥: 14000 by June, 100 by July
    wb.remove(wb["1-6月"])
    wb.save(folder.parent / "july.xlsx")
    before = (folder / "progress.csv").read_bytes()
    res = import_workbook(folder.parent / "july.xlsx", folder, year=2019)
    assert not res.ok and not res.written
    assert [p.row for p in res.problems] == [3] and "从 2019-06 的 14000 万元降到 2019-07 的 100 万元" in res.problems[0].message
    assert (folder / "progress.csv").read_bytes() == before


def test_a_failed_second_write_puts_the_first_file_back(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import_workbook(w("office_h1.xlsx"), folder, year=2019)
    before = files(folder)
    kept = sorted(p.name for p in (folder / ".history").iterdir())
    real = history_module.atomic_write_bytes
    calls = []

    def fail_second(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(history_module, "atomic_write_bytes", fail_second)
    wb = openpyxl.load_workbook(w("office_h1.xlsx"))
    wb["1-6月"]["B6"] = "安康汉江二桥（主桥）"
    wb.save(folder.parent / "renamed.xlsx")
    with pytest.raises(WriteError, match="磁盘空间已满"):
        import_workbook(folder.parent / "renamed.xlsx", folder, year=2019)
    assert files(folder) == before
    assert sorted(p.name for p in (folder / ".history").iterdir()) == kept  # no backup of a write that did not happen


def test_import_reads_the_folder_mapping_and_the_options(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(w("own_words.mapping.yaml"), folder / "mapping.yaml")
    code, out = run(["import", str(w("own_words.xlsx")), "--plan", PLAN, "--data", str(folder)], capsys)
    assert code == 0, out
    ledger = read_ledger(folder / "ledger.csv", year=2019)
    assert ledger.frame["ownership"].tolist() == ["state", "private", "private"]
    # a fresh folder: merged into this one, its new project would lack the 投资主体 the ledger now has (refused)
    other = folder.parent / "other"
    code, out = run(["import", str(w("no_month.csv")), "--plan", PLAN, "--data", str(other), "--month", "2019-06"], capsys)
    assert code == 0 and "2019-06" in out
