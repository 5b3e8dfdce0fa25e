"""Read a YAML parameter file and report every problem with file, line and field path, in Chinese.

Plan files (``params/plans``) and scoring rules (``params/scoring``) are both
validated by pydantic models; this module turns each validation error into a
:class:`~hzlib.errors.Problem` that names the file, the YAML line and the field
path (with the ``id`` of list items, so users find them):

>>> import tempfile, pathlib
>>> from pydantic import BaseModel, ConfigDict
>>> class Item(BaseModel):
...     model_config = ConfigDict(extra="forbid")
...     id: str
...     value: float
>>> class Doc(BaseModel):
...     items: list[Item]
>>> _ = Doc.model_rebuild()
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.yaml"
>>> _ = p.write_text("items:\\n  - id: x\\n    value: 3\\n  - id: y\\n    value: many\\n", encoding="utf-8")
>>> doc, problems = read_yaml_doc(p, what="参数文件", id_keys=("items",))
>>> _, problems = doc.validate(Doc)
>>> [(q.row, q.column, q.message) for q in problems]
[(5, 'items[1](y).value', "应为数字，实际为 'many'")]
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ERROR, Problem

__all__ = ["YamlDoc", "read_yaml_doc", "read_yaml_model", "yaml_path", "yaml_ids", "display_path", "zh_message", "line_map", "nearest_line"]

M = TypeVar("M", bound=BaseModel)
#: libyaml's safe loader when PyYAML has it (several times faster on long plan files), else the pure-Python one.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
    "model_attributes_type": "应为映射（键: 值）",
    "string_pattern_mismatch": "格式不符",
    "string_too_short": "文本过短",
    "string_too_long": "文本过长（引文请保持简短）",
    "too_short": "项数不足",
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "less_than_equal": "数值过大",
    "union_tag_invalid": "取值不在允许范围内",
    "union_tag_not_found": "缺少必填字段",
}


def zh_message(err: Any) -> str:
    """A Chinese message for one pydantic error (``ValidationError.errors()`` item)."""
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
    if kind == "union_tag_invalid" and "expected_tags" in ctx:
        return f"{msg}：{ctx.get('discriminator', '')} 应为 {ctx['expected_tags']} 之一，实际为 {ctx.get('tag')!r}"
    if kind == "union_tag_not_found":
        return f"{msg} {ctx.get('discriminator', '')}".strip()
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


def nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    """The line of ``loc``, or of its nearest parent that is in the file."""
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


def yaml_path(name: str | Path, folder: Path, what: str) -> Path:
    """``folder/<name>.yaml`` for an id such as ``zhenba-2024``; a path to a .yaml file is returned as is.

    Ids are checked so that a path cannot escape the folder (``what`` names the id in the message).

    >>> yaml_path("zhenba-2024", Path("params/plans"), "plan").as_posix(), yaml_path("x/a.yaml", Path("p"), "plan").as_posix()
    ('params/plans/zhenba-2024.yaml', 'x/a.yaml')
    """
    p = Path(name)
    if p.suffix in (".yaml", ".yml"):
        return p
    from .safety import check_id

    check_id(str(name), what)
    return folder / f"{name}.yaml"


def yaml_ids(folder: Path) -> list[str]:
    """Ids of the .yaml files in ``folder``, sorted."""
    return sorted(p.stem for p in folder.glob("*.yaml"))


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """``loc`` without the tags pydantic inserts for discriminated unions (keys absent from the data)."""
    out: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part not in node and i + 1 < len(loc) and loc[i + 1] in node:
            continue  # a union tag such as "ratio" in items.0.ratio.params
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


@dataclass
class YamlDoc:
    """A parsed YAML mapping with the line of each field, ready to validate.

    ``id_keys`` names the lists whose items are named in field paths: a collection of
    list names (items named by their ``id``) or a mapping list name → the key that
    names its items (``{"growth": "indicator"}``). A document built from something
    other than a file (a command-line argument) has no lines and no path; its
    problems name the field path only.
    """

    name: str  # the file as shown in messages
    data: dict[str, Any]
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    id_keys: Collection[str] | Mapping[str, str] = ()
    path: Path | None = None

    def _id_key(self, list_name: Any) -> str | None:
        if isinstance(self.id_keys, Mapping):
            return self.id_keys.get(list_name)
        return "id" if list_name in self.id_keys else None

    def field_path(self, loc: tuple[Any, ...]) -> str:
        """Field path with the ids of list items: ``targets[3](fai_growth).value``."""
        text = ""
        node: Any = self.data
        prev: Any = None
        for part in loc:
            if isinstance(part, int):
                text += f"[{part}]"
                item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
                key = self._id_key(prev)
                if key is not None and isinstance(item, dict) and item.get(key):
                    text += f"({item[key]})"
                node = item
            else:
                text += ("." if text else "") + str(part)
                node = node.get(part) if isinstance(node, dict) else None
            prev = part
        return text

    def problem(self, loc: tuple[Any, ...], message: str, severity: str = ERROR) -> Problem:
        """A problem at field ``loc`` (line of the field or of its nearest parent)."""
        return Problem(self.name, nearest_line(self.lines, loc), self.field_path(loc), message, severity)

    def validation_problems(self, exc: ValidationError) -> list[Problem]:
        """Every error of ``exc`` as a problem; ``@field message`` lines of model validators point at each field."""
        problems: list[Problem] = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            detail = err["msg"].removeprefix("Value error, ")
            if err["type"] == "value_error" and detail.startswith("@"):
                for line in detail.splitlines():
                    field, _, msg = line[1:].partition(" ")
                    floc = loc + tuple(int(p) if p.isdigit() else p for p in field.split("."))
                    problems.append(self.problem(_data_loc(self.data, floc), msg))
                continue
            problems.append(self.problem(_data_loc(self.data, loc), zh_message(err)))
        return problems

    def validate(self, model: type[M]) -> tuple[M | None, list[Problem]]:
        """Validate the document against ``model``; return it (or None) and every problem."""
        try:
            return model.model_validate(self.data), []
        except ValidationError as exc:
            return None, self.validation_problems(exc)


def read_yaml_doc(path: Path, *, what: str, what_en: str = "file", id_keys: Collection[str] | Mapping[str, str] = (),
                  shape_hint: str = "") -> tuple[YamlDoc | None, list[Problem]]:
    """Read ``path`` as a YAML mapping; ``what`` names the file in messages (计划文件, 评分规则文件)."""
    name = display_path(path)
    if not path.exists():
        return None, [Problem(name, None, None, f"找不到{what} / {what_en} not found")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(name, None, None, f"{what}应为 UTF-8 编码：{e.reason}")]
    loader = _LOADER(text)  # parsed once: the node tree (for line numbers), then the data from it
    try:
        node = loader.get_single_node()
        lines = line_map(node) if node is not None else {}  # before construction, which may rewrite merge keys
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        return None, [Problem(name, line, None, f"YAML 语法错误：{e.problem}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        return None, [Problem(name, 1, None, f"{what}应为一个映射{shape_hint}")]
    return YamlDoc(name, data, lines, id_keys, path), []


def read_yaml_model(path: Path, model: type[M], check: Callable[[M, YamlDoc], tuple[M, list[Problem]]], *, what: str,
                    what_en: str = "file", id_keys: Collection[str] = (), shape_hint: str = "") -> tuple[M | None, list[Problem]]:
    """Read, validate against ``model``, then ``check`` (cross-field checks, may return an updated object).

    Returns the object, or None when there is any error, and every problem found.
    """
    doc, problems = read_yaml_doc(path, what=what, what_en=what_en, id_keys=id_keys, shape_hint=shape_hint)
    if doc is None:
        return None, problems
    obj, problems = doc.validate(model)
    if obj is None:
        return None, problems
    obj, problems = check(obj, doc)
    return (obj if not any(p.severity == ERROR for p in problems) else None), problems
