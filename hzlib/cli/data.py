"""``hz validate-data``: read a data file and report what was read, left out and wrong.
``hz tasks-template``: the blank 任务完成情况 table of the targets still to be collected.

    hz validate-data 台账.xlsx
    hz validate-data progress.csv --kind progress --ledger 台账.xlsx --year 2024
    hz validate-data 指标.csv --format json
    hz validate-data tasks.csv --plan hanzhong-2022
    hz tasks-template hanzhong-2022 --quarter 2022Q3 --out tasks.csv

Exit code 0 when there is no error (warnings allowed), 2 with errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import Problem
from ..ingest import KIND_NAMES_ZH, KINDS, ReadResult, validate_file

__all__ = ["register", "cmd_validate_data", "render_text"]

from ._common import EXIT_INPUT, EXIT_OK


def render_text(r: ReadResult) -> str:
    """A Chinese summary of a read: encoding, rows, exclusions, warnings, errors.

    >>> import pandas as pd
    >>> print(render_text(ReadResult(kind="ledger", file="a.csv", frame=pd.DataFrame(), encoding="UTF-8")).splitlines()[0])
    ✓ a.csv（项目台账）
    """
    mark = "✓" if r.ok else "✗"
    lines = [f"{mark} {r.file}（{KIND_NAMES_ZH.get(r.kind, r.kind)}）"]
    if r.sheet:
        lines.append(f"  工作表：{r.sheet}")
    if r.encoding:
        lines.append(f"  编码：{r.encoding}")
    if r.header_row is not None:
        lines.append(f"  表头：第{r.header_row}行")
    lines.append(f"  读取数据行：{r.source_rows}，保留：{r.kept_rows}，排除：{len(r.excluded)}")
    if r.units:
        lines.append("  金额/百分比单位：" + "，".join(f"{r.columns.get(k, k)} → {u}" for k, u in r.units.items()))
    if r.excluded:
        lines.append(f"  排除的行（{len(r.excluded)}）：")
        lines += [f"    - 第{e.row}行：{e.reason}" for e in r.excluded]
    def by_row(p: Problem) -> int:
        return p.row or 0

    warnings, errors = sorted(r.warnings, key=by_row), sorted(r.errors, key=by_row)
    if warnings:
        lines.append(f"  警告（{len(warnings)}）：")
        lines += [f"    - {p}" for p in warnings]
    if errors:
        lines.append(f"  错误（{len(errors)}）：")
        lines += [f"    - {p}" for p in errors]
    tail = "可以使用" if r.ok else "请修正错误后重试"
    lines.append(f"  结论：{len(errors)} 处错误，{len(warnings)} 条警告，{tail} / {len(errors)} error(s), {len(warnings)} warning(s)")
    return "\n".join(lines)


def cmd_validate_data(args: argparse.Namespace) -> int:
    r = validate_file(args.path, args.kind, sheet=args.sheet, year=args.year, ledger=args.ledger)
    if args.plan:
        from ..plan import load_plan
        from ..tasks import check_read_tasks

        check_read_tasks(r, load_plan(args.plan))
    if args.format == "json":
        data: dict[str, Any] = r.as_dict()
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render_text(r))
    return EXIT_OK if r.ok else EXIT_INPUT


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate-data`` to the ``hz`` command."""
    p = sub.add_parser("validate-data", help="检查数据文件（台账、进度、指标、基数、任务完成情况）/ check a data file")
    p.add_argument("path", metavar="PATH", help=".csv 或 .xlsx 文件")
    p.add_argument("--kind", choices=KINDS, help="文件类型；不填时按列名和文件名判断")
    p.add_argument("--sheet", help="xlsx 工作表名（默认第一个）")
    p.add_argument("--year", type=int, help="台账年度，用于核对月份和日期")
    p.add_argument("--ledger", help="核对进度时使用的项目台账文件")
    p.add_argument("--plan", help="核对任务完成情况表时使用的计划 id（目标编号、计量单位、期别）")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_validate_data)

    t = sub.add_parser("tasks-template", help="生成任务完成情况报送表（台账和统计指标算不出的目标）/ blank tasks table")
    t.add_argument("plan", metavar="PLAN", help="计划 id")
    t.add_argument("--quarter", help="期别，如 2022Q3（默认：数据中最新的季度，没有数据时为一季度）")
    t.add_argument("--data", help="数据目录（默认 data/<plan>/）：其中统计指标已有的目标不列入")
    t.add_argument("--out", help="写入的 .csv 文件（默认打印到屏幕）")
    t.set_defaults(func=cmd_tasks_template)


def cmd_tasks_template(args: argparse.Namespace) -> int:
    """Write the blank tasks table of a plan."""
    from ..contracts import TASK_COLUMNS
    from ..data import data_dir_for, load_data
    from ..errors import InputError
    from ..evaluate.coverage import data_coverage
    from ..plan import load_plan
    from ..tasks import template

    plan = load_plan(args.plan)
    available: set[str] = set()
    quarter = args.quarter
    if data_dir_for(plan.id, args.data).is_dir():
        try:
            loaded = load_data(plan.id, args.data, year=plan.year, plan=plan)
        except InputError as e:
            print(e, file=sys.stderr)
            return EXIT_INPUT
        ind = loaded.data.indicators
        if not ind.empty:
            available = set(ind["indicator"].astype(str))
        if quarter is None:
            latest = data_coverage(loaded.data, plan.year).latest_quarter()
            quarter = latest.label() if latest is not None else None
    quarter = quarter or f"{plan.year}Q1"
    frame = template(plan, quarter, available)
    frame.columns = [c.zh for c in TASK_COLUMNS]
    text = frame.to_csv(index=False, lineterminator="\n")
    if args.out:
        with open(args.out, "w", encoding="utf-8-sig", newline="") as fh:
            fh.write(text)
        print(f"✓ 已写入 {args.out}：{len(frame)} 项目标待报送 / {len(frame)} targets to report")
    else:
        sys.stdout.write(text)
    return EXIT_OK
