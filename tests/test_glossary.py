"""One glossary: every Chinese label of a code value is written once, in ``hzlib/glossary.py``.

The first test reads every string constant of the package (docstrings aside) and fails when
one *is* a glossary label (after trimming punctuation, spaces and digits at its ends): a
label is printed from the glossary, never written again. A label inside prose
(“全年目标”, “已完成（全年1个）”) is a different word and is not matched.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args

import pytest
from pydantic import BaseModel

from hzlib import glossary as g
from hzlib.charts_style import STATUS_COLORS, STATUS_LABELS
from hzlib.contracts import BATCHES, PROFILE_COLUMNS
from hzlib.errors import FieldProblems, Problem
from hzlib.periods import Period
from hzlib.plan import schema
from hzlib.render.html import STATUS_CLASSES, status_html
from hzlib.yamldoc import YamlDoc, load_yaml_text

PACKAGE = Path(g.__file__).resolve().parent

#: Characters trimmed from both ends of a string constant before comparing it with a label.
_EDGE = " \t\n\r%.,:;!?()[]{}<>/|=+-—–~*#'\"`，。、；：！？（）【】《》“”‘’…·0123456789"


def labels() -> dict[str, str]:
    """Every label of the glossary → which vocabulary it belongs to."""
    out: dict[str, str] = {}
    out.update({s.zh: "status" for s in g.Status})
    out[g.INCOMPLETE_ZH] = "status"
    out.update({d.zh: "deviation" for d in g.Deviation})
    out.update({b.zh: "batch" for b in g.Batch})
    out.update({b.ledger_zh: "batch" for b in g.Batch})
    out.update({a.zh: "award" for a in g.Award})
    # 区 (district) is left out: one character, it is also the level word 区级 and a place name part
    out.update({k.zh: "unit kind" for k in g.UnitKind if len(k.zh) > 1})
    out[g.ALL_UNITS_ZH] = "unit kind"
    out.update({name: "quarter" for name in g.QUARTER_ZH.values()})
    out.update({name: "quarter" for name in g.YEAR_PARTS_ZH})
    out.update({name: "indicator" for name in g.STATISTICS_ZH.values()})
    out[g.FAI_ZH] = "indicator"
    out.update({name: "level" for name in g.LEVEL_ZH.values()})
    out.update({name: "ownership" for name in g.OWNERSHIP_ZH.values() if name not in out})
    return out


#: (file under hzlib/, label) → why the literal stays where it is.
ALLOWED: dict[tuple[str, str], str] = {
    ("ingest/aliases.py", "县区"): "a header people write for the 责任单位 column, read as a synonym, not the unit kind's label",
    ("scoring/inputs.py", "县区"): "a header people write for the 单位 column of scoring inputs, read as a synonym",
    ("ingest/aliases.py", "新开工"): "a header people write for the 是否新开工 column, not the batch's label",
    ("evaluate/engine.py", "全年"): "“全年{target}” in a task's sentence: the annual target, not the name of a period",
    ("whatif/figures.py", "全年"): "“：全年{growth}%” in a legend: the year's growth, in running text",
    ("whatif/views.py", "全年"): "“{scenario}全年（…）” column header: the year's growth, in running text",
}


def _docstrings(tree: ast.AST) -> set[int]:
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def label_literals(source: str, vocabulary: dict[str, str]) -> list[tuple[int, str]]:
    """(line, label) of every string constant of ``source`` that is a label (docstrings aside)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            word = node.value.strip(_EDGE)
            if word in vocabulary:
                found.append((node.lineno, word))
    return sorted(found)


def test_the_scan_finds_a_label_written_again() -> None:
    vocabulary = {"未达标": "status", "上半年": "quarter"}
    src = '"""未达标 in a docstring is fine."""\nA = "未达标"\nB = f"{x}，上半年 {y}"\nC = "上半年目标"\n'
    assert label_literals(src, vocabulary) == [(2, "未达标"), (3, "上半年")]


def test_every_label_is_written_once_in_the_package() -> None:
    vocabulary = labels()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "glossary.py":
            continue
        for line, word in label_literals(path.read_text(encoding="utf-8"), vocabulary):
            if (rel, word) not in ALLOWED:
                found.append(f"hzlib/{rel}:{line}: “{word}” ({vocabulary[word]}): use hzlib.glossary")
    assert not found, "\n".join(found)


def test_the_glossary_defines_each_label_once() -> None:
    text = (PACKAGE / "glossary.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    skip = _docstrings(tree)
    constants = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]
    vocabulary = labels()
    twice = sorted({c for c in constants if c in vocabulary and constants.count(c) > 1})
    assert twice == []


def test_allowlist_entries_are_still_needed() -> None:
    vocabulary = labels()
    used = set()
    for rel, word in ALLOWED:
        used |= {(rel, w) for _, w in label_literals((PACKAGE / rel).read_text(encoding="utf-8"), vocabulary) if w == word}
    assert set(ALLOWED) == used


def test_glossary_imports_nothing_from_hzlib() -> None:
    tree = ast.parse((PACKAGE / "glossary.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert all(isinstance(n, ast.ImportFrom) and n.level == 0 and n.module in ("__future__", "enum") for n in imports)


# ----------------------------------------------------------------------------- the vocabularies


def test_statuses_carry_label_class_and_colour() -> None:
    assert [(s.value, s.zh) for s in g.Status] == [
        ("met", "达标"),
        ("near", "基本达标"),
        ("missed", "未达标"),
        ("pending", "未到期"),
        ("no_data", "无数据"),
        ("n/a", "不适用"),
    ]
    assert STATUS_COLORS == {"met": "#2e7d32", "near": "#f9a825", "missed": "#c62828", "pending": "#9e9e9e", "no_data": "#bdbdbd", "n/a": "#bdbdbd"}
    assert STATUS_CLASSES["no_data"] == "status-pending" and STATUS_CLASSES["near"] == "status-near"
    assert STATUS_LABELS["missed"] == "未达标"
    assert status_html("missed") == '<span class="status-missed">未达标</span>'
    css = (PACKAGE / "render" / "bulletin.css").read_text(encoding="utf-8")
    assert all(f".{s.css_class}" in css for s in g.Status)


def test_codes_agree_with_the_plan_schema() -> None:
    assert tuple(b.value for b in g.Batch) == get_args(schema.Batch) == BATCHES
    assert tuple(k.value for k in g.UnitKind) == get_args(schema.UnitKind)


def test_batches() -> None:
    assert g.BATCH_ZH == {"plan": "谋划", "reserve": "储备", "start": "开工", "advance": "推进", "complete": "竣工"}
    assert g.BATCH_LEDGER_ZH["start"] == "新开工" and g.BATCH_LEDGER_ZH["advance"] == "续建"
    assert g.NOT_THIS_YEAR == ("plan", "reserve")
    assert g.MILESTONE_ZH["start"] == g.Batch.START.zh


def test_quarter_names() -> None:
    assert [g.quarter_zh(q) for q in range(1, 5)] == ["一季度", "二季度", "三季度", "四季度"]
    assert [g.cumulative_zh(q) for q in range(1, 5)] == ["一季度", "上半年", "前三季度", "全年"]
    # every cumulative name is read back to its period, and printed from the same table
    for name, end in g.YEAR_PARTS_ZH.items():
        assert Period.parse(f"2024年{name}").end_month == end
    assert [Period.parse(s).label_zh() for s in ("2024Q1", "2024H1", "2024Q3", "2024", "2024-06")] == [
        "2024年一季度",
        "2024年上半年",
        "2024年前三季度",
        "2024年全年",
        "2024年1-6月",
    ]
    assert [c.zh for c in PROFILE_COLUMNS[-4:]] == list(g.QUARTER_ZH.values())


def test_indicator_names() -> None:
    # the published series name in catalogues, the short name in sentences
    assert g.indicator_zh("fai") == "固定资产投资（不含农户）"
    assert g.indicator_short_zh("fai") == "固定资产投资"
    assert g.indicator_short_zh("manufacturing_inv") == "制造业投资"


def test_award_colour_follows_the_tone_not_the_label() -> None:
    assert g.award_tone("bottom") is g.AwardTone.BAD and g.AwardTone.BAD.color == g.Status.MISSED.color
    assert g.award_tone("top") is g.AwardTone.GOOD and g.AwardTone.GOOD.color == g.Status.MET.color
    assert g.award_tone("") is None
    assert (g.Award.SNAIL.zh, g.Award.SNAIL.tone) == ("蜗牛", g.AwardTone.BAD)


# ----------------------------------------------------------------------------- structured problems


class _Pair(BaseModel):
    low: int
    high: int

    def model_post_init(self, __context: object) -> None:
        if self.low > self.high:
            raise FieldProblems([("high", f"high {self.high} 小于 low {self.low}"), ("low", "请核对")])


class _Doc(BaseModel):
    pairs: list[_Pair]


def test_field_problems_point_at_each_field_line() -> None:
    text = "pairs:\n  - low: 1\n    high: 2\n  - low: 5\n    high: 3\n"
    data, lines, problems = load_yaml_text(text, "p.yaml")
    assert problems == []
    doc = YamlDoc("p.yaml", data, lines)
    model, found = doc.validate(_Doc)
    assert model is None
    assert [(p.row, p.column, p.message) for p in found] == [(5, "pairs[1].high", "high 3 小于 low 5"), (4, "pairs[1].low", "请核对")]


def test_field_problems_keep_their_fields() -> None:
    e = FieldProblems([("count", "share 和 count 只能写一个")])
    assert e.problems == (("count", "share 和 count 只能写一个"),)
    assert isinstance(e, ValueError)


def test_a_problem_keeps_its_chinese_beside_the_gloss() -> None:
    p = Problem.said("a.xlsx", 3, "总投资", "已换算为万元", "converted to 万元", "warning")
    assert p.message == "已换算为万元 / converted to 万元"
    assert p.message_zh == "已换算为万元"
    assert p == Problem("a.xlsx", 3, "总投资", "已换算为万元 / converted to 万元", "warning")
    assert Problem("a", None, None, "只有中文").message_zh == "只有中文"


@pytest.mark.parametrize("word", ["达标", "上半年", "新开工"])
def test_labels_cover_each_vocabulary(word: str) -> None:
    assert word in labels()


def test_no_label_is_two_things() -> None:
    seen: dict[str, list[str]] = {}
    for s in g.Status:
        seen.setdefault(s.zh, []).append("status")
    for b in g.Batch:
        seen.setdefault(b.zh, []).append("batch")
    for k in g.UnitKind:
        seen.setdefault(k.zh, []).append("unit kind")
    assert all(len(v) == 1 for v in seen.values())
    assert re.fullmatch(r"[一-龥]+", g.INCOMPLETE_ZH)
