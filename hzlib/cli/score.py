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

from ..errors import UsageError
from ._common import EXIT_OK

__all__ = ["register"]


def cmd_score(args: argparse.Namespace) -> int:
    from ..report import load_inputs, load_report
    from ..scoring.tables import item_table, prize_table, ranking_table, records
    from ..textfmt import render_table

    inputs = load_inputs(args.plan, args.data)
    if inputs.scoring is None:
        raise UsageError(f"计划 {args.plan} 没有评分规则（params/scoring/{args.plan}.yaml）")
    m = load_report(args.plan, args.period, args.data, allow_partial=args.allow_partial, inputs=inputs)
    assert m.scores is not None
    result = m.scores.result
    if args.format == "json":
        json.dump(records(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "csv":
        item_table(result).to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "xlsx":
        from ..render.excel import write_tables_xlsx

        if not args.output:
            raise UsageError("xlsx 输出需要 --output 文件名")
        tables = {"排名": ranking_table(result), "奖项": prize_table(result), "评分明细": item_table(result)}
        write_tables_xlsx(tables, Path(args.output), title=f"{m.plan.jurisdiction}{m.period.label()}考核评分")
        print(f"已写入 {args.output}")
    else:
        print(f"{m.scores.rules.label}\n{m.ranking_basis}；{m.banner}\n")
        r = ranking_table(result)
        cols = ["类别", "排名", "单位", "总分", "标准分值", "奖项", "数据不全"]
        print(render_table([cols, *r[cols].fillna("").astype(str).values.tolist()], right_align=(1, 3, 4)))
        for p in result.places:
            print(f"\n{p.label}：{p.basis}；评出 {p.awarded} 个")
        missing = int(r["数据不全"].eq("是").sum())
        if missing:
            print(f"\n{missing} 个单位数据不全，不参加排名和评奖（hz score --format csv 查看逐项说明）")
    return EXIT_OK


def cmd_scoring_template(args: argparse.Namespace) -> int:
    from ..scoring import load_rules, scoring_template, write_scoring_template

    rules = load_rules(args.plan)
    if args.out:
        n = write_scoring_template(rules, Path(args.out))
        print(f"✓ 已写入 {args.out}：{n} 行待填报 / {n} rows to fill")
    else:
        scoring_template(rules).to_csv(sys.stdout, index=False, lineterminator="\n")
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
    t.add_argument("--out", help="写入的 .csv 文件（默认打印到屏幕）")
    t.set_defaults(func=cmd_scoring_template)
