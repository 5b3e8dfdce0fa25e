"""``hz score`` (assessment scores item by item, ranks within each kind, prizes) and
``hz scoring-template`` (the blank table of inputs no ledger has).

    hz score ankang-2019 --period 2019 --allow-partial
    hz score hanzhong-2022 --period 2022Q3 --format json
    hz scoring-template ankang-2019 --out scoring_inputs.csv
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..glossary import INCOMPLETE_ZH
from ..safety import csv_text
from ..textfmt import render_table
from ._common import EXIT_OK, check_output, emit, output_suffix
from .data import _template_options

if TYPE_CHECKING:  # pandas is imported only when a command runs (fast --help)
    import pandas as pd

__all__ = ["register"]


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    """Rows of text for the terminal: a missing value (an unranked unit, an incomplete total) is an empty cell.

    Works for every dtype (``Int64`` ranks cannot be filled with text, so cells become objects first).
    """
    obj = frame.astype(object)
    cells: list[list[str]] = obj.where(frame.notna(), "").astype(str).values.tolist()
    return cells


def cmd_score(args: argparse.Namespace) -> int:
    from ..report import load_inputs, load_report  # lazy: hzlib.report costs 134 ms at hz --help
    from ..scoring.tables import item_table, prize_table, ranking_table, records, special_lines  # lazy: hzlib.scoring.tables costs 176 ms at hz --help

    if args.format == "xlsx" and not args.output:
        raise UsageError("xlsx 输出需要 --output 文件名")
    if args.output:  # before any work: a folder, a missing folder or no permission is said at once
        check_output(args.output, suffix=output_suffix(args.format))
    inputs = load_inputs(args.plan, args.data)
    if inputs.scoring is None:
        raise UsageError(f"计划 {args.plan} 没有评分规则（params/scoring/{args.plan}.yaml）")
    m = load_report(args.plan, args.period, args.data, allow_partial=args.allow_partial, inputs=inputs)
    if m.monthly is not None:  # a month inside a quarter is the monthly bulletin (月通报): scored only at quarter ends
        q = m.monthly.next_assessment
        raise UsageError(f"{m.period_zh}不是季度末：评分按季度或全年（季考核、年终评），请写 {q.label()} 或 {q.year}")
    assert m.scores is not None
    result = m.scores.result
    if args.format == "json":
        emit(json.dumps(records(result), ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "csv":
        emit(csv_text(item_table(result)), args.output, bom=True)
    elif args.format == "xlsx":
        from ..render.excel import write_tables_xlsx  # lazy: hzlib.render.excel costs 4 ms at hz --help; only xlsx needs it

        tables = {"排名": ranking_table(result), "奖项": prize_table(result), "评分明细": item_table(result)}
        write_tables_xlsx(tables, Path(args.output), title=f"{m.plan.jurisdiction}{m.period.label()}考核评分")
        print(f"已写入 {args.output}")
    else:
        lines = [f"{m.scores.rules.label}\n{m.ranking_basis}；{m.banner}\n"]
        r = ranking_table(result)
        cols = ["类别", "排名", "单位", "总分", "标准分值", "奖项", INCOMPLETE_ZH]
        lines.append(render_table([cols, *_cells(r[cols])], right_align=(1, 3, 4)))
        lines += [f"\n{p.label}：{p.basis}；评出 {p.awarded} 个" for p in result.places]
        special = special_lines(result)
        if special:
            lines.append("\n特别处理：\n" + "\n".join(f"  {line}" for line in special))
        missing = int(r[INCOMPLETE_ZH].eq("是").sum())
        if missing:
            lines.append(f"\n{missing} 个单位数据不全，不参加排名和评奖（hz score --format csv 查看逐项说明）")
        emit("\n".join(lines) + "\n", args.output)
    return EXIT_OK


def cmd_scoring_template(args: argparse.Namespace) -> int:
    from ..scoring import load_rules, scoring_template  # lazy: hzlib.scoring costs 170 ms at hz --help
    from ..scoring.inputs import write_scoring_template_file  # lazy: hzlib.scoring.inputs costs 184 ms at hz --help

    rules = load_rules(args.plan)
    if args.out:
        done = write_scoring_template_file(rules, check_output(args.out, "--out"), period=args.period, force=args.force, merge=args.merge)
        print(done.message())
    else:
        if args.merge or args.force:
            raise UsageError("--merge、--force 需要与 --out 文件一起使用")
        scoring_template(rules, args.period).to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("score", help="考核评分：逐项得分、分类排名、奖项 / assessment scores")
    p.add_argument("plan", metavar="PLAN", help="计划 id（需有 params/scoring/<计划>.yaml）")
    p.add_argument("--period", default="latest", help="评分期别：2019（全年）、2019Q2（季度试算）或 latest（默认）")
    p.add_argument("--data", help="数据目录（默认 data/<plan>/，其中 scoring_inputs.csv 为报送的评分输入）")
    p.add_argument("--allow-partial", action="store_true", help="数据不到所请求期末时，按数据截止月试算")
    p.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table", help="输出格式（默认 table）")
    p.add_argument("--output", help="xlsx 输出文件")
    p.set_defaults(func=cmd_score)

    t = sub.add_parser("scoring-template", help="生成评分报送表（台账算不出的评分输入）/ blank scoring inputs table")
    t.add_argument("plan", metavar="PLAN", help="计划 id（需有 params/scoring/<计划>.yaml）")

    t.add_argument("--period", help="报送期别：2019（全年，默认为计划年度）、2019Q2、2019年上半年等；写入模板的“期别”列")
    _template_options(t)
    t.set_defaults(func=cmd_scoring_template)
