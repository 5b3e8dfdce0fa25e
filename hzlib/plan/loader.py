"""Read and validate plan files, reporting every problem with file, line and field.

>>> plan = load_plan("zhenba-2024")          # doctest: +SKIP
>>> plan.target("fai_growth").fraction      # doctest: +SKIP
0.08
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import PlanError, Problem
from ..paths import project
from ..yamldoc import YamlDoc, read_yaml_model, yaml_ids, yaml_path
from .indicators import INDICATORS, closest, effective_basis
from .schema import Basis, Measure, Plan, Target

__all__ = ["plan_path", "load_plan", "load_all_plans", "list_plan_ids", "read_plan_file", "indicator_problems"]


def plan_path(plan: str | Path, plans_dir: Path | None = None) -> Path:
    """Resolve a plan id (``zhenba-2024``) or a path to a plan file.

    Plan ids are checked so that a path cannot escape the plans folder.
    """
    return yaml_path(plan, plans_dir or project().plans_dir, "plan")


def list_plan_ids(plans_dir: Path | None = None) -> list[str]:
    return yaml_ids(plans_dir or project().plans_dir)


_ID_KEYS = ("targets", "allocations", "ambiguities")


def read_plan_file(path: Path) -> tuple[Plan | None, list[Problem]]:
    """Parse and validate one plan file; return the plan (or None) and all problems."""
    return read_yaml_model(
        path,
        Plan,
        lambda plan, doc: (plan, _semantic_problems(plan, doc, path)),
        what="计划文件",
        what_en="plan file",
        id_keys=_ID_KEYS,
        shape_hint="（id: …, targets: …）",
    )


def _semantic_problems(plan: Plan, doc: YamlDoc, path: Path) -> list[Problem]:
    """Cross-field errors pydantic cannot see: ids, references, file name."""
    out: list[Problem] = []

    def at(loc: tuple[Any, ...], msg: str) -> None:
        out.append(doc.problem(loc, msg))

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
    """Whether ``t``'s indicator, basis and measure agree with the indicator catalogue.

    A ``basis: report`` target may name any indicator (the department reports it);
    any other target's indicator must be one the catalogue measures on that basis.
    Returns (field, message) pairs.
    """
    if t.basis is Basis.REPORT:
        return []
    ind = INDICATORS.get(t.indicator)
    if ind is None:
        near = "、".join(closest(t.indicator)) or "（无）"
        return [("indicator", f"未知指标 {t.indicator!r}：最接近的是 {near}（hz indicators 列出全部指标）；若该数由责任部门报送，请写 basis: report")]
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
