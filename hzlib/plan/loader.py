"""Read and validate plan files, reporting every problem with file, line and field.

>>> plan = load_plan("zhenba-2024")          # doctest: +SKIP
>>> plan.target("fai_growth").fraction      # doctest: +SKIP
0.08
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import ERROR, PlanError, Problem
from ..paths import PLANS_DIR
from .schema import Basis, Measure, Plan, Target

__all__ = ["PLANS_DIR", "plan_path", "load_plan", "load_all_plans", "list_plan_ids", "read_plan_file", "indicator_problems"]


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


def _zh_message(err: Any) -> str:
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


def plan_path(plan: str | Path, plans_dir: Path | None = None) -> Path:
    """Resolve a plan id (``zhenba-2024``) or a path to a plan file.

    Plan ids are checked so that a path cannot escape the plans folder.
    """
    p = Path(plan)
    if p.suffix in (".yaml", ".yml"):
        return p
    from ..safety import check_id

    check_id(str(plan), "plan")
    return (plans_dir or PLANS_DIR) / f"{plan}.yaml"


def list_plan_ids(plans_dir: Path | None = None) -> list[str]:
    d = plans_dir or PLANS_DIR
    return sorted(p.stem for p in d.glob("*.yaml"))


def _line_map(node: yaml.Node, path: tuple[Any, ...] = (), out: dict[tuple[Any, ...], int] | None = None) -> dict[tuple[Any, ...], int]:
    """Map each field path of a YAML document to its 1-based line."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[path + (key,)] = k.start_mark.line + 1
            _line_map(v, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out[path + (i,)] = v.start_mark.line + 1
            _line_map(v, path + (i,), out)
    return out


def _fmt_path(loc: tuple[Any, ...]) -> str:
    s = ""
    for part in loc:
        if isinstance(part, int):
            s += f"[{part}]"
        else:
            s += ("." if s else "") + str(part)
    return s


def _nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def _with_ids(data: Any, loc: tuple[Any, ...]) -> str:
    """Field path, with the target id added so users find it: targets[3](fai_growth).value."""
    text = _fmt_path(loc)
    if len(loc) >= 2 and loc[0] in ("targets", "allocations", "ambiguities") and isinstance(loc[1], int):
        try:
            ident = data[loc[0]][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            ident = None
        if ident:
            head = f"{loc[0]}[{loc[1]}]"
            text = text.replace(head, f"{head}({ident})", 1)
    return text


def _display(path: Path) -> str:
    """Path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_plan_file(path: Path) -> tuple[Plan | None, list[Problem]]:
    """Parse and validate one plan file; return the plan (or None) and all problems."""
    name = _display(path)
    if not path.exists():
        return None, [Problem(name, None, None, "找不到计划文件 / plan file not found")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(name, None, None, f"计划文件应为 UTF-8 编码：{e.reason}")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        return None, [Problem(name, line, None, f"YAML 语法错误：{e.problem}")]
    if not isinstance(data, dict) or node is None:
        return None, [Problem(name, 1, None, "计划文件应为一个映射（id: …, targets: …）")]
    lines = _line_map(node)
    problems: list[Problem] = []
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            detail = err["msg"].removeprefix("Value error, ")
            if err["type"] == "value_error" and detail.startswith("@"):
                # "@field message" lines from model validators: point at each field
                for line in detail.splitlines():
                    field, _, msg = line[1:].partition(" ")
                    floc = loc + tuple(field.split("."))
                    problems.append(Problem(name, _nearest_line(lines, floc), _with_ids(data, floc), msg))
                continue
            problems.append(Problem(name, _nearest_line(lines, loc), _with_ids(data, loc), _zh_message(err)))
        return None, problems
    problems += _semantic_problems(plan, data, lines, name, path)
    return (plan if not any(p.severity == ERROR for p in problems) else None), problems


def _semantic_problems(plan: Plan, data: dict[str, Any], lines: dict[tuple[Any, ...], int], name: str, path: Path) -> list[Problem]:
    """Cross-field errors pydantic cannot see: ids, references, file name."""
    out: list[Problem] = []

    def at(loc: tuple[Any, ...], msg: str) -> None:
        out.append(Problem(name, _nearest_line(lines, loc), _with_ids(data, loc), msg))

    if path.suffix in (".yaml", ".yml") and path.stem != plan.id:
        at(("id",), f"计划 id {plan.id!r} 应与文件名 {path.stem!r} 一致")
    ids: dict[str, int] = {}
    for i, t in enumerate(plan.targets):
        if t.id in ids:
            at(("targets", i, "id"), f"目标 id {t.id!r} 重复（第一次出现在 targets[{ids[t.id]}]）")
        ids.setdefault(t.id, i)
    by_id = {t.id: t for t in plan.targets}
    for i, t in enumerate(plan.targets):
        for field, msg in indicator_problems(t):
            at(("targets", i, field), msg)
        if t.base_target is not None:
            base = by_id.get(t.base_target)
            if base is None:
                at(("targets", i, "base_target"), f"base_target 指向不存在的目标 {t.base_target!r}")
            elif base.measure is not Measure.COUNT:
                at(("targets", i, "base_target"), f"base_target {t.base_target!r} 应为 count 类目标")
        if t.part_of is not None:
            parent = by_id.get(t.part_of)
            if parent is None:
                at(("targets", i, "part_of"), f"part_of 指向不存在的目标 {t.part_of!r}")
            elif parent.measure is not t.measure:
                at(("targets", i, "part_of"), f"part_of {t.part_of!r} 的类型 ({parent.measure.value}) 与本目标 ({t.measure.value}) 不同")
            elif t.part_of == t.id:
                at(("targets", i, "part_of"), "part_of 不能指向自身")
    for i, a in enumerate(plan.allocations):
        for j, c in enumerate(a.columns):
            if c.total_target is not None and c.total_target not in by_id:
                at(("allocations", i, "columns", j, "total_target"), f"total_target 指向不存在的目标 {c.total_target!r}")
    for i, amb in enumerate(plan.ambiguities):
        for j, tid in enumerate(amb.targets):
            if tid not in by_id:
                at(("ambiguities", i, "targets", j), f"指向不存在的目标 {tid!r}")
    return out


def indicator_problems(t: Target) -> list[tuple[str, str]]:
    """Whether ``t``'s indicator, basis and measure agree with the measure registry.

    A ``basis: report`` target may name any indicator (the department reports it);
    any other target's indicator must be one the registry measures on that basis.
    Returns (field, message) pairs.
    """
    from ..evaluate.measures import REGISTRY, closest, effective_basis

    if t.basis is Basis.REPORT:
        return []
    ind = REGISTRY.get(t.indicator)
    if ind is None:
        near = "、".join(closest(t.indicator)) or "（无）"
        return [("indicator", f"未知指标 {t.indicator!r}：最接近的是 {near}（hz indicators 列出全部指标）；"
                 f"若该数由责任部门报送，请写 basis: report")]
    basis = effective_basis(t)
    assert basis is not None
    out: list[tuple[str, str]] = []
    if basis not in ind.bases:
        can = "、".join(f"{b.value}（{b.zh}）" for b in ind.bases)
        out.append(("basis", f"指标 {t.indicator}（{ind.zh}）不能按 {basis.value}（{basis.zh}）计算，只能按 {can}；或写 basis: report"))
    if t.measure not in ind.measures:
        can = "、".join(m.value for m in ind.measures)
        out.append(("measure", f"指标 {t.indicator}（{ind.zh}）的目标类型应为 {can}，实际为 {t.measure.value}"))
    return out


def load_plan(plan: str | Path, plans_dir: Path | None = None) -> Plan:
    """Load a plan by id or path; raise :class:`InputError` listing every problem."""
    path = plan_path(plan, plans_dir)
    result, problems = read_plan_file(path)
    if result is None:
        raise PlanError(problems, what=f"计划文件 {path.name}")
    return result


def load_all_plans(plans_dir: Path | None = None) -> dict[str, Plan]:
    return {pid: load_plan(pid, plans_dir) for pid in list_plan_ids(plans_dir)}
