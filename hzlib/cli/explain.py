"""``hz explain``: where a figure of the bulletin comes from, row by row.

hz explain hanzhong-2023 city_invest_completion --quarter 2023Q3
hz explain hanzhong-2023 city_invest_completion --quarter 2023Q3 --format csv
hz explain hanzhong-2023 --unit 汉台区 --quarter 2023Q3
"""

from __future__ import annotations

import argparse
import json
from difflib import get_close_matches
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..safety import csv_text
from ..textfmt import fmt_number, render_table
from ._common import EXIT_OK, add_allow_partial, add_data, add_quarter, check_output, emit, output_suffix

if TYPE_CHECKING:
    from ..evaluate.derivation import Derivation

__all__ = ["register", "render_text"]

#: Rows printed per figure in the terminal (csv and json list every row).
TABLE_ROWS = 30


def render_text(derivations: list[Derivation], heading: str, limit: int = TABLE_ROWS) -> str:
    """The derivations in Chinese for the terminal: formula, plan quote, contributing rows (at most ``limit``)."""
    from ..evaluate.derivation import ROW_COLUMNS_ZH  # lazy: hzlib.evaluate.derivation costs 67 ms at hz --help

    lines = [heading]
    shown = ["role", "project_id", "name", "unit", "quantity", "value", "origin", "source_column"]
    for d in derivations:
        lines.append(f"\n【{d.figure_zh}】{d.shown}")
        lines.append(f"  算式：{d.formula}")
        if d.quote and d.figure in ("actual", "checkpoint"):
            lines.append(f"  计划原文：{d.quote}")
        if d.note:
            lines.append(f"  口径：{d.note}")
        if d.op not in ("text", "arithmetic", "quote") or d.figure.startswith("score:"):
            if len(d.rows):
                rows = d.rows.head(limit)
                body = [
                    [("" if v is None or v != v else (fmt_number(v, 4 if abs(v) < 1 else 2) if isinstance(v, float) else v)) for v in r]
                    for r in rows[shown].astype(object).itertuples(index=False)
                ]
                table = render_table([[ROW_COLUMNS_ZH[c] for c in shown], *body], right_align=(5,))
                lines.append("  " + table.replace("\n", "\n  "))
                if len(d.rows) > limit:
                    lines.append(f"  ……共 {len(d.rows)} 行，此处列出前 {limit} 行；全部行请用 --format csv")
        elif len(d.rows):
            base = d.rows[d.rows["role"] == "季度基数"]
            for r in base.itertuples(index=False):
                lines.append(f"  {r.quantity}：{fmt_number(float(r.value))} 万元（{r.origin}“{r.source_column}”）")
            if len(d.rows) > len(base):
                lines.append(f"  （依据的其余 {len(d.rows) - len(base)} 行同实际值；--format csv 列出全部）")
    return "\n".join(lines) + "\n"


def cmd_explain(args: argparse.Namespace) -> int:
    from ..evaluate.derivation import as_frame  # lazy: hzlib.evaluate.derivation costs 67 ms at hz --help
    from ..report import load_report  # lazy: hzlib.report costs 158 ms at hz --help

    if args.output:  # before any work: a folder, a missing folder or no permission is said at once
        check_output(args.output, suffix=output_suffix(args.format))
    if args.target is None and args.unit is None:
        raise UsageError("请给出目标编号（hz targets 计划 查看），或用 --unit 单位名称说明一个单位")
    m = load_report(args.plan, args.quarter, args.data, allow_partial=args.allow_partial)
    if args.unit is not None:
        try:
            ds = m.unit_derivations(args.unit)
        except KeyError:
            known = "、".join(m.units.index.astype(str)) if not m.units.empty else ""
            raise UsageError(f"{m.period_zh}分单位完成情况中没有单位“{args.unit}”" + (f"；有：{known}" if known else "（本期没有分单位完成情况）")) from None
        heading = f"{m.plan.jurisdiction}{m.period_zh}｜{args.unit}：各项比率、排名与红旗/蜗牛的来源（{m.banner}）"
    else:
        ids = [t.id for t in m.plan.targets]
        if args.target not in ids:
            near = "、".join(get_close_matches(args.target, ids, n=3, cutoff=0.4))
            raise UsageError(f"计划 {args.plan} 中没有目标“{args.target}”" + (f"；相近的有：{near}" if near else "") + f"（hz targets {args.plan} 查看全部）")
        ds = m.derivations(args.target)
        t = next(t for t in m.plan.targets if t.id == args.target)
        heading = f"{t.label}（{t.id}）｜{m.plan.jurisdiction}{m.period_zh}（{m.banner}）"
    if args.format == "json":
        emit(json.dumps([d.as_dict() for d in ds], ensure_ascii=False, indent=2, default=str) + "\n", args.output)
    elif args.format == "csv":
        emit(csv_text(as_frame(ds)), args.output, bom=True)
    else:
        emit(render_text(ds, heading), args.output)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("explain", help="溯源：一个数字由哪些文件的哪些行算出 / where a figure comes from")
    p.add_argument("plan", metavar="PLAN", help="计划 id")
    p.add_argument("target", metavar="TARGET", nargs="?", help="目标编号（hz targets 计划 查看）")
    p.add_argument("--unit", help="说明一个责任单位的比率、排名和红旗/蜗牛（代替目标编号）")
    add_quarter(p)
    add_data(p)
    add_allow_partial(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="输出格式（默认 table）")
    p.add_argument("--output", help="写入文件（csv 带 BOM，Excel/WPS 可直接打开）；默认打印")
    p.set_defaults(func=cmd_explain)
