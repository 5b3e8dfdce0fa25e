"""``hz import`` merges and never loses data; every write keeps a backup that ``--undo`` restores;
a workbook of another year, place or units is refused; ``hz validate-data FOLDER`` checks each file."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from hzlib import history as history_module
from hzlib.cli import main
from hzlib.data import load_data
from hzlib.ingest import read_ledger, read_progress
from hzlib.inputs import input_files
from hzlib.paths import DATA_DIR

CORPUS = Path(__file__).parent / "workbook_corpus"
PLAN = "ankang-2019"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def imp(capsys: pytest.CaptureFixture[str], book: Path, folder: Path, *more: str) -> tuple[int, str]:
    return run(["import", str(book), "--plan", PLAN, "--data", str(folder), *more], capsys)


@pytest.fixture
def h1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A folder holding what office_h1.xlsx (6 projects, 2019-06) imports to."""
    folder = tmp_path / "h1"
    assert imp(capsys, CORPUS / "office_h1.xlsx", folder)[0] == 0
    return folder


@pytest.fixture
def ankang(tmp_path: Path) -> Path:
    """A copy of the bundled data folder (200 projects, progress 2019-01..06)."""
    folder = tmp_path / PLAN
    shutil.copytree(DATA_DIR / PLAN, folder)
    return folder


def edited(src: Path, out: Path, cells: dict[str, object], sheet: str = "1-6月") -> Path:
    wb = openpyxl.load_workbook(src)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(out)
    return out


def test_one_countys_sheet_updates_its_projects_and_keeps_every_other(h1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before_ledger = read_ledger(h1 / "ledger.csv", year=2019).frame.set_index("project_id")
    before_progress = read_progress(h1 / "progress.csv", year=2019).frame.set_index("project_id")
    # per_county.xlsx: 汉滨区, 汉阴县, 平利县 (3 of the 6 projects); 汉滨区's bridge revised to 15000
    book = edited(CORPUS / "per_county.xlsx", tmp_path / "counties.xlsx", {"G4": 15000}, sheet="汉滨区")
    code, out = imp(capsys, book, h1)
    assert code == 0, out
    assert "合并后 6 行（新增项目 0 个，删去 0 个；更新 3 个，本表没有的 3 个项目保留）" in out
    assert "本表没有的 3 个项目及其进度保留不变（确需删去时加 --replace）" in out
    assert "2019-06 原有 3 行由本表替换，其中数值改变 1 行" in out and "14000 → 15000 万元" in out
    after = read_ledger(h1 / "ledger.csv", year=2019).frame.set_index("project_id")
    progress = read_progress(h1 / "progress.csv", year=2019).frame.set_index("project_id")
    assert list(after.index) == list(before_ledger.index)  # nothing lost, same order
    untouched = [i for i in after.index if after.loc[i, "unit"] not in ("汉滨区", "汉阴县", "平利县")]
    assert len(untouched) == 3
    pd.testing.assert_frame_equal(after.loc[untouched], before_ledger.loc[untouched])
    assert progress.loc[untouched, "completed_cum"].tolist() == before_progress.loc[untouched, "completed_cum"].tolist()
    assert progress["completed_cum"].sum() == 48100 + 1000


def test_an_offices_ledger_xlsx_in_the_folder_is_merged_not_shadowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The folder holds the office's own sheet as ledger.xlsx (6 projects, progress to 2019-06): a county's sheet
    merges into it; the ledger.csv written holds all six, so nothing the readers read before is lost."""
    folder = tmp_path / "xlsx"
    folder.mkdir()
    shutil.copy(CORPUS / "office_h1.xlsx", folder / "ledger.xlsx")
    book = edited(CORPUS / "per_county.xlsx", tmp_path / "counties.xlsx", {"G4": 15000}, sheet="汉滨区")
    code, out = imp(capsys, book, folder)
    assert code == 0, out
    assert "目录中的 ledger.xlsx（单位原表）与本表合并写入 ledger.csv" in out and "本表没有的 3 个项目保留" in out
    assert (folder / "ledger.xlsx").read_bytes() == (CORPUS / "office_h1.xlsx").read_bytes()
    loaded = load_data(PLAN, folder, year=2019)
    assert len(loaded.data.ledger) == 6 and loaded.data.progress["completed_cum"].sum() == 48100 + 1000


def test_an_older_months_sheet_adds_its_month_and_keeps_the_newer(h1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    june = read_progress(h1 / "progress.csv", year=2019).frame
    code, out = imp(capsys, CORPUS / "monthly_snapshots.xlsx", h1, "--sheet", "1-5月")
    assert code == 0, out
    assert "保留原有 2019-06 的进度 6 行" in out and "新增进度 6 行" in out
    both = read_progress(h1 / "progress.csv", year=2019).frame
    assert sorted(set(both["month"])) == ["2019-05", "2019-06"] and len(both) == 12
    assert both[both["month"] == "2019-06"]["completed_cum"].sum() == june["completed_cum"].sum() == 48100


def test_replace_is_an_explicit_choice_listed_before_anything_is_written(h1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(h1)
    code, out = imp(capsys, CORPUS / "per_county.xlsx", h1, "--replace", "--dry-run")
    assert code == 0 and "--replace：删去本表没有的 3 个项目" in out and "--replace：删去这些项目的进度 3 行" in out
    assert "--dry-run，未写入" in out and files(h1) == before
    code, out = imp(capsys, CORPUS / "per_county.xlsx", h1, "--replace")
    assert code == 0, out
    assert len(read_ledger(h1 / "ledger.csv", year=2019).frame) == 3
    assert len(read_progress(h1 / "progress.csv", year=2019).frame) == 3


def test_a_sheet_without_ids_updates_the_ledgers_projects_by_name_and_unit(ankang: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled ledger: 200 projects with 项目编号; the office's sheet names two of them without one."""
    old_ledger = read_ledger(ankang / "ledger.csv", year=2019).frame.set_index("project_id")
    old_progress = read_progress(ankang / "progress.csv", year=2019).frame
    sheet = tmp_path / "two.csv"
    sheet.write_text(
        "项目名称,责任单位,项目类别,总投资,年度计划投资,1-6月完成投资\n"
        "汉滨区变电站新建工程项目（二期）,汉滨区,开工,47618,21000,7000\n"
        "汉滨区商贸综合体项目,汉滨区,开工,,98746,51878.45\n",
        encoding="utf-8",
    )
    code, out = imp(capsys, sheet, ankang)
    assert code == 0, out
    assert "2 个项目按项目名称和责任单位对应到台账原有的项目编号" in out
    assert "合并后 200 行（新增项目 0 个，删去 0 个；更新 2 个，本表没有的 198 个项目保留）" in out
    assert "更新的项目中 1 个值改变" in out and "AK2019-0001 [年度计划投资（万元）]：20696 → 21000" in out
    assert "本表留空的 1 个单元格保留台账原有的值" in out  # 总投资 of AK2019-0002 left blank in the sheet
    assert "2019-06 原有 2 行由本表替换，其中数值改变 1 行" in out and "AK2019-0001 2019-06：6743.36 → 7000 万元" in out
    new_ledger = read_ledger(ankang / "ledger.csv", year=2019).frame.set_index("project_id")
    assert new_ledger.loc["AK2019-0001", "annual_plan"] == 21000 and new_ledger.loc["AK2019-0002", "total_investment"] == 339061
    expected = old_ledger.copy()
    expected.loc["AK2019-0001", "annual_plan"] = 21000
    pd.testing.assert_frame_equal(new_ledger, expected)  # one figure changed, every other kept (the level read from the plan did not overwrite)
    new_progress = read_progress(ankang / "progress.csv", year=2019).frame
    assert len(new_progress) == len(old_progress) == 1200
    changed = new_progress.merge(old_progress, on=["project_id", "month"], suffixes=("", "_old"))
    diff = changed[changed["completed_cum"] != changed["completed_cum_old"]]
    assert diff[["project_id", "month", "completed_cum_old", "completed_cum"]].values.tolist() == [["AK2019-0001", "2019-06", 6743.36, 7000.0]]
    load_data(PLAN, ankang, year=2019)  # the folder still reads


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        ({"A1": "2023年安康市市级重点建设项目进度表（1-6月）"}, "标题写的是 2023 年，而计划（或 --year）是 2019 年，本表不导入"),
        ({"A1": "2019年汉中市市级重点建设项目进度表（1-6月）"}, "标题写的是“汉中市”，而计划 ankang-2019 是安康市的计划"),
        ({"H3": "2023年1-6月完成投资"}, "累计完成投资截至 2023-06，不在计划年度 2019 年内：本表不导入"),
        ({"D7": "南郑区"}, "单位“南郑区”（第7行）不是计划 ankang-2019 的单位"),
    ],
)
def test_a_workbook_of_another_year_place_or_unit_is_refused(
    h1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cells: dict[str, object], said: str
) -> None:
    before = files(h1)
    code, out = imp(capsys, edited(CORPUS / "office_h1.xlsx", tmp_path / "other.xlsx", cells), h1)
    assert code == 2 and said in out and "未写入任何文件" in out, out
    assert files(h1) == before


def test_a_new_project_lacking_a_column_the_ledger_requires_is_refused(ankang: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(ankang)
    code, out = imp(capsys, CORPUS / "per_county.xlsx", ankang)
    assert code == 2 and "本表有 3 个台账中没有的新项目" in out and "台账有“投资主体”列而本表没有这一列" in out
    assert "（工作表“汉滨区”第4行、工作表“汉阴县”第4行、工作表“平利县”第4行：安康汉江二桥" in out
    assert files(ankang) == before


def test_import_then_undo_gives_back_the_same_bytes(ankang: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = files(ankang)
    sheet = tmp_path / "one.csv"
    sheet.write_text(
        "项目名称,责任单位,项目类别,总投资,年度计划投资,1-6月完成投资\n汉滨区变电站新建工程项目（二期）,汉滨区,开工,47618,20696,7000\n", encoding="utf-8"
    )
    code, out = imp(capsys, sheet, ankang)
    assert code == 0 and "备份：被替换的文件（ledger.csv、progress.csv）保存在" in out and "撤销：hz import --undo --plan ankang-2019 --data" in out
    kept = [p for p in (ankang / ".history").iterdir()]
    assert len(kept) == 1 and kept[0].name.endswith("-import")
    assert (kept[0] / "ledger.csv").read_bytes() == original["ledger.csv"]
    assert files(ankang) != original
    code, out = run(["import", "--undo", "--plan", PLAN, "--data", str(ankang)], capsys)
    assert code == 0 and "恢复 ledger.csv" in out and "恢复 progress.csv" in out, out
    assert files(ankang) == original
    code, out = run(["import", "--undo", "--plan", PLAN, "--data", str(ankang)], capsys)
    assert code == 2 and "没有可撤销的写入" in out and "Traceback" not in out


def test_each_undo_goes_one_write_further_back(h1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = files(h1)
    assert imp(capsys, CORPUS / "monthly_snapshots.xlsx", h1, "--sheet", "1-5月")[0] == 0
    second = files(h1)
    assert imp(capsys, edited(CORPUS / "office_h1.xlsx", tmp_path / "rev.xlsx", {"H6": 14500}), h1)[0] == 0
    assert files(h1) != second
    assert run(["import", "--undo", "--plan", PLAN, "--data", str(h1)], capsys)[0] == 0
    assert files(h1) == second
    assert run(["import", "--undo", "--plan", PLAN, "--data", str(h1)], capsys)[0] == 0
    assert files(h1) == first
    code, out = run(["import", "--undo", "--plan", PLAN, "--data", str(h1)], capsys)
    assert code == 0 and "删去 ledger.csv（该次写入新建的文件）" in out  # the very first import created the files
    assert files(h1) == {}


def test_an_undo_whose_backup_was_deleted_changes_nothing(h1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert imp(capsys, CORPUS / "monthly_snapshots.xlsx", h1, "--sheet", "1-5月")[0] == 0
    [snap] = [s for s in history_module.snapshots(h1) if "progress.csv" in s.replaced]
    (snap.path / "progress.csv").unlink()
    before = files(h1)
    code, out = run(["import", "--undo", "--plan", PLAN, "--data", str(h1)], capsys)
    assert code == 2 and "缺少备份文件 progress.csv，无法撤销；没有改动任何文件" in out
    assert files(h1) == before


def test_the_history_is_never_read_as_data(ankang: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "one.csv"
    sheet.write_text("项目名称,责任单位,总投资,年度计划投资,1-6月完成投资\n汉滨区商贸综合体项目,汉滨区,339061,98746,52000\n", encoding="utf-8")
    assert imp(capsys, sheet, ankang)[0] == 0
    assert (ankang / ".history").is_dir()
    assert not any(".history" in p.parts for p in input_files(PLAN, ankang).values())


def test_importing_into_a_folder_that_refuses_writes_is_one_line(
    h1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(h1)

    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(history_module, "atomic_write_bytes", refuse)
    code, out = imp(capsys, edited(CORPUS / "office_h1.xlsx", tmp_path / "rev.xlsx", {"H6": 14500}), h1)
    assert code == 2 and "Traceback" not in out
    assert "无法写入" in out and "progress.csv：权限不足" in out and "没有改动任何文件" in out
    assert files(h1) == before and len(list((h1 / ".history").iterdir())) == 1  # only the first import's backup


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_importing_into_a_read_only_folder(h1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(h1)
    os.chmod(h1, 0o555)
    try:
        code, out = imp(capsys, edited(CORPUS / "office_h1.xlsx", tmp_path / "rev.xlsx", {"H6": 14500}), h1)
    finally:
        os.chmod(h1, 0o755)
    assert code == 2 and "权限不足" in out and files(h1) == before


def test_validate_data_on_a_folder_checks_each_file(ankang: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["validate-data", str(ankang), "--plan", PLAN], capsys)
    assert code == 0, out
    assert f"{ankang} 是文件夹：逐个检查其中的数据文件 ledger.csv、progress.csv、indicators.csv、profiles.csv、tasks.csv" in out
    assert "✓ ledger.csv（项目台账）" in out and "✓ tasks.csv（任务完成情况）" in out and "结论：5 个文件，0 个有错误" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out = run(["validate-data", str(empty)], capsys)
    assert code == 2 and "是文件夹，其中没有数据文件" in out and "Traceback" not in out
