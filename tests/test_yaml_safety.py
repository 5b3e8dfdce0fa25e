"""Every YAML file hzlib reads (plans, scoring rules, scenarios, mapping files) goes through one loader
with limits: aliases, deep nesting and huge files are refused with one Chinese message naming the file
and line; a key written twice is an error; syntax errors name the line and the usual cause."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hzlib.cli import main
from hzlib.errors import InputError, Problem
from hzlib.ingest.mapping import load_mapping
from hzlib.plan import read_plan_file
from hzlib.scoring.rules import read_rules_file
from hzlib.whatif.scenario import read_scenario_file
from hzlib.yamldoc import MAX_YAML_BYTES, MAX_YAML_DEPTH, read_yaml_doc

TESTS = Path(__file__).parent
PLAN = (TESTS / "plan_corpus" / "good.yaml").read_text(encoding="utf-8")
RULES = (TESTS / "scoring_corpus" / "good.yaml").read_text(encoding="utf-8")
SCENARIO = (TESTS / "scenario_corpus" / "good.yaml").read_text(encoding="utf-8")
MAPPING = "sheet: 1-6月\nheaders:\n  区县名: unit\n  项目名: name\n"


def _mapping_problems(path: Path) -> list[Problem]:
    try:
        load_mapping(path)
    except InputError as e:
        return e.problems
    return []


Reader = Callable[[Path], list[Problem]]
#: (file name, good text, reader returning the problems, a line "    key: value" or "key: value" to break)
LOADERS: dict[str, tuple[str, str, Reader, int]] = {
    "plan": ("good.yaml", PLAN, lambda p: read_plan_file(p)[1], 9),
    "rules": ("good.yaml", RULES, lambda p: read_rules_file(p)[1], 3),
    "scenario": ("good.yaml", SCENARIO, lambda p: read_scenario_file(p)[1], 3),
    "mapping": ("mapping.yaml", MAPPING, _mapping_problems, 4),
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


@pytest.mark.parametrize("kind", LOADERS)
def test_every_yaml_file_refuses_an_alias_cycle(kind: str, tmp_path: Path) -> None:
    """An alias cycle (RecursionError before) is one message with the alias's line and its anchor's."""
    name, good, read, _ = LOADERS[kind]
    p = _only(read(_write(tmp_path, name, good.rstrip("\n") + "\nloop: &a [1, *a]\n")))
    n = good.rstrip("\n").count("\n") + 2
    assert p.row == n and p.file.endswith(name)
    assert f"第{n}行用了别名“*a”（引用第{n}行的锚点“&a”）" in p.message


@pytest.mark.parametrize("kind", LOADERS)
@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("tab", "第{n}行用了制表符（Tab）缩进：YAML 只能用空格缩进"),
        ("colon", "第{n}行的“：”是中文全角冒号：键后应写英文冒号加空格“: ”"),
        ("indent", "第{n}行缩进与上文不一致"),
        ("quote", '第{n}行的引号 " 没有闭合'),
    ],
)
def test_syntax_errors_name_the_line_and_the_cause(kind: str, fault: str, expected: str, tmp_path: Path) -> None:
    name, good, read, n = LOADERS[kind]
    lines = good.splitlines()
    line = lines[n - 1]
    key, _, _ = line.partition(": ")
    lines[n - 1] = {
        "tab": "\t" + line.lstrip(" "),
        "colon": line.replace(": ", "：", 1),
        "indent": "  " + line,
        "quote": f'{key}: "没有结束的引号',
    }[fault]
    p = _only(read(_write(tmp_path, name, "\n".join(lines) + "\n")))
    assert p.row == n, str(p)
    assert p.message.startswith("YAML 语法错误：") and expected.format(n=n) in p.message, str(p)


def test_billion_laughs_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nine levels of nine aliases (10^9 strings, 21 s and 2.8 GB before): hz check says no, exit 2."""
    lines = ['a: &a ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "bomb.yaml 第2行：不支持 YAML 别名：第2行用了别名“*a”（引用第1行的锚点“&a”）" in err
    assert "全文共 72 处别名" in err


def test_a_key_written_twice_names_both_lines(tmp_path: Path) -> None:
    """YAML keeps the last of two keys silently: a plan with value 8 then value 80 is refused."""
    lines = PLAN.splitlines()
    assert lines[11] == "    value: 8"
    lines.insert(13, "    value: 80")
    p = _only(read_plan_file(_write(tmp_path, "good.yaml", "\n".join(lines) + "\n"))[1])
    assert (p.row, p.column, p.message) == (14, "targets[0].value", "第12行与第14行重复写了键“value”：请保留一个")


def test_a_key_written_twice_on_one_line_and_in_a_mapping_file(tmp_path: Path) -> None:
    plan = PLAN.replace('    unit: "%"\n', '    unit: "%"\n    schedule: {Q1: 2, Q1: 4}\n', 1)
    p = _only(read_plan_file(_write(tmp_path, "good.yaml", plan))[1])
    assert (p.row, p.column, p.message) == (14, "targets[0].schedule.Q1", "第14行重复写了键“Q1”：请保留一个")
    problems = _mapping_problems(_write(tmp_path, "mapping.yaml", MAPPING + "  区县名: unit_name\n"))
    assert [(q.row, q.message) for q in problems] == [(5, "第3行与第5行重复写了键“区县名”：请保留一个")]


def test_nesting_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    deep = "targets: " + "[" * (MAX_YAML_DEPTH + 5) + "]" * (MAX_YAML_DEPTH + 5) + "\n"
    p = _only(read_plan_file(_write(tmp_path, "good.yaml", "id: good\n" + deep))[1])
    assert p.row == 2 and f"嵌套超过 {MAX_YAML_DEPTH} 层" in p.message


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    comment = "# " + "说明" * 40 + "\n"
    path = _write(tmp_path, "good.yaml", PLAN + comment * (MAX_YAML_BYTES // len(comment.encode("utf-8")) + 1))
    assert path.stat().st_size > MAX_YAML_BYTES
    p = _only(read_plan_file(path)[1])
    assert p.row is None and "计划文件过大" in p.message and "上限 2 MB" in p.message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("note: 甲\x07乙", "第16行含有不可见的控制字符（#x0007）"),
        ("due: 2024-02-30", "第16行的日期“2024-02-30”不存在：请写成有效的日期 YYYY-MM-DD"),
        ("note: !!python/object/apply:os.system [ls]", "第16行用了标记“!!python/object/apply:os.system”：参数文件不支持 YAML 标记"),
        ("note: !!int 十二", "第16行的值“十二”无法按 !!int 读取"),
    ],
)
def test_values_yaml_cannot_build_are_located(line: str, expected: str, tmp_path: Path) -> None:
    """A control character, a date that does not exist, a tag: located messages, not tracebacks."""
    assert PLAN.count("\n") == 15
    p = _only(read_plan_file(_write(tmp_path, "good.yaml", PLAN + line + "\n"))[1])
    assert p.row == 16 and expected in p.message, str(p)


def test_a_folder_named_like_a_plan_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").mkdir()
    p = _only(read_plan_file(tmp_path / "good.yaml")[1])
    assert "计划文件应为一个文件" in p.message


def test_the_bundled_files_pass_the_loader() -> None:
    """No bundled parameter file uses aliases, nests too deep or repeats a key."""
    root = TESTS.parent
    paths = sorted([*(root / "params").glob("**/*.yaml"), *(root / "data").glob("**/*.yaml")])
    assert len(paths) >= 12
    for path in paths:
        doc, problems = read_yaml_doc(path, what="参数文件")
        assert doc is not None and not problems, [str(p) for p in problems]
