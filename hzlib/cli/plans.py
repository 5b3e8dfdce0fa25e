"""``hz check``, ``hz targets``, ``hz indicators``: plan files, their quarterly checkpoints,
and the indicators a plan's targets may name."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..contracts import LEDGER_COLUMNS
from ..errors import ERROR
from ..periods import Period
from ..safety import csv_text
from ..textfmt import fmt_number, render_table
from ._common import EXIT_INPUT, EXIT_OK, add_quarter, check_output, emit, output_suffix, print_problems

if TYPE_CHECKING:
    from ..plan.indicators import Indicator

__all__ = ["register", "indicators_frame"]


_PLAN_KEY = re.compile(r"^targets\s*:", re.M)


def _is_plan_file(path: Path) -> bool:
    """Whether a .yaml file looks like a plan (a top-level ``targets:``), not a mapping or scoring file."""
    try:
        return bool(_PLAN_KEY.search(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


def _expand_folder(name: str) -> list[Path] | None:
    """The plan files in folder ``name`` (said on the screen), or None when ``name`` is not a folder
    (a plan id such as ``zhenba-2024`` is a plan even where a folder of that name exists)."""
    folder = Path(name)
    if not folder.is_dir() or (folder.suffix not in (".yaml", ".yml") and name in _plan_ids()):
        return None
    yamls = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    plans = [f for f in yamls if _is_plan_file(f)]
    others = [f.name for f in yamls if f not in plans]
    skipped = f"（另有 {len(others)} 个 .yaml 不是计划文件：{'、'.join(others)}）" if others else ""
    if not plans:
        inner = [d for d in sorted(folder.iterdir()) if d.is_dir() and any(_is_plan_file(f) for f in d.glob("*.y*ml"))]
        example = f"params/plans/{(_plan_ids() or ['<计划>'])[0]}.yaml"
        hint = f"；子文件夹 {inner[0].as_posix()} 中有计划文件：hz check {inner[0].as_posix()}" if inner else f"：请写计划 id 或计划文件路径，如 {example}"
        print(f"✗ {name} 是文件夹，其中没有计划文件{skipped}{hint}", file=sys.stderr)
    else:
        print(f"{name} 是文件夹，检查其中的 {len(plans)} 个计划文件：{'、'.join(f.name for f in plans)}{skipped}")
    return plans


def _plan_ids() -> list[str]:
    from ..plan import list_plan_ids  # lazy: hzlib.plan costs 24 ms at hz --help

    return list_plan_ids()


def cmd_check(args: argparse.Namespace) -> int:
    from ..plan import plan_path  # lazy: hzlib.plan costs 24 ms at hz --help

    status = EXIT_OK
    for name in args.plans:
        files = _expand_folder(name)
        if files is None:
            files = [plan_path(name)]
        elif not files:
            status = EXIT_INPUT
        for path in files:
            status = max(status, _check_one(path, args.seeds))
    return status


def _check_one(path: Path, seeds_option: str | None) -> int:
    """Check one plan file and print the result: ✓ with its warnings, or ✗ with its errors."""
    from ..plan import check_plan, read_plan_file  # lazy: hzlib.plan costs 24 ms at hz --help
    from ..plan.quotes import default_seeds_dir, verify_quotes  # lazy: hzlib.plan.quotes costs 34 ms at hz --help

    plan, problems = read_plan_file(path)
    errors = [p for p in problems if p.severity == ERROR]
    if plan is None or errors:
        print(f"✗ {path.name}：{len(errors)} 处错误", file=sys.stderr)
        print_problems(problems)
        return EXIT_INPUT
    warnings = [p for p in problems if p.severity != ERROR] + check_plan(plan, path.name)
    seeds = Path(seeds_option) if seeds_option else default_seeds_dir()
    if seeds is not None:
        quotes = verify_quotes(plan, seeds, path.name)
        bad_quotes = [p for p in quotes if p.severity == ERROR]
        warnings += [p for p in quotes if p.severity != ERROR]
        if bad_quotes:
            print(f"✗ {path.name}：{len(bad_quotes)} 处引文与原文不符", file=sys.stderr)
            print_problems(bad_quotes)
            return EXIT_INPUT
    n_alloc = sum(len(a.rows) for a in plan.allocations)
    print(f"✓ {path.name}：{plan.title}（{plan.year}年），{len(plan.targets)} 个目标，任务分解 {n_alloc} 行，{len(warnings)} 条警告")
    for w in warnings:
        print(f"  - {w}")
    return EXIT_OK


def cmd_targets(args: argparse.Namespace) -> int:
    from ..plan import load_plan  # lazy: hzlib.plan costs 24 ms at hz --help
    from ..targets import checkpoints_frame  # lazy: hzlib.targets costs 31 ms at hz --help

    if args.output:
        check_output(args.output, suffix=output_suffix(args.format))
    plan = load_plan(args.plan)
    df = checkpoints_frame(plan, args.quarter)
    if _emit_machine(df, args.format, args.output):
        return EXIT_OK
    rows: list[list[object]] = [["目标", "范围", "全年目标", "本期目标", "单位", "依据"]]
    for r in df.itertuples():
        scope = r.jurisdiction + (f"·{r.subset}" if r.subset else "")
        cp = fmt_number(None if pd.isna(r.checkpoint) else r.checkpoint)
        if not pd.isna(r.checkpoint_count):
            cp += f"（{int(r.checkpoint_count)}个）"
        if not r.is_checkpoint:
            cp = f"({cp})"
        rows.append([r.label, scope, fmt_number(None if pd.isna(r.annual_value) else r.annual_value), cp, r.unit, r.derivation])
    lines = [
        plan.title,
        f"{Period.parse(args.quarter).label_zh()} 季度目标（{len(df)} 项）",
        "",
        render_table(rows, right_align=(2, 3)),
        "",
        "括号内为参考值（年末考核或未到期）。",
    ]
    emit("\n".join(lines) + "\n", args.output)
    return EXIT_OK


def _emit_machine(df: pd.DataFrame, fmt: str, output: str | None) -> bool:
    """Print (or write to ``output``) ``df`` as csv (safe to open in a spreadsheet) or json records; False for ``table``."""
    if fmt == "csv":
        emit(csv_text(df), output, bom=True)
        return True
    if fmt == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False))
        emit(json.dumps(records, ensure_ascii=False, indent=2) + "\n", output)
        return True
    return False


#: What a target of each measure is written in (the plan file's ``unit``).
_UNIT_KIND = {"growth": "%", "share": "%", "rate": "%", "amount": "万元/亿元", "count": "个", "quantity": "公里、亩…"}


def _needs_zh(ind: Indicator) -> str:
    """The data files and columns an indicator is measured from, in Chinese."""
    from ..plan.indicators import STATISTICS  # lazy: hzlib.plan.indicators costs 40 ms at hz --help
    from ..plan.schema import Basis  # lazy: hzlib.plan.schema costs 36 ms at hz --help

    headers = {c.id: c.zh for c in LEDGER_COLUMNS}
    parts = []
    if Basis.LEDGER in ind.bases:
        cols = [headers.get(c, c) for c in ind.needs]
        text = "台账" + (f"（{'、'.join(cols)}）" if cols else "")
        if ind.needs_progress:
            text += " + 月度进度（累计完成投资）"
        if ind.pool == "all":
            text += "，含谋划、储备项目"
        parts.append(text)
    if Basis.STATISTICS in ind.bases:
        if ind.share_of is not None:
            num, den = ind.share_of
            parts.append(f"统计指标 {num}（{STATISTICS[num]}）与 {den}（{STATISTICS[den]}）的累计值，或 {ind.id} 的公布占比")
        else:
            parts.append(f"统计指标 {ind.id} 的累计同比增速（增速目标）或累计值（金额目标）")
    return "；".join(parts)


def indicators_frame() -> pd.DataFrame:
    """Every indicator of the catalogue, one row each, with what it needs.

    >>> df = indicators_frame()
    >>> df.set_index("indicator").loc["start_rate", ["name", "measures", "unit", "bases"]].tolist()
    ['开工率', 'rate', '%', 'ledger']
    """
    from ..plan.indicators import INDICATORS  # lazy: hzlib.plan.indicators costs 40 ms at hz --help

    rows = []
    for ind in INDICATORS.values():
        measures = [m.value for m in ind.measures]
        rows.append(
            {
                "indicator": ind.id,
                "name": ind.zh,
                "measures": ",".join(measures),
                "unit": "，".join(dict.fromkeys(_UNIT_KIND.get(m, "") for m in measures)),
                "bases": ",".join(b.value for b in ind.bases),
                "bases_zh": "、".join(b.zh for b in ind.bases),
                "needs": _needs_zh(ind),
                "description": ind.description,
                "example": ind.example,
            }
        )
    return pd.DataFrame(rows)


def cmd_indicators(args: argparse.Namespace) -> int:
    if args.output:
        check_output(args.output, suffix=output_suffix(args.format))
    df = indicators_frame()
    if _emit_machine(df, args.format, args.output):
        return EXIT_OK
    lines = [f"计划文件中目标的 indicator 可以写以下 {len(df)} 个指标；measure 须为其“目标类型”之一，unit 为相应单位。", ""]
    for r in df.itertuples():
        lines += [
            f"{r.indicator}  {r.name}",
            f"  目标类型：{r.measures.replace(',', '、')}（{r.unit}）；口径：{r.bases_zh}",
            f"  所需数据：{r.needs}",
            f"  说明：{r.description}",
            f"  示例：{r.example}",
            "",
        ]
    lines += [
        "口径：重点项目台账按台账和月度进度计算，统计数据取统计部门公布的指标（格式见 docs/data.md）。",
        "不在此列的指标（如引进内资、观摩次数）由责任部门报送：目标写 basis: report，数值填入任务完成情况表（hz tasks-template 生成空表）。",
    ]
    emit("\n".join(lines) + "\n", args.output)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="校验计划文件（计划 id 或 .yaml 文件路径）并报告内部不一致 / validate plan files (id or path)")
    p.add_argument("plans", nargs="+", metavar="PLAN", help="计划 id（params/plans/ 下的文件名，不含 .yaml）或计划文件路径（如 my-plan.yaml）")
    p.add_argument("--seeds", metavar="DIR", help="原文目录，用于核对引文（默认 ../shared/seeds，存在时）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("targets", help="打印某季度的季度目标 / quarterly checkpoints")
    p.add_argument("plan", metavar="PLAN", help="计划 id 或计划文件路径")
    add_quarter(p, required=True)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="输出格式（默认 table；csv 可用 Excel 打开）")
    p.add_argument("--output", metavar="FILE", help="输出文件（默认输出到屏幕）")
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser("indicators", help="列出目标可用的全部指标（indicator）及所需数据 / list measurable indicators")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="输出格式（默认 table；csv、json 另含计算说明）")
    p.add_argument("--output", metavar="FILE", help="输出文件（默认输出到屏幕）")
    p.set_defaults(func=cmd_indicators)
