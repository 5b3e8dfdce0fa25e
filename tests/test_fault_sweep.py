"""Every command, each kind of fault: one clear Chinese message, exit code 2, never a traceback.

The README promises "输入有误时列出全部问题（文件、行、列、应当怎样写），退出码为 2，不显示 Python
调用栈". This sweep holds the commands to it: each case runs ``hz`` in this process (an
exception escaping :func:`hzlib.cli.main` is exactly the traceback a user would see) and
checks the exit code, that something was said in Chinese, and that no Python or library
exception text reached the user. ``hz run`` (kernels) has its own tests in
``tests/test_run_faults.py``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from hzlib.cli import main

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Words of Python's (and its libraries') own error output that a statistician must never see.
PYTHON_WORDS = ("Traceback", "Error:", "Exception", "Errno", 'File "', "Zip archive", "EOCD", "codec can't", "line 1 column")

Setup = Callable[[Path], list[str]]


def _folder(tmp: Path) -> Path:
    d = tmp / "文件夹"
    d.mkdir(exist_ok=True)
    return d


def _empty_data(tmp: Path) -> Path:
    d = tmp / "empty-data"
    d.mkdir(exist_ok=True)
    return d


def _garbage(tmp: Path, name: str = "台账.xlsx") -> Path:
    p = tmp / name
    p.write_bytes(bytes(range(256)) * 8)
    return p


def _truncated_xlsx(tmp: Path) -> Path:
    src = ROOT / "tests" / "workbook_corpus" / "office_h1.xlsx"
    p = tmp / "截断.xlsx"
    p.write_bytes(src.read_bytes()[:2000])
    return p


def _yaml(tmp: Path, text: str, name: str = "my-plan.yaml") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def _data_copy(tmp: Path, plan: str) -> Path:
    d = tmp / f"data-{plan}"
    if not d.exists():
        shutil.copytree(ROOT / "data" / plan, d)
    return d


def _edit(tmp: Path, plan: str, name: str, old: str, new: str) -> Path:
    """A copy of a bundled plan's data folder with one file edited."""
    d = _data_copy(tmp, plan)
    p = d / name
    text = p.read_text(encoding="utf-8")
    assert old in text, (name, old)
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return d


def _plan_edit(tmp: Path, plan: str, old: str, new: str) -> Path:
    """A copy of a bundled plan file with one edit, as a person would make it."""
    text = (ROOT / "params" / "plans" / f"{plan}.yaml").read_text(encoding="utf-8")
    assert old in text, old
    return _yaml(tmp, text.replace(old, new, 1), name=f"{plan}.yaml")


def _scenario(tmp: Path, text: str) -> Path:
    return _yaml(tmp, text, name="情景.yaml")


CASES: dict[str, Setup] = {
    # a file that is not there, or a folder where a file belongs
    "check missing file": lambda t: ["check", str(t / "无此计划.yaml")],
    "check unknown id": lambda t: ["check", "nosuch-2024"],
    "check folder": lambda t: ["check", str(_folder(t))],
    "validate-data missing file": lambda t: ["validate-data", str(t / "无此文件.csv")],
    "validate-data folder": lambda t: ["validate-data", str(_folder(t))],
    "import missing file": lambda t: ["import", str(t / "无此文件.xlsx"), "--plan", "zhenba-2024", "--dry-run"],
    "import folder": lambda t: ["import", str(_folder(t)), "--plan", "zhenba-2024", "--dry-run"],
    # files that are not what their name says
    "validate-data garbage xlsx": lambda t: ["validate-data", str(_garbage(t))],
    "validate-data truncated xlsx": lambda t: ["validate-data", str(_truncated_xlsx(t))],
    "import garbage xlsx": lambda t: ["import", str(_garbage(t)), "--plan", "zhenba-2024", "--dry-run"],
    "import truncated xlsx": lambda t: ["import", str(_truncated_xlsx(t)), "--plan", "zhenba-2024", "--dry-run"],
    "validate-data garbage csv": lambda t: ["validate-data", str(_garbage(t, "指标.csv")), "--kind", "indicators"],
    # unknown plans and bad periods
    "targets unknown plan": lambda t: ["targets", "nosuch-2024", "--quarter", "2024Q2"],
    "targets bad quarter": lambda t: ["targets", "zhenba-2024", "--quarter", "2024Q5"],
    "evaluate unknown plan": lambda t: ["evaluate", "nosuch-2024", "--quarter", "2024Q2"],
    "evaluate bad quarter": lambda t: ["evaluate", "zhenba-2024", "--quarter", "x"],
    "evaluate past the data": lambda t: ["evaluate", "zhenba-2024", "--quarter", "2030Q1"],
    "score bad period": lambda t: ["score", "ankang-2019", "--period", "二季度"],
    "whatif bad quarter": lambda t: ["whatif", "zhenba-2024", "--quarter", "2024Q9", "--assume", "Q3=6%"],
    "whatif bad assumption": lambda t: ["whatif", "zhenba-2024", "--quarter", "2024Q2", "--assume", "Q3=六%"],
    "whatif unknown scenario": lambda t: ["whatif", "zhenba-2024", "--quarter", "2024Q2", "--scenario", "无此情景"],
    "tasks-template unknown plan": lambda t: ["tasks-template", "nosuch-2024"],
    "scoring-template plan without rules": lambda t: ["scoring-template", "zhenba-2024", "--out", str(t / "s.csv")],
    # an empty data folder
    "evaluate empty data": lambda t: ["evaluate", "zhenba-2024", "--quarter", "2024Q2", "--data", str(_empty_data(t))],
    "score empty data": lambda t: ["score", "ankang-2019", "--period", "2019Q2", "--data", str(_empty_data(t))],
    "whatif empty data": lambda t: [
        "whatif",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--assume",
        "Q3=6%",
        "--data",
        str(_empty_data(t)),
    ],
    # outputs that cannot be written: a folder, or a folder that does not exist
    "evaluate output is a folder": lambda t: [
        "evaluate",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--format",
        "xlsx",
        "--output",
        str(_folder(t)),
    ],
    "evaluate output folder missing": lambda t: [
        "evaluate",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--format",
        "csv",
        "--output",
        str(t / "无此目录" / "e.csv"),
    ],
    "whatif output is a folder": lambda t: [
        "whatif",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--assume",
        "Q3=6%",
        "--format",
        "xlsx",
        "--output",
        str(_folder(t)),
    ],
    "score output is a folder": lambda t: [
        "score",
        "ankang-2019",
        "--period",
        "2019Q2",
        "--format",
        "xlsx",
        "--output",
        str(_folder(t)),
    ],
    "tasks-template output is a folder": lambda t: ["tasks-template", "zhenba-2024", "--quarter", "2024Q2", "--out", str(_folder(t))],
    "scoring-template output is a folder": lambda t: ["scoring-template", "ankang-2019", "--out", str(_folder(t))],
    # the command line itself
    "unknown option": lambda t: ["evaluate", "zhenba-2024", "--quartr", "2024Q2"],
    "missing required option": lambda t: ["import", str(t / "x.xlsx")],
    "not a number": lambda t: ["run", "zhenba-2024", "--jobs", "two"],
    "unknown command": lambda t: ["evalute", "zhenba-2024"],
    "no command": lambda t: [],
    # plan files a person wrote
    "plan with a tab": lambda t: ["check", str(_yaml(t, "id: my-plan\n\ttitle: x\n"))],
    "plan with a full-width colon": lambda t: ["check", str(_yaml(t, "id: my-plan\ntitle： 计划\n"))],
    "plan with a key written twice": lambda t: ["check", str(_yaml(t, "id: my-plan\nid: other\n"))],
    "plan with alias bombs": lambda t: [
        "check",
        str(
            _yaml(
                t,
                "a: &a [x, x, x, x, x, x, x, x, x]\n"
                + "".join(
                    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                    for i in range(9)
                ),
            )
        ),
    ],
    "plan that is not YAML text": lambda t: ["check", str(_garbage(t, "plan.yaml"))],
    "plan with a value typed as words": lambda t: ["check", str(_plan_edit(t, "zhenba-2024", "value: 8", "value: 八"))],
    "plan with an unknown indicator": lambda t: ["check", str(_plan_edit(t, "zhenba-2024", "indicator: fai", "indicator: fia"))],
    # data files an office filled in
    "indicators with a bad period": lambda t: [
        "evaluate",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--data",
        str(_edit(t, "zhenba-2024", "indicators.csv", "镇巴县,2024Q1,fai", "镇巴县,2024年13月,fai")),
    ],
    "indicators with text for a number": lambda t: [
        "evaluate",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--data",
        str(_edit(t, "zhenba-2024", "indicators.csv", "207419.28,7.6", "207419.28,七点六")),
    ],
    "tasks with an unknown target": lambda t: [
        "evaluate",
        "zhenba-2024",
        "--quarter",
        "2024Q3",
        "--data",
        str(_edit(t, "zhenba-2024", "tasks.csv", "signed_investment,", "signed_invest,")),
    ],
    "scoring input that is not a number": lambda t: [
        "score",
        "ankang-2019",
        "--period",
        "2019Q2",
        "--data",
        str(_edit(t, "ankang-2019", "scoring_inputs.csv", "重点前期项目,3,个", "重点前期项目,三个,个")),
    ],
    # scenario files a person wrote
    "scenario with a tab": lambda t: [
        "whatif",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--scenario",
        str(_scenario(t, "id: s\n\tlabel: x\n")),
    ],
    "scenario with an unknown field": lambda t: [
        "whatif",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--scenario",
        str(_scenario(t, "id: s\nlabel: 测试\nplan: zhenba-2024\nquarter: 2024Q2\ngrowht: []\n")),
    ],
    "scenario for another plan": lambda t: [
        "whatif",
        "zhenba-2024",
        "--quarter",
        "2024Q2",
        "--scenario",
        str(_scenario(t, "id: s\nlabel: 测试\nplan: ankang-2019\nquarter: 2019Q2\n")),
    ],
    # mapping files
    "mapping with a full-width colon": lambda t: [
        "validate-data",
        str(ROOT / "tests" / "workbook_corpus" / "own_words.xlsx"),
        "--map",
        str(_yaml(t, "headers：\n  区县名: unit\n", name="mapping.yaml")),
    ],
    "mapping to an unknown field": lambda t: [
        "validate-data",
        str(ROOT / "tests" / "workbook_corpus" / "own_words.xlsx"),
        "--map",
        str(_yaml(t, "headers:\n  区县名: 不存在的字段\n", name="mapping.yaml")),
    ],
    # commands added later: explain, rerun, months, template periods
    "explain an unknown target": lambda t: ["explain", "zhenba-2024", "no_such_target", "--quarter", "2024Q2"],
    "explain an unknown unit": lambda t: ["explain", "zhenba-2024", "--unit", "不存在的单位", "--quarter", "2024Q2"],
    "explain a period outside the plan year": lambda t: ["explain", "zhenba-2024", "fai_growth", "--quarter", "2023Q2"],
    "explain with a bad data file": lambda t: [
        "explain",
        "zhenba-2024",
        "fai_growth",
        "--quarter",
        "2024Q2",
        "--data",
        str(_edit(t, "zhenba-2024", "indicators.csv", "207419.28,7.6", "207419.28,七点六")),
    ],
    "rerun a missing manifest": lambda t: ["rerun", str(t / "没有这个" / "manifest.json")],
    "rerun a manifest that is not one": lambda t: ["rerun", str(_yaml(t, "不是 JSON", name="manifest.json"))],
    "evaluate a month with no data": lambda t: ["evaluate", "zhenba-2024", "--quarter", "2024-11"],
    "scoring template for another year": lambda t: ["scoring-template", "ankang-2019", "--period", "2020Q2"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_fault_is_one_clear_chinese_message(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = CASES[case](tmp_path)
    try:
        rc = main(argv)
    except SystemExit as e:  # argparse
        rc = e.code if isinstance(e.code, int) else 2
    out, err = capsys.readouterr()
    assert rc == 2, (rc, out, err)
    # validate-data and import print their report (the problems among it) on stdout; the others on stderr
    said = err if err.strip() else out
    assert said.strip(), "nothing said"
    assert CJK.search(said), said
    for word in PYTHON_WORDS:
        assert word not in out + err, out + err
