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

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ERROR, FieldProblems, Problem
from .safety import check_id

__all__ = [
    "YamlDoc",
    "load_yaml_text",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "read_yaml_doc",
    "read_yaml_model",
    "yaml_path",
    "yaml_ids",
    "display_path",
    "zh_message",
    "line_map",
    "nearest_line",
]

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
    detail = str(err["msg"]).removeprefix("Value error, ")
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
        """Every error of ``exc`` as a problem; a model validator's :class:`FieldProblems` point at each field."""
        problems: list[Problem] = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            raised = (err.get("ctx") or {}).get("error")
            if isinstance(raised, FieldProblems):
                for field, msg in raised.problems:
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


#: Limits for every YAML file hzlib reads (plans, scoring rules, scenarios, mapping files).
MAX_YAML_BYTES = 2 * 1024 * 1024  # the largest bundled parameter file is about 60 KB
MAX_YAML_DEPTH = 32  # the bundled files nest at most 7 levels
# Anchors and aliases (``&name`` / ``*name``) are refused outright rather than limited to a count:
# a parameter file is checked line by line against the plan text, so every value is written where it
# applies (an aliased value has no line of its own to report), no bundled file uses them, and refusing
# them rules out alias cycles (endless recursion) and "billion laughs" documents (10^9 nodes from a few
# lines) with no budget to tune. They are found on the composed node tree (a node reached twice) before
# anything is constructed or walked recursively; only then is the text scanned again for their lines.

#: How many lines above a syntax error to look for the quote that was never closed.
_QUOTE_SCAN = 30
_TAB_PROBLEMS = ("tab character", "'\\t'")
_INDENT_PROBLEMS = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
    "mapping values are not allowed",
    "block sequence entries are not allowed",
)


def load_yaml_text(text: str, name: str) -> tuple[Any, dict[tuple[Any, ...], int], list[Problem]]:
    """Parse one YAML document within the limits above: (data, line of each field path, problems).

    Problems name the line and the usual cause in Chinese (Tab indentation, a full-width colon,
    bad indentation, an unclosed quote, a key written twice, an alias):

    >>> load_yaml_text("a: 1\\nb: [2, 3]\\n", "x.yaml")[0]
    {'a': 1, 'b': [2, 3]}
    >>> [str(p) for p in load_yaml_text("a: 8\\nb: 1\\na: 80\\n", "x.yaml")[2]]
    ['x.yaml 第3行 [a]：第1行与第3行重复写了键“a”：请保留一个']
    >>> [str(p) for p in load_yaml_text("a: &x [1]\\nb: *x\\n", "x.yaml")[2]]
    ['x.yaml 第2行：不支持 YAML 别名：第2行用了别名“*x”（引用第1行的锚点“&x”）：参数文件中请把内容直接写出，不用锚点和别名（&、*）']
    """
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        return (
            None,
            {},
            [
                Problem(
                    name,
                    None,
                    None,
                    f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_YAML_BYTES // 1024 // 1024} MB）"
                    "：参数文件只需几十 KB，请检查是否选错了文件 / file too large",
                )
            ],
        )
    loader = _LOADER(text)  # parsed once: the node tree (for line numbers and checks), then the data from it
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            return None, {}, [_syntax_problem(e, text, name)]
        except yaml.YAMLError as e:  # a ReaderError: a control character
            return None, {}, [_reader_problem(e, text, name)]
        except RecursionError:  # only with the pure-Python parser; libyaml stops at its own depth limit
            return None, {}, [Problem(name, None, None, f"嵌套层数过多（超过 {MAX_YAML_DEPTH} 层）：请检查缩进")]
        if node is None:
            return None, {}, []
        problems = _tree_problems(node, text, name)
        if problems:
            return None, {}, problems
        lines = line_map(node)  # before construction, which may rewrite merge keys
        try:
            data = loader.construct_document(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
            return None, {}, [_construct_problem(e, node, name)]
        return data, lines, []
    finally:
        loader.dispose()


def _children(node: yaml.Node, path: str) -> list[tuple[yaml.Node, str]]:
    """The child nodes of ``node`` (keys and values) with their field paths."""
    if isinstance(node, yaml.MappingNode):
        out: list[tuple[yaml.Node, str]] = []
        for k, v in node.value:
            key = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
            out += [(k, path), (v, f"{path}.{key}" if path else key)]
        return out
    if isinstance(node, yaml.SequenceNode):
        return [(v, f"{path}[{i}]") for i, v in enumerate(node.value)]
    return []


def _tree_problems(root: yaml.Node, text: str, name: str) -> list[Problem]:
    """Aliases, nesting beyond :data:`MAX_YAML_DEPTH` and duplicate keys, walking each node once (no recursion)."""
    seen = {id(root)}
    stack: list[tuple[yaml.Node, int, str]] = [(root, 1, "")]
    out: list[Problem] = []
    while stack:
        node, depth, path = stack.pop()
        if depth > MAX_YAML_DEPTH:
            return [Problem(name, node.start_mark.line + 1, None, f"嵌套超过 {MAX_YAML_DEPTH} 层：参数文件不需要这么多层，请检查缩进 / nested too deeply")]
        if isinstance(node, yaml.MappingNode):
            out += _duplicate_keys(node, name, path)
        for child, child_path in _children(node, path):
            if id(child) in seen:  # the composer gives an alias the very node of its anchor
                return [_alias_problem(text, name)]
            seen.add(id(child))
            stack.append((child, depth + 1, child_path))
    return sorted(out, key=lambda p: p.row or 0)


def _duplicate_keys(node: yaml.MappingNode, name: str, path: str) -> list[Problem]:
    """A key written twice in one mapping (YAML would silently keep the last)."""
    first: dict[tuple[str, str], yaml.Node] = {}
    out: list[Problem] = []
    for k, _ in node.value:
        if not isinstance(k, yaml.ScalarNode):
            continue
        prev = first.setdefault((k.tag, k.value), k)
        if prev is not k:
            a, b = prev.start_mark.line + 1, k.start_mark.line + 1
            where = f"第{a}行与第{b}行" if a != b else f"第{a}行"
            out.append(Problem(name, b, f"{path}.{k.value}" if path else k.value, f"{where}重复写了键“{k.value}”：请保留一个"))
    return out


def _alias_problem(text: str, name: str) -> Problem:
    """The first alias (``*name``) of ``text``, with the line of its anchor, and how many there are."""
    anchors: dict[str, int] = {}
    first: tuple[int, str, int | None] | None = None
    count = 0
    for ev in yaml.parse(text, Loader=_LOADER):
        anchor = getattr(ev, "anchor", None)
        if isinstance(ev, yaml.AliasEvent):
            count += 1
            if first is None:
                first = (ev.start_mark.line + 1, str(anchor), anchors.get(str(anchor)))
        elif anchor is not None:
            anchors[anchor] = ev.start_mark.line + 1
    if first is None:  # not expected: a node reached twice is an alias
        return Problem(name, None, None, "不支持 YAML 锚点和别名（&、*）：请把内容直接写出")
    line, anchor, at = first
    ref = f"（引用第{at}行的锚点“&{anchor}”）" if at is not None else ""
    more = f"；全文共 {count} 处别名" if count > 1 else ""
    return Problem(name, line, None, f"不支持 YAML 别名：第{line}行用了别名“*{anchor}”{ref}：参数文件中请把内容直接写出，不用锚点和别名（&、*）{more}")


def _reader_problem(e: yaml.YAMLError, text: str, name: str) -> Problem:
    """A control character (often pasted from a web page or Word) that YAML does not accept."""
    char = getattr(e, "character", None)
    code = ord(char) if isinstance(char, str) and len(char) == 1 else char if isinstance(char, int) else None
    at = text.find(chr(code)) if code is not None and 0 <= code < 0x110000 else -1  # the reader stops at the first one
    line = text[:at].count("\n") + 1 if at >= 0 else None
    what = f"（#x{code:04X}）" if code is not None else ""
    where = f"第{line}行" if line is not None else "文件中"
    return Problem(name, line, None, f"YAML 语法错误：{where}含有不可见的控制字符{what}：请删除（常见于从网页或 Word 复制的文字）")


def _short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:int`` as written in a file: ``!!int``."""
    return tag.replace("tag:yaml.org,2002:", "!!")


def _construct_problem(e: Exception, root: yaml.Node, name: str) -> Problem:
    """A value that parses but cannot be built: an unknown tag (``!foo``), a date that does not exist."""
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        problem = e.problem or ""
        if "could not determine a constructor for the tag" in problem:
            tag = _short_tag(problem.rsplit(" ", 1)[-1].strip("'"))
            return Problem(name, line, None, f"YAML 语法错误：第{line}行用了标记“{tag}”：参数文件不支持 YAML 标记（!…），请直接写值")
        return Problem(name, line, None, f"YAML 语法错误：第{line}行无法读取（{problem}）")
    check = yaml.SafeLoader("")
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                check.construct_object(node)
            except (yaml.YAMLError, ValueError, TypeError, OverflowError):
                line = node.start_mark.line + 1
                if node.tag.endswith(":timestamp"):
                    return Problem(name, line, None, f"第{line}行的日期“{node.value}”不存在：请写成有效的日期 YYYY-MM-DD（如 2024-06-30）")
                return Problem(name, line, None, f"第{line}行的值“{node.value}”无法按 {_short_tag(node.tag)} 读取：请直接写值")
        else:
            stack += [c for c, _ in _children(node, "")]
    return Problem(name, None, None, f"YAML 无法读取：{e}")


def _syntax_problem(e: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    """A syntax error with its line and, where the line's text shows it, the usual cause in Chinese."""
    mark = e.problem_mark or e.context_mark
    if mark is None:
        return Problem(name, None, None, f"YAML 语法错误：{e.problem}")
    line, msg = _syntax_cause(e, text.splitlines())
    return Problem(name, line, None, f"YAML 语法错误：{msg}")


def _leading_tab(line: str) -> bool:
    return "\t" in line[: len(line) - len(line.lstrip())]


def _full_width_colon(line: str) -> bool:
    """Whether the line's key ends with ``：`` (a full-width colon) instead of ``: ``.

    >>> _full_width_colon("    value：8"), _full_width_colon('  - quote: "目标：8%"'), _full_width_colon("# 说明：x")
    (True, False, False)
    """
    s = line.strip().removeprefix("- ").strip()
    head, found, _ = s.partition("：")
    return bool(found and head) and not any(c in head for c in ":#\"'")


def _unclosed_quote(line: str) -> str | None:
    """The quote character a line opens and never closes (an odd count), if any."""
    for q in ('"', "'"):
        body = line.replace('\\"', "") if q == '"' else line.replace("''", "")
        if q in body and body.count(q) % 2 == 1 and re.search(rf"(^|[:\-\[{{,]\s*){q}", body):
            return q
    return None


def _early_close(line: str) -> bool:
    """A quoted value with text after its closing quote (a quote inside the quotes): ``a: "他说"好"的"``."""
    return re.search(r":\s+\"[^\"]*\"\s*[^\s#,}\]]", line) is not None or re.search(r":\s+'(?:[^']|'')*'\s*[^\s#,}\]]", line) is not None


def _syntax_cause(e: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    """(1-based line, Chinese message) for a YAML syntax error, found from the text of the lines near it."""
    pm = e.problem_mark or e.context_mark
    assert pm is not None
    p, col = pm.line, pm.column
    c = e.context_mark.line if e.context_mark is not None else None
    problem, context = e.problem or "", e.context or ""

    def text(i: int) -> str:
        return lines[i] if 0 <= i < len(lines) else ""

    before = [i for i in range(p - 1, -1, -1) if text(i).strip() and not text(i).lstrip().startswith("#")][:2]
    near = list(dict.fromkeys([p, *([c] if c is not None else []), *before]))
    if any(t in problem for t in _TAB_PROBLEMS) or any(_leading_tab(text(i)) for i in near):
        n = p if _leading_tab(text(p)) or not any(_leading_tab(text(i)) for i in near) else next(i for i in near if _leading_tab(text(i)))
        return n + 1, f"第{n + 1}行用了制表符（Tab）缩进：YAML 只能用空格缩进，请把 Tab 换成空格"
    if "maximum nesting depth" in problem:
        return p + 1, f"第{p + 1}行嵌套层数过多：请检查括号和缩进"
    for i in near:
        if _full_width_colon(text(i)):
            return i + 1, f"第{i + 1}行的“：”是中文全角冒号：键后应写英文冒号加空格“: ”"
    if "quoted scalar" in context and c is not None:
        q = text(c)[e.context_mark.column : e.context_mark.column + 1] if e.context_mark is not None else ""
        return c + 1, f"第{c + 1}行的引号 {q} 没有闭合：以引号开始的文字要用同样的引号结束"
    for i in near:
        if _early_close(text(i)):
            return i + 1, (f"第{i + 1}行引号里的文字中又有英文引号，文字在那里提前结束了：文字中的引号请改用中文引号“”，或外层改用另一种引号")
    for i in range(p, max(p - _QUOTE_SCAN, -1), -1):  # an unclosed quote runs on until the next quote, lines below
        opened = _unclosed_quote(text(i))
        if opened is not None:
            return i + 1, f"第{i + 1}行的引号 {opened} 没有闭合：以引号开始的文字要用同样的引号结束"
    if "expected a single document" in context or "expected a single document" in problem:
        return p + 1, f"第{p + 1}行开始了第二个 YAML 文档（“---”）：参数文件只能有一个文档"
    m = re.search(r"did not find expected ',' or '([}\]])'", problem)
    if m and c is not None:
        close = m.group(1)
        return c + 1, f"第{c + 1}行的“{'{' if close == '}' else '['}”没有对应的“{close}”：请检查括号是否成对，各项之间用英文逗号“, ”分隔"
    if "mapping values are not allowed" in problem and re.search(r":\s", text(p)[: max(col, 0)]):
        return p + 1, f'第{p + 1}行的值里有“: ”（英文冒号加空格）：含冒号的文字请用引号括起来，如 note: "见: 附件"'
    if "could not find expected ':'" in problem and c is not None:
        return c + 1, f"第{c + 1}行没有找到键后的英文冒号：请写成“键: 值”（冒号后加一个空格），或检查缩进"
    if any(t in problem for t in _INDENT_PROBLEMS):
        return p + 1, f"第{p + 1}行缩进与上文不一致：同一层的键要用相同个数的空格对齐，下一层比上一层多缩进"
    return p + 1, f"第{p + 1}行第{col + 1}列无法解析（{problem or context}）：请检查这一行和上一行的缩进、冒号和引号"


def read_yaml_doc(
    path: Path, *, what: str, what_en: str = "file", id_keys: Collection[str] | Mapping[str, str] = (), shape_hint: str = ""
) -> tuple[YamlDoc | None, list[Problem]]:
    """Read ``path`` as a YAML mapping; ``what`` names the file in messages (计划文件, 评分规则文件).

    Every YAML file of hzlib (plans, scoring rules, scenarios, mapping files) is read here,
    with the limits of :func:`load_yaml_text`.
    """
    name = display_path(path)
    text, problems = _read_text(path, name, what, what_en)
    if text is None:
        return None, problems
    data, lines, problems = load_yaml_text(text, name)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(name, 1, None, f"{what}应为一个映射{shape_hint}")]
    return YamlDoc(name, data, lines, id_keys, path), []


def _read_text(path: Path, name: str, what: str, what_en: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problem (missing, a folder, too large, not UTF-8)."""
    if not path.exists():
        return None, [Problem(name, None, None, f"找不到{what} / {what_en} not found")]
    try:
        size = path.stat().st_size
        if not path.is_file():
            return None, [Problem(name, None, None, f"{what}应为一个文件，这里是文件夹或设备 / not a file")]
        if size > MAX_YAML_BYTES:
            return None, [
                Problem(
                    name,
                    None,
                    None,
                    f"{what}过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_YAML_BYTES // 1024 // 1024} MB）："
                    f"参数文件只需几十 KB，请检查是否选错了文件 / file too large",
                )
            ]
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as e:
        return None, [Problem(name, None, None, f"{what}应为 UTF-8 编码：{e.reason}")]
    except OSError as e:
        return None, [Problem(name, None, None, f"无法读取{what}：{e.strerror or e} / cannot read file")]


def read_yaml_model(
    path: Path,
    model: type[M],
    check: Callable[[M, YamlDoc], tuple[M, list[Problem]]],
    *,
    what: str,
    what_en: str = "file",
    id_keys: Collection[str] = (),
    shape_hint: str = "",
) -> tuple[M | None, list[Problem]]:
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
