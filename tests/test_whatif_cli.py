"""hz whatif: table, csv, json and xlsx agree with the comparison model; bad inputs get located messages."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from test_whatif_scenario import BAD_GROWTH_STRINGS  # the same bad strings as the parser's own tests

from hzlib.cli import build_parser, main
from hzlib.whatif.compare import COMPARE_COLUMNS, WhatIf
from hzlib.whatif.load import load_whatif
from hzlib.whatif.views import compare_zh, excel_tables, new_starts_zh

CORPUS = Path(__file__).parent / "scenario_corpus"
ARGS = ["whatif", "zhenba-2024", "--quarter", "2024Q2", "--scenario", "q3-slow", "--assume", "Q3=6%,Q4=10%"]


@pytest.fixture(scope="module")
def model() -> WhatIf:
    return load_whatif("zhenba-2024", "2024Q2", scenarios=["q3-slow"], assume=["Q3=6%,Q4=10%"])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_whatif_is_a_subcommand() -> None:
    parser = build_parser()
    args = parser.parse_args(ARGS)
    assert args.command == "whatif" and args.scenario == ["q3-slow"] and args.assume == ["Q3=6%,Q4=10%"]


def test_table_shows_the_model(capsys: pytest.CaptureFixture[str], model: WhatIf) -> None:
    code, out, _ = run(capsys, *ARGS)
    assert code == 0
    assert "情景1（情景假设）：三季度投资放缓" in out and "情景2（情景假设）：增速假设 Q3=6%,Q4=10%" in out
    d = compare_zh(model)
    fai = d[d["目标"] == "固定资产投资增长"].iloc[0]
    line = next(x for x in out.splitlines() if x.startswith("固定资产投资增长"))
    assert line.split() == [str(v) for v in fai.tolist()]  # the same strings, column by column
    assert fai["情景1全年预计"] == f"{model.table().set_index(['scenario_id', 'target_id']).loc[('q3-slow', 'fai_growth'), 'scenario_actual']:.2f}%"
    hidden = len(model.base.targets) - len(d)
    assert f"另有 {hidden} 项目标" in out
    for g in model.growth:
        assert g.required.sentence_zh(g.label.removesuffix("增长").removesuffix("增速")) in out
        assert g.break_even_sentence() in out
    ns = new_starts_zh(model)
    assert all(str(v) in out for v in ns["情形"])


def test_table_with_all_targets(capsys: pytest.CaptureFixture[str], model: WhatIf) -> None:
    code, out, _ = run(capsys, *ARGS, "--all")
    assert code == 0 and "另有" not in out
    assert all(label in out for label in model.base.targets["label"])


def test_csv_is_the_model_table(capsys: pytest.CaptureFixture[str], model: WhatIf) -> None:
    code, out, _ = run(capsys, *ARGS, "--format", "csv")
    assert code == 0
    got = pd.read_csv(io.StringIO(out), keep_default_na=False, na_values=[""], float_precision="round_trip")
    want = model.table()
    assert list(got.columns) == COMPARE_COLUMNS
    assert len(got) == len(want) == 2 * len(model.plan.targets)
    for col in COMPARE_COLUMNS:
        if want[col].dtype.kind == "f":
            assert np.array_equal(got[col].to_numpy(dtype=float), want[col].to_numpy(), equal_nan=True), col  # to the last digit
        elif want[col].dtype.kind == "b":
            assert got[col].tolist() == want[col].tolist(), col
        else:
            assert got[col].fillna("").astype(str).tolist() == want[col].astype(str).tolist(), col


def test_json_is_the_model(capsys: pytest.CaptureFixture[str], model: WhatIf) -> None:
    code, out, _ = run(capsys, *ARGS, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["base_quarter"] == "2024Q2" and doc["at"] == "2024Q4"
    assert [s["id"] for s in doc["scenarios"]] == ["q3-slow", "assume"] and all(s["assumed"] for s in doc["scenarios"])
    assert [c["text"] for c in doc["scenarios"][0]["changes"]] == [str(c) for c in model.scenarios[0].changes]
    want = model.table()
    assert list(doc["targets"][0]) == COMPARE_COLUMNS
    for rec, (_, w) in zip(doc["targets"], want.iterrows()):
        for col in COMPARE_COLUMNS:
            v = w[col]
            if isinstance(v, float) and math.isnan(v):
                assert rec[col] is None, col
            else:
                assert rec[col] == (v.item() if hasattr(v, "item") else v), col
    by_id = {g["target_id"]: g for g in doc["growth"]}
    fai = model.outlook("fai_growth")
    g = by_id["fai_growth"]
    # percent numbers in the JSON: the model's fractions × 100, rounded at the crossing to 10 decimals (hzlib.units.to_percent)
    pct = pytest.approx
    assert g["required_seasonal_pct"] == pct(fai.required.seasonal * 100, abs=1e-9) and g["required_even_pct"] == pct(fai.required.even * 100, abs=1e-9)
    assert g["target_pct"] == pct(fai.target * 100, abs=1e-9) and g["cum_growth_pct"] == pct(fai.cum_growth * 100, abs=1e-9)
    assert np.allclose(np.asarray(g["grid"]["year_end_pct"], dtype=float), np.asarray(fai.grid.values) * 100, rtol=0, atol=1e-9)
    assert g["history"]["available"] is False and "少于3年" in g["history"]["sentence"]
    assert [p["scenario_id"] for p in g["scenarios"]] == ["q3-slow", "assume"]
    assert g["scenarios"][0]["year_end_pct"] == pct(fai.points[0].year_end * 100, abs=1e-9)
    assert doc["new_starts"] == model.new_starts().to_dict(orient="records")
    assert len(doc["growth_notes"]) == len(model.growth_notes)


def test_xlsx_is_the_model(capsys: pytest.CaptureFixture[str], tmp_path: Path, model: WhatIf) -> None:
    path = tmp_path / "whatif.xlsx"
    code, out, _ = run(capsys, *ARGS, "--format", "xlsx", "--output", str(path))
    assert code == 0 and "已写入" in out
    wb = openpyxl.load_workbook(path)
    tables = excel_tables(model)
    assert wb.sheetnames == list(tables)
    ws = wb["目标对比"]
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    t = model.table()
    assert len(rows) == len(t)
    col = {name: i for i, name in enumerate(header)}
    got = [r[col["情景预计（情景假设）"]] for r in rows]
    want = [None if math.isnan(v) else v for v in t["scenario_actual"]]
    assert got == want  # numbers stay numbers, to the last digit
    assert [r[col["目标编号"]] for r in rows] == t["target_id"].tolist()
    g = wb["增速测算"]
    head = [c.value for c in g[1]]
    fai_row = next(r for r in g.iter_rows(min_row=2, values_only=True) if r[0] == "固定资产投资增长")
    seasonal = fai_row[head.index("其余季度所需增速_按上年季节分布（%）")]
    assert seasonal == round(model.outlook("fai_growth").required.seasonal * 100, 2)  # percent columns: 2 decimals
    assert "敏感性-固定资产投资增长" in wb.sheetnames
    assert "情景假设" in wb.sheetnames and wb["情景假设"].max_row - 1 == len(model.changes())


def test_xlsx_needs_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *ARGS, "--format", "xlsx")
    assert code == 2 and "--output" in err


def test_output_file_for_text_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path, model: WhatIf) -> None:
    path = tmp_path / "w.csv"
    assert run(capsys, *ARGS, "--format", "csv", "--output", str(path))[0] == 0
    assert pd.read_csv(path).shape == model.table().shape


def test_the_quarter_defaults_to_the_scenario_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "whatif", "zhenba-2024", "--scenario", "q3-slow", "--format", "json")
    assert code == 0 and json.loads(out)["base_quarter"] == "2024Q2"


def test_a_scenario_file_by_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "whatif", "zhenba-2024", "--scenario", str(CORPUS / "good.yaml"), "--format", "csv")
    assert code == 0 and out.count("\n") == 1 + len(load_whatif("zhenba-2024", "2024Q2", assume=["flat=8"]).plan.targets)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("growth-fraction.yaml", [("第7行", "growth[0](fai).quarters.Q3", "0.06 像是小数写法")]),
        ("unknown-target.yaml", [("第6行", "targets.fai_grwoth", "未知目标 'fai_grwoth'")]),
        ("unknown-indicator.yaml", [("第6行", "growth[0](fixed_asset).indicator", "未知指标 'fixed_asset'")]),
        ("negative-months.yaml", [("第", "slips[0].start", "推迟月数应为正整数")]),
        ("yaml-syntax.yaml", [("第", "", "YAML 语法错误")]),
    ],
)
def test_bad_scenario_files_get_the_loader_messages(capsys: pytest.CaptureFixture[str], name: str, expected: list[tuple[str, str, str]]) -> None:
    code, out, err = run(capsys, "whatif", "zhenba-2024", "--quarter", "2024Q2", "--scenario", str(CORPUS / name))
    assert code == 2 and out == ""
    assert err.startswith(f"情景文件 {name}有")
    for line, field, words in expected:
        hit = [x for x in err.splitlines() if name in x and line in x and words in x and (f"[{field}]" in x if field else True)]
        assert hit, err


def test_every_bad_file_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        "whatif",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--scenario",
        str(CORPUS / "many-errors.yaml"),
        "--scenario",
        str(CORPUS / "unknown-target.yaml"),
        "--scenario",
        "nosuch",
    )
    assert code == 2
    assert "many-errors.yaml 第7行" in err and "unknown-target.yaml 第6行" in err
    assert "没有情景 'nosuch'（可用：q3-slow" in err


@pytest.mark.parametrize("text, column, words", BAD_GROWTH_STRINGS)
def test_bad_assume_strings(capsys: pytest.CaptureFixture[str], text: str, column: str, words: str) -> None:
    code, out, err = run(capsys, "whatif", "zhenba-2024", "--quarter", "2024Q2", "--assume", text)
    assert code == 2 and out == ""
    assert err.startswith(f"命令行参数 --assume {text!r}有 1 处错误")
    assert f"  - 命令行参数 --assume [{column}]：" in err and words in err


@pytest.mark.parametrize(
    "args, words",
    [
        (["whatif", "zhenba-2024", "--quarter", "2024Q2"], "给出至少一个情景假设"),
        (["whatif", "zhenba-2024", "--quarter", "2024Q3", "--scenario", "q3-slow"], "基期为 2024Q2，与所选基期 2024Q3 不同"),
        (["whatif", "zhenba-2024", "--quarter", "2024Q2", "--assume", "flat=6", "--at", "2024Q1"], "情景评价期应为基期"),
        (["whatif", "nosuch-plan", "--assume", "flat=6"], "nosuch-plan"),
        (["whatif", "zhenba-2024", "--quarter", "2024Q4", "--assume", "flat=6"], "数据截至2024年9月"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], words: str) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and words in err and "Traceback" not in err
