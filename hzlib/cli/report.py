"""``hz evaluate`` and ``hz run`` subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import UsageError

__all__ = ["register"]


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ..bulletin import resolve_quarter
    from ..data import load_data
    from ..evaluate.engine import evaluate
    from ..plan import load_plan
    from ..present import evaluation_display
    from ..textfmt import render_table

    plan = load_plan(args.plan)
    loaded = load_data(plan.id, args.data, year=plan.year)
    q = resolve_quarter(plan, loaded, args.quarter)
    ev = evaluate(plan, q, loaded.data)
    cols = ["target_id", "indicator", "scope", "period", "checkpoint", "actual", "gap", "unit", "status"]
    df = ev.targets
    if args.format == "csv":
        df[cols + [c for c in df.columns if c not in cols]].to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        out = json.loads(df[cols + [c for c in df.columns if c not in cols]].to_json(orient="records", force_ascii=False))
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "xlsx":
        from ..bulletin import build_bulletin
        from ..render.excel import write_tables_xlsx

        if not args.output:
            raise UsageError("xlsx 输出需要 --output 文件名")
        b = build_bulletin(plan.id, q, args.data)
        write_tables_xlsx(b.tables, Path(args.output), title=f"{plan.jurisdiction}{q}")
        print(f"已写入 {args.output}")
    else:
        d = evaluation_display(df)
        print(f"{plan.title}\n{ev.period.label_zh()} 目标完成情况" + ("（示意数据）" if ev.illustrative else "") + "\n")
        print(render_table([list(d.columns), *d.astype(str).values.tolist()]))
        s = ev.summary()
        print(f"\n达标 {s['met']}，基本达标 {s['near']}，未达标 {s['missed']}，未到期 {s['pending']}，无数据 {s['no_data']}")
        if loaded.warnings:
            print(f"\n数据提示 {len(loaded.warnings)} 条（hz validate-data 查看详情）")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from ..plan import list_plan_ids
    from ..run import main_run

    plans = list_plan_ids() if args.all else list(args.plans)
    if not plans:
        raise UsageError("请给出计划 id 或 --all")
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    return main_run(plans, args.quarter, Path(args.out), formats, args.data)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("evaluate", help="评价某季度各项目标 / evaluate targets against actuals")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--quarter", default="latest", help="如 2024Q2，或 latest（默认）")
    p.add_argument("--data", help="数据目录（默认 data/<plan>/）")
    p.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    p.add_argument("--output", help="xlsx 输出文件")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("run", help="执行 notebook 并生成通报 / render bulletins")
    p.add_argument("plans", nargs="*", metavar="PLAN")
    p.add_argument("--all", action="store_true", help="全部内置计划")
    p.add_argument("--quarter", default="latest", help="如 2024Q2，或 latest（默认）")
    p.add_argument("--formats", default="html,pdf,xlsx")
    p.add_argument("--out", default="reports")
    p.add_argument("--data", help="数据目录（默认 data/<plan>/）")
    p.set_defaults(func=cmd_run)
