"""``hz check``, ``hz targets``: plan files and their quarterly checkpoints."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import ERROR
from ._common import EXIT_INPUT, EXIT_OK, print_problems

__all__ = ["register"]


def cmd_check(args: argparse.Namespace) -> int:
    from ..plan import check_plan, plan_path, read_plan_file
    from ..plan.quotes import default_seeds_dir, verify_quotes

    status = EXIT_OK
    for name in args.plans:
        path = plan_path(name)
        plan, problems = read_plan_file(path)
        errors = [p for p in problems if p.severity == ERROR]
        if plan is None or errors:
            print(f"✗ {path.name}：{len(errors)} 处错误", file=sys.stderr)
            print_problems(problems)
            status = EXIT_INPUT
            continue
        warnings = [p for p in problems if p.severity != ERROR] + check_plan(plan, path.name)
        seeds = Path(args.seeds) if args.seeds else default_seeds_dir()
        if seeds is not None:
            bad_quotes = verify_quotes(plan, seeds, path.name)
            if bad_quotes:
                print(f"✗ {path.name}：{len(bad_quotes)} 处引文与原文不符", file=sys.stderr)
                print_problems(bad_quotes)
                status = EXIT_INPUT
        n_alloc = sum(len(a.rows) for a in plan.allocations)
        print(f"✓ {path.name}：{plan.title}（{plan.year}年），{len(plan.targets)} 个目标，任务分解 {n_alloc} 行，{len(warnings)} 条警告")
        for w in warnings:
            print(f"  - {w}")
    return status


def cmd_targets(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..plan import load_plan
    from ..targets import checkpoints_frame
    from ..textfmt import fmt_number, render_table

    plan = load_plan(args.plan)
    df = checkpoints_frame(plan, args.quarter)
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
        return EXIT_OK
    if args.format == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False))
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    from ..periods import Period

    print(f"{plan.title}\n{Period.parse(args.quarter).label_zh()} 季度目标（{len(df)} 项）\n")
    rows: list[list[object]] = [["目标", "范围", "全年目标", "本期目标", "单位", "依据"]]
    for r in df.itertuples():
        scope = r.jurisdiction + (f"·{r.subset}" if r.subset else "")
        cp = fmt_number(None if pd.isna(r.checkpoint) else r.checkpoint)
        if not pd.isna(r.checkpoint_count):
            cp += f"（{int(r.checkpoint_count)}个）"
        if not r.is_checkpoint:
            cp = f"({cp})"
        rows.append([r.label, scope, fmt_number(None if pd.isna(r.annual_value) else r.annual_value), cp, r.unit, r.derivation])
    print(render_table(rows, right_align=(2, 3)))
    print("\n括号内为参考值（年末考核或未到期）。")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="校验计划文件并报告内部不一致 / validate plan files")
    p.add_argument("plans", nargs="+", metavar="PLAN", help="计划 id（params/plans/ 下的文件名，不含 .yaml）或计划文件路径")
    p.add_argument("--seeds", help="原文目录，用于核对引文（默认 ../shared/seeds，存在时）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("targets", help="打印某季度的季度目标 / quarterly checkpoints")
    p.add_argument("plan", metavar="PLAN", help="计划 id")
    p.add_argument("--quarter", required=True, help="季度，如 2024Q2 或 2024年二季度")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="输出格式（默认 table）")
    p.set_defaults(func=cmd_targets)
