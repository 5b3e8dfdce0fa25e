"""``hz tasks-template`` and ``hz scoring-template`` never overwrite reported values: refused, or
``--merge`` (every filled value kept, new rows added), or ``--force`` (the old file kept in .history/)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.history import snapshots
from hzlib.scoring import load_rules, read_scoring_inputs, scoring_template

TASKS = ["tasks-template", "hanzhong-2022"]
SCORING = ["scoring-template", "ankang-2019"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def fill(path: Path, column: str, values: dict[int, str], drop: list[int] | None = None) -> pd.DataFrame:
    """Type ``values`` into ``column`` (row position → text) as a statistician would, save as UTF-8 with BOM."""
    f = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for i, v in values.items():
        f.loc[i, column] = v
    if drop:
        f = f.drop(index=drop).reset_index(drop=True)
    f.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return f


def table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_tasks_template_refuses_a_filled_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tasks.csv"
    assert run([*TASKS, "--quarter", "2022Q3", "--out", str(out)], capsys)[0] == 0
    fill(out, "完成值", {0: "100", 1: "85"})
    filled = out.read_bytes()
    code, text = run([*TASKS, "--quarter", "2022Q3", "--out", str(out)], capsys)
    assert code == 2 and "Traceback" not in text
    assert f"{out} 已有 2 个填报值，不覆盖" in text and "--merge" in text and "--force" in text and "--out" in text
    assert out.read_bytes() == filled


def test_tasks_template_merge_keeps_values_and_adds_the_new_periods_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tasks.csv"
    assert run([*TASKS, "--quarter", "2022Q2", "--out", str(out)], capsys)[0] == 0
    q2 = fill(out, "完成值", {0: "100", 3: "12"})
    n = len(q2)
    code, text = run([*TASKS, "--quarter", "2022Q3", "--out", str(out), "--merge"], capsys)
    assert code == 0, text
    assert f"新增 {n} 行，保留原有 {n} 行及其中已填的 2 个值（共 {2 * n} 行）" in text
    assert f"原文件中有 {n} 行不在本次模板中" in text and ".history/" in text
    merged = table(out)
    pd.testing.assert_frame_equal(merged.iloc[:n].reset_index(drop=True), q2)  # the filled rows, as they were
    assert set(merged.iloc[n:]["期别"]) == {"2022Q3"} and (merged.iloc[n:]["完成值"] == "").all()
    # merging the same template again adds nothing and keeps everything
    code, text = run([*TASKS, "--quarter", "2022Q3", "--out", str(out), "--merge"], capsys)
    assert code == 0 and "新增 0 行" in text
    pd.testing.assert_frame_equal(table(out), merged)


def test_tasks_template_merge_matches_a_period_written_another_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The office wrote 2022年上半年 where the template wrote 2022Q2: the same rows, nothing added twice."""
    out = tmp_path / "tasks.csv"
    assert run([*TASKS, "--quarter", "2022Q2", "--out", str(out)], capsys)[0] == 0
    f = table(out)
    f["期别"] = "2022年上半年"
    f.loc[0, "完成值"] = "100"
    f.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    code, text = run([*TASKS, "--quarter", "2022Q2", "--out", str(out), "--merge"], capsys)
    assert code == 0 and "新增 0 行" in text, text
    pd.testing.assert_frame_equal(table(out), f)


def test_tasks_template_force_overwrites_and_keeps_the_old_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tasks.csv"
    assert run([*TASKS, "--quarter", "2022Q3", "--out", str(out)], capsys)[0] == 0
    fill(out, "完成值", {0: "100"})
    filled = out.read_bytes()
    code, text = run([*TASKS, "--quarter", "2022Q3", "--out", str(out), "--force"], capsys)
    assert code == 0 and "原文件保存在" in text
    assert (table(out)["完成值"] == "").all()
    [snap] = snapshots(tmp_path)
    assert snap.command == "tasks-template" and (snap.path / "tasks.csv").read_bytes() == filled


def test_scoring_template_refuses_then_merges_keeping_every_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scoring_inputs.csv"
    assert run([*SCORING, "--out", str(out)], capsys)[0] == 0
    total = len(scoring_template(load_rules("ankang-2019")))
    # two values reported; two rows deleted by hand; one row of a unit the rules no longer have
    f = fill(out, "数值", {0: "3", 5: "是"}, drop=[10, 11])
    f = pd.concat([f, pd.DataFrame([{**dict.fromkeys(f.columns, ""), "单位": "旧单位", "输入编号": "media_city", "数值": "4"}])])
    f.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    filled = out.read_bytes()
    code, text = run([*SCORING, "--out", str(out)], capsys)
    assert code == 2 and f"{out} 已有 3 个填报值，不覆盖" in text and out.read_bytes() == filled
    code, text = run([*SCORING, "--out", str(out), "--merge"], capsys)
    assert code == 0, text
    assert f"新增 2 行，保留原有 {total - 1} 行及其中已填的 3 个值（共 {total + 1} 行）" in text and "原文件中有 1 行不在本次模板中" in text
    merged = table(out)
    assert merged.iloc[0]["数值"] == "3" and merged.iloc[5]["数值"] == "是"
    assert (merged["单位"] == "旧单位").sum() == 1 and merged.loc[merged["单位"] == "旧单位", "数值"].tolist() == ["4"]
    keys = set(zip(merged["单位"], merged["输入编号"]))
    assert all((u, i) in keys for u, i in scoring_template(load_rules("ankang-2019"))[["unit", "input_id"]].itertuples(index=False))
    # the merged file still reads (the stray unit is reported by the reader, not dropped)
    r = read_scoring_inputs(out, load_rules("ankang-2019"))
    assert any("旧单位" in p.message for p in r.errors)


def test_a_template_onto_a_blank_template_just_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scoring_inputs.csv"
    assert run([*SCORING, "--out", str(out)], capsys)[0] == 0
    fill(out, "备注", {0: ""})  # saved again by a spreadsheet, nothing reported
    code, text = run([*SCORING, "--out", str(out)], capsys)
    assert code == 0 and "行待填报" in text


def test_an_unreadable_existing_file_is_refused_and_force_keeps_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tasks.csv"
    out.write_bytes(b"\xff\xfe\x00garbage")
    code, text = run([*TASKS, "--out", str(out)], capsys)
    assert code == 2 and "已存在，但读不出表头" in text and "--force" in text and out.read_bytes() == b"\xff\xfe\x00garbage"
    assert run([*TASKS, "--out", str(out), "--force"], capsys)[0] == 0
    [snap] = snapshots(tmp_path)
    assert (snap.path / "tasks.csv").read_bytes() == b"\xff\xfe\x00garbage" and "目标编号" in table(out).columns


def test_merge_and_force_need_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run([*SCORING, "--merge"], capsys)
    assert code == 2 and "--merge、--force 需要与 --out 文件一起使用" in text
