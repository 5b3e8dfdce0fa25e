"""Safe spreadsheets: text a spreadsheet would run (=, +, -, @, tab, CR first) never becomes a
formula in any xlsx or csv hzlib writes; negative numbers stay numbers."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from hzlib.cli import main
from hzlib.paths import project
from hzlib.render.excel import write_tables_xlsx
from hzlib.safety import csv_cell, csv_text, runs_as_formula

ROOT = Path(__file__).resolve().parents[1]
NAMES = ['=HYPERLINK("http://x","点我")', "+1", "@SUM(1)", "-2+3", "\t=1+1", "\r=1+1"]


def formula_cells(path: Path) -> list[str]:
    """Every cell of every sheet that a spreadsheet would compute."""
    wb = openpyxl.load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def text_values(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_the_rule() -> None:
    assert all(runs_as_formula(n) for n in NAMES)
    assert not any(runs_as_formula(v) for v in ("安康", "a=b", "", -2, -2.5, None))
    assert [csv_cell(n) for n in NAMES[:4]] == ["'" + n for n in NAMES[:4]]
    assert csv_cell(-2.5) == -2.5


def test_workbook_keeps_the_text_as_text_and_numbers_as_numbers(tmp_path: Path) -> None:
    df = pd.DataFrame({"项目名称": NAMES, "差距（%）": [-2.5, 1.0, -3.0, 0.0, 4.0, 5.0], "个数": [-1, 2, 3, 4, 5, 6]})
    out = write_tables_xlsx({"项目": df}, tmp_path / "t.xlsx")
    assert formula_cells(out) == []
    ws = openpyxl.load_workbook(out)["项目"]
    shown = [ws.cell(row=r, column=1).value for r in range(2, 8)]
    assert shown == [n.replace("\r", "\n") for n in NAMES]  # as written (XML keeps a CR as a line feed)
    assert all(ws.cell(row=r, column=1).quotePrefix for r in range(2, 8))
    assert ws["B2"].value == -2.5 and ws["B2"].data_type == "n" and ws["C2"].value == -1


def test_csv_prefixes_formula_text_only() -> None:
    text = csv_text(pd.DataFrame({"名称": NAMES[:4] + ["正常"], "差距": [-2.0, 1.0, 2.0, 3.0, -4.5]}))
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:]] == ["'" + n for n in NAMES[:4]] + ["正常"]
    assert [r[1] for r in rows[1:]] == ["-2.0", "1.0", "2.0", "3.0", "-4.5"]


@pytest.fixture
def bad_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Plans whose target labels, and a ledger whose project names, a spreadsheet would run."""
    plans = tmp_path / "plans"
    plans.mkdir()
    for plan in ("ankang-2019", "hanzhong-2022"):
        text = (ROOT / "params" / "plans" / f"{plan}.yaml").read_text(encoding="utf-8")
        parts = re.split(r"(?m)^    label: .*$", text)
        text = "".join(part + (f"    label: '{NAMES[i % 4]}'" if i < len(parts) - 1 else "") for i, part in enumerate(parts))
        (plans / f"{plan}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr("hzlib.paths._override", dataclasses.replace(project(), plans_dir=plans))
    data = tmp_path / "data" / "ankang-2019"
    shutil.copytree(ROOT / "data" / "ankang-2019", data)
    ledger = data / "ledger.csv"  # an export: GB18030, a title row above the header, a totals row
    rows = list(csv.reader(io.StringIO(ledger.read_bytes().decode("gb18030"))))
    for i, row in enumerate(r for r in rows if r and r[0].startswith("AK2019-")):
        row[1] = f"{NAMES[i % 4]}{i}"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    ledger.write_bytes(buf.getvalue().encode("gb18030"))
    return tmp_path


def test_every_writer_of_the_cli(bad_names: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """hz evaluate xlsx (the same tables and writer as the bulletin's workbook), hz evaluate csv,
    hz targets csv and hz tasks-template."""
    data = str(bad_names / "data" / "ankang-2019")
    out = bad_names / "evaluate.xlsx"
    assert main(["evaluate", "ankang-2019", "--quarter", "2019Q2", "--data", data, "--format", "xlsx", "--output", str(out)]) == 0
    capsys.readouterr()
    assert formula_cells(out) == []
    values = text_values(out)
    assert set(NAMES[:4]) <= values and any(v.startswith("=HYPERLINK") and v[-1].isdigit() for v in values)  # labels and projects

    assert main(["evaluate", "ankang-2019", "--quarter", "2019Q2", "--data", data, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["label"] for r in rows} >= {"'" + n for n in NAMES[:4]}
    assert any(r["gap"].startswith("-") and float(r["gap"]) < 0 for r in rows)  # a number, not escaped

    assert main(["targets", "ankang-2019", "--quarter", "2019Q2", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["label"] for r in rows} == {"'" + n for n in NAMES[:4]}

    tasks = bad_names / "tasks.csv"
    assert main(["tasks-template", "hanzhong-2022", "--quarter", "2022Q3", "--out", str(tasks)]) == 0
    rows = list(csv.reader(io.StringIO(tasks.read_text(encoding="utf-8-sig"))))
    assert rows[1:] and all(r[1] in {"'" + n for n in NAMES[:4]} for r in rows[1:])
