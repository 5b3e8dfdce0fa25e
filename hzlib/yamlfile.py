"""YAML input files (plans, scenarios) with every problem located by file, line and field.

A :class:`YamlDoc` keeps the parsed mapping together with the line of every
field path, so that pydantic errors and cross-field checks both become
:class:`~hzlib.errors.Problem` objects that say where to look, in Chinese:

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> f = folder / "s.yaml"
>>> _ = f.write_text("id: demo\\nitems:\\n  - {id: a, value: x}\\n", encoding="utf-8")
>>> doc, problems = read_yaml_mapping(f, kind_zh="示例文件", kind_en="example file",
...                                   mapping_hint="id: …", labels={"items": "id"})
>>> p = doc.problem(("items", 0, "value"), "应为数字")
>>> p.row, p.column, p.message
(3, 'items[0](a).value', '应为数字')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import ERROR, Problem

__all__ = ["YamlDoc", "read_yaml_mapping", "zh_message", "line_map", "fmt_path", "nearest_line", "display_path"]

_PYDANTIC_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？）",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "string_pattern_mismatch": "格式不符",
    "string_too_short": "文本过短",
    "string_too_long": "文本过长（引文请保持简短）",
    "too_short": "项数不足",
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "less_than_equal": "数值过大",
}


def zh_message(err: Any) -> str:
    """A pydantic error in Chinese; validators' own (Chinese) messages pass through."""
    kind = err["type"]
    detail = err["msg"].removeprefix("Value error, ")
    if kind == "value_error":
        return detail
    msg = _PYDANTIC_ZH.get(kind)
    if msg is None:
        return detail
    ctx = err.get("ctx") or {}
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return f"{msg}：应为 {ctx['expected']} 之一，实际为 {err.get('input')!r}"
    if kind == "string_pattern_mismatch" and "pattern" in ctx:
        return f"{msg}：{err.get('input')!r} 不符合 {ctx['pattern']}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal") and ctx:
        return f"{msg}：{detail}"
    if kind == "missing":
        return f"{msg} {err['loc'][-1]}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"{msg}，实际为 {err.get('input')!r}"
    return msg


def line_map(node: yaml.Node, path: tuple[Any, ...] = (), out: dict[tuple[Any, ...], int] | None = None) -> dict[tuple[Any, ...], int]:
    """Map each field path of a YAML document to its 1-based line."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[path + (key,)] = k.start_mark.line + 1
            line_map(v, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out[path + (i,)] = v.start_mark.line + 1
            line_map(v, path + (i,), out)
    return out


def fmt_path(loc: tuple[Any, ...]) -> str:
    """``("targets", 3, "value")`` → ``targets[3].value``."""
    s = ""
    for part in loc:
        if isinstance(part, int):
            s += f"[{part}]"
        else:
            s += ("." if s else "") + str(part)
    return s


def nearest_line(lines: Mapping[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    """Line of ``loc``, or of its closest ancestor that the file has (a missing field: its parent)."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def display_path(path: Path) -> str:
    """Path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _field_loc(field_path: str) -> tuple[Any, ...]:
    """``growth.0.quarters.Q3`` → ``("growth", 0, "quarters", "Q3")`` (list indices as ints)."""
    return tuple(int(p) if p.isdigit() else p for p in field_path.split("."))


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML mapping, its field lines, and how to name list items in field paths.

    ``labels`` maps a top-level list to the key that names its items, so that
    ``targets[3].value`` is shown as ``targets[3](fai_growth).value``.
    A document built from something other than a file (a command-line
    argument) has no lines; its problems name the field path only.
    """

    name: str
    data: Mapping[str, Any]
    lines: Mapping[tuple[Any, ...], int] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

    def field_path(self, loc: tuple[Any, ...]) -> str:
        text = fmt_path(loc)
        if len(loc) >= 2 and loc[0] in self.labels and isinstance(loc[1], int):
            try:
                ident = self.data[loc[0]][loc[1]].get(self.labels[loc[0]])
            except (KeyError, IndexError, TypeError, AttributeError):
                ident = None
            if ident:
                head = f"{loc[0]}[{loc[1]}]"
                text = text.replace(head, f"{head}({ident})", 1)
        return text

    def problem(self, loc: tuple[Any, ...], message: str, severity: str = ERROR) -> Problem:
        return Problem(self.name, nearest_line(self.lines, loc), self.field_path(loc), message, severity)

    def validation_problems(self, exc: ValidationError) -> list[Problem]:
        """Every pydantic error as a located problem.

        A validator may name the fields it complains about, one per line, as
        ``@field.path message``; each line then points at its own field.
        """
        problems: list[Problem] = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            detail = err["msg"].removeprefix("Value error, ")
            if err["type"] == "value_error" and detail.startswith("@"):
                for line in detail.splitlines():
                    field_path, _, msg = line[1:].partition(" ")
                    problems.append(self.problem(loc + _field_loc(field_path), msg))
                continue
            problems.append(self.problem(loc, zh_message(err)))
        return problems


def read_yaml_mapping(
    path: Path,
    *,
    kind_zh: str,
    kind_en: str,
    mapping_hint: str,
    labels: Mapping[str, str] | None = None,
) -> tuple[YamlDoc | None, list[Problem]]:
    """Read a UTF-8 YAML file that must hold one mapping; problems say file and line."""
    name = display_path(path)
    if not path.exists():
        return None, [Problem(name, None, None, f"找不到{kind_zh} / {kind_en} not found")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(name, None, None, f"{kind_zh}应为 UTF-8 编码：{e.reason}")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        return None, [Problem(name, line, None, f"YAML 语法错误：{e.problem}")]
    if not isinstance(data, dict) or node is None:
        return None, [Problem(name, 1, None, f"{kind_zh}应为一个映射（{mapping_hint}）")]
    return YamlDoc(name, data, line_map(node), dict(labels or {})), []
