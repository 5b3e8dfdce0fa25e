"""``hz whatif``: the baseline against one or more scenarios, target by target.

Text output is Chinese; csv and json use the stable English columns of
:data:`hzlib.whatif.compare.COMPARE_COLUMNS` (json adds the scenarios, the growth outlook
with percent numbers in ``*_pct`` keys, and new starts by quarter); xlsx writes
:func:`hzlib.whatif.views.excel_tables`. A bad scenario file or ``--assume`` string is
a :class:`~hzlib.errors.PlanError` listing file, line and field: exit code 2.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..safety import csv_text
from ..textfmt import render_table
from ..units import to_percent
from ._common import EXIT_OK, check_output, emit, output_errors, output_suffix

if TYPE_CHECKING:
    from ..whatif.compare import WhatIf

__all__ = ["register"]


def _text(w: WhatIf, all_targets: bool) -> str:
    from ..whatif.compare import ASSUMED_ZH  # lazy: hzlib.whatif.compare costs 222 ms at hz --help
    from ..whatif.views import compare_zh, new_starts_zh  # lazy: hzlib.whatif.views costs 280 ms at hz --help

    names = {r.id: name for name, r in w.names()}
    lines = [w.plan.title, w.heading, w.banner, ""]
    for name, r in w.names():
        lines.append(f"{name}（{ASSUMED_ZH}）：{r.label}（{r.id}，测算至{r.period.label_zh()}）")
        lines += [f"  - {c}" for c in r.changes] or ["  - 未作任何假设（与基期相同）"]
        if r.note_zh:
            lines.append(f"  - 说明：{r.note_zh}")
    d = compare_zh(w, all_targets=all_targets)
    lines += ["", f"目标逐项对比（基期为实际数据，情景各列为{ASSUMED_ZH}）", render_table([list(d.columns), *d.astype(str).values.tolist()])]
    hidden = len(w.base.targets) - len(d)
    if hidden:
        lines.append(f"另有 {hidden} 项目标在基期和各情景中均无数据或未到期，未列出（--all 显示全部）")
    if w.growth:
        lines += ["", "增速测算（其余季度所需增速：按上年季节分布 / 按各季度均匀分布）"]
        for g in w.growth:
            lines.append(f"  - {g.required.sentence_zh(g.label.removesuffix('增长').removesuffix('增速'))}")
            lines.append(f"    恰好实现目标：{g.break_even_sentence()}")
            for p in g.points:
                if p.year_end == p.year_end:
                    verdict = "能" if p.reaches(g.target) else "不能"
                    lines.append(f"    {names[p.scenario_id]}（{ASSUMED_ZH}）：全年增长{to_percent(p.year_end):.2f}%，{verdict}实现目标")
            lines.append(f"    历史走势：{g.band.sentence_zh()}")
    for note in w.growth_notes:
        lines.append(f"  - {note}")
    n = new_starts_zh(w)
    if not n.empty:
        lines += ["", "计划新开工项目按季度累计开工", render_table([list(n.columns), *n.astype(str).values.tolist()])]
    return "\n".join(lines)


def cmd_whatif(args: argparse.Namespace) -> int:
    from ..whatif.load import load_whatif  # lazy: hzlib.whatif.load costs 295 ms at hz --help

    if args.format == "xlsx" and not args.output:
        raise UsageError("xlsx 输出需要 --output 文件名")
    if args.output:
        check_output(args.output, suffix=output_suffix(args.format))
    w = load_whatif(
        args.plan, args.quarter or "latest", scenarios=args.scenario, assume=args.assume, data_dir=args.data, allow_partial=args.allow_partial, at=args.at
    )
    if args.format == "xlsx":
        from ..render.excel import write_tables_xlsx  # lazy: hzlib.render.excel costs 4 ms at hz --help; only xlsx needs it
        from ..whatif.views import excel_tables  # lazy: hzlib.whatif.views costs 280 ms at hz --help

        with output_errors(args.output):
            write_tables_xlsx(excel_tables(w), Path(args.output), title=f"{w.plan.jurisdiction}{w.period.label()} 情景测算")
        print(f"已写入 {args.output}")
    elif args.format == "csv":
        emit(csv_text(w.table()), args.output, bom=True)
    elif args.format == "json":
        emit(json.dumps(w.to_dict(), ensure_ascii=False, indent=2) + "\n", args.output)
    else:
        emit(_text(w, args.all) + "\n", args.output)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("whatif", help="情景测算：基期与情景假设逐项对比 / compare scenarios with the baseline")
    p.add_argument("plan", metavar="PLAN", help="计划 id")
    p.add_argument("--quarter", help="基期（已有数据的最后一个季度），如 2024Q2；默认为情景文件的基期，或数据覆盖的最近季度")
    p.add_argument(
        "--scenario", action="append", default=[], metavar="FILE_OR_NAME", help="情景文件：params/scenarios/<计划>/ 下的名称（不含 .yaml）或文件路径；可重复"
    )
    p.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="GROWTH",
        help='增速假设（百分数），如 "Q3=6%%,Q4=10%%"、"flat=7%%"、"fai:Q3=6,Q4=10; private_inv:flat=8"；可重复，每个为一个情景',
    )
    p.add_argument("--at", help="情景测算到哪个季度（默认 Q4 全年）")
    p.add_argument("--data", help="数据目录（默认 data/<plan>/）")
    p.add_argument("--allow-partial", action="store_true", help="数据不到所请求的基期末时，按数据截止月评价")
    p.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table", help="输出格式（默认 table）")
    p.add_argument("--output", help="输出文件（xlsx 必需；其他格式默认输出到屏幕）")
    p.add_argument("--all", action="store_true", help="table 格式列出全部目标（默认只列有数字的目标）")
    p.set_defaults(func=cmd_whatif)
