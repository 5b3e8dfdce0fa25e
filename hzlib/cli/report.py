"""``hz evaluate`` and ``hz run`` subcommands."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..glossary import Status
from ..paths import project
from ..safety import csv_text
from ..textfmt import render_table
from ._common import add_allow_partial, add_data, add_quarter, check_output, emit, output_errors, output_suffix

if TYPE_CHECKING:
    from ..report.model import ReportModel

__all__ = ["register"]


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ..report import load_inputs, load_report  # lazy: hzlib.report costs 151 ms at hz --help

    if args.format == "xlsx" and not args.output:
        raise UsageError("xlsx 输出需要 --output 文件名")
    if args.output:
        check_output(args.output, suffix=output_suffix(args.format))
    inputs = load_inputs(args.plan, args.data, sheet=args.sheet, mapping=args.map, month=args.month)
    m = load_report(args.plan, args.quarter, args.data, allow_partial=args.allow_partial, inputs=inputs)
    if m.monthly is not None:  # a month inside a quarter: the monthly bulletin's figures, no target assessed
        return _evaluate_month(m, args)
    cols = ["target_id", "indicator", "scope", "period", "checkpoint", "actual", "gap", "unit", "status", "basis"]
    df = m.targets
    ordered = df[cols + [c for c in df.columns if c not in cols]]
    if args.format == "csv":
        emit(csv_text(ordered), args.output, bom=True)
    elif args.format == "json":
        records = json.loads(ordered.to_json(orient="records", force_ascii=False))
        emit(json.dumps(records, ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "xlsx":
        from ..render.excel import write_tables_xlsx  # lazy: hzlib.render.excel costs 2 ms at hz --help; only xlsx needs it
        from ..report.tables import excel_tables  # lazy: hzlib.report.tables costs 146 ms at hz --help

        with output_errors(args.output):
            write_tables_xlsx(excel_tables(m), Path(args.output), title=f"{m.plan.jurisdiction}{m.period.label()}")
        print(f"已写入 {args.output}")
    else:
        emit(_evaluate_text(m), args.output)
    return 0


def _evaluate_text(m: ReportModel) -> str:
    """``hz evaluate``'s table: target by target, then the counts by status."""
    from ..report.views import target_rows  # lazy: hzlib.report.views costs 176 ms at hz --help

    d = target_rows(m.targets)
    s = m.summary
    lines = [
        m.plan.title,
        f"{m.period_zh} 目标完成情况",
        m.banner,
        "",
        render_table([list(d.columns), *d.astype(str).values.tolist()]),
        "",
        "，".join(f"{st.zh} {s[st.value]}" for st in (Status.MET, Status.NEAR, Status.MISSED, Status.PENDING, Status.NO_DATA)),
    ]
    if m.data_notes:
        lines += ["", f"数据提示 {len(m.data_notes)} 条（hz validate-data 查看详情）"]
    return "\n".join(lines) + "\n"


def _evaluate_month(m: ReportModel, args: argparse.Namespace) -> int:
    """``hz evaluate`` at a month that does not end a quarter: what the monthly bulletin (月通报) shows.

    Targets are assessed at quarter ends (季考核), so no target is judged here: the table format
    prints the monthly bulletin's lines and tables; csv and json give the key projects' completion
    against the annual plan and time progress; xlsx every table of the monthly bulletin."""
    from ..report.tables import monthly_tables  # lazy: hzlib.report.tables costs 146 ms at hz --help

    tables = monthly_tables(m)
    progress = tables["重点项目投资进度"]
    if args.format == "csv":
        emit(csv_text(progress), args.output, bom=True)
    elif args.format == "json":
        records = json.loads(progress.to_json(orient="records", force_ascii=False))
        emit(json.dumps(records, ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "xlsx":
        from ..render.excel import write_tables_xlsx  # lazy: hzlib.render.excel costs 2 ms at hz --help; only xlsx needs it

        with output_errors(args.output):
            write_tables_xlsx(tables, Path(args.output), title=f"{m.plan.jurisdiction}{m.period.label()}月通报")
        print(f"已写入 {args.output}")
    else:
        emit(_month_text(m), args.output)
    return 0


def _month_text(m: ReportModel) -> str:
    """``hz evaluate``'s text at a month inside a quarter: the monthly bulletin's sentences and tables."""
    # lazy: hzlib.report.views costs 176 ms at hz --help
    from ..report.views import monthly_behind_view, monthly_openings_view, monthly_progress_view

    assert m.monthly is not None
    lines = [m.plan.title, m.heading, m.banner, "", *m.sentences, ""]
    for view in (monthly_progress_view(m), monthly_openings_view(m), monthly_behind_view(m)):
        d = view.frame
        if len(d):
            lines += [render_table([list(d.columns), *d.astype(str).values.tolist()]), ""]
    q = m.monthly.next_assessment
    lines.append(f"目标按季度考核（季考核）：hz evaluate {m.plan.id} --quarter {q.label()} 查看{q.label_zh()}各项目标完成情况")
    if m.data_notes:
        lines += ["", f"数据提示 {len(m.data_notes)} 条（hz validate-data 查看详情）"]
    return "\n".join(lines) + "\n"


def _period_asked(quarter: str, month: str | None) -> str:
    """The period ``hz run`` renders: ``latest``, a quarter's label (``2024Q2``) or, for a month that does not
    end a quarter, the month's (``2024-05``: the monthly bulletin); ``--month`` and ``--quarter`` read the
    same forms (a quarter-end month is its quarter)."""
    from ..run import period_label  # lazy: hzlib.run costs 155 ms at hz --help

    if month is not None:
        if quarter.strip().lower() != "latest":
            raise UsageError(f"--month {month} 与 --quarter {quarter} 不能同时使用：月通报写 --month，季度通报写 --quarter")
        if month.strip().lower() == "latest":
            raise UsageError("--month 请写具体月份，如 2024-05（数据有哪些月份，见 hz validate-data）")
        return period_label(month)
    return "latest" if quarter.strip().lower() == "latest" else period_label(quarter)


def cmd_run(args: argparse.Namespace) -> int:
    from ..plan import list_plan_ids  # lazy: hzlib.plan costs 27 ms at hz --help
    from ..run import main_run  # lazy: hzlib.run costs 155 ms at hz --help

    if args.all and args.plans:
        raise UsageError(f"--all 与计划 id（{' '.join(args.plans)}）不能同时使用：生成全部计划用 --all，只生成某几个计划则只写计划 id")
    plans = list_plan_ids() if args.all else list(args.plans)
    if not plans:
        raise UsageError("请给出计划 id 或 --all")
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs 应为正整数")
    out = Path(args.out) if args.out else project().reports_dir
    return main_run(
        plans,
        _period_asked(args.quarter, args.month),
        out,
        formats,
        args.data,
        args.allow_partial,
        jobs=args.jobs,
        scheduler=args.scheduler,
        force=args.force,
        scenarios=tuple(args.scenario or ()),
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("evaluate", help="评价某季度各项目标 / evaluate targets against actuals")
    p.add_argument("plan", metavar="PLAN", help="计划 id（params/plans/ 下的文件名，不含 .yaml）")
    add_quarter(p)
    add_data(p)
    p.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table", help="输出格式（默认 table；csv 可用 Excel 打开；xlsx 需 --output）")
    p.add_argument("--output", metavar="FILE", help="输出文件（xlsx 必需；其他格式默认输出到屏幕）")
    add_allow_partial(p)
    p.add_argument("--sheet", help="台账 xlsx 的工作表名（默认：表头能识别的工作表；也可写在 data/<计划>/mapping.yaml 中）")
    p.add_argument("--map", metavar="FILE", help="映射文件：本单位的表头和取值 → 数据契约（默认 data/<计划>/mapping.yaml）")
    p.add_argument("--month", help="台账中累计完成投资列截至的月份，如 2019-06（表头和标题都没写时）")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("run", help="执行 notebook 并生成通报 / render bulletins")
    p.add_argument("plans", nargs="*", metavar="PLAN", help="计划 id，可写多个（或用 --all）")
    p.add_argument("--all", action="store_true", help="全部内置计划")
    add_quarter(p)
    p.add_argument("--month", help="月份，如 2024-05、2024年5月、2024年1-5月：生成该月的月通报（重点项目进展；季度末月份即季度通报）")
    p.add_argument("--formats", default="html,pdf,xlsx", help="输出格式，逗号分隔：html、pdf、xlsx（默认全部；没有 PDF 引擎时跳过 pdf）")
    p.add_argument("--out", metavar="DIR", help="输出目录（默认项目的 reports/），通报写入 DIR/<计划>/<季度>/（月通报写入 DIR/<计划>/<月份>/，如 2024-05）")
    add_data(p)
    add_allow_partial(p)
    p.add_argument("--jobs", type=int, metavar="N", help="同时生成的通报数（默认每个 CPU 核一个）")
    p.add_argument("--scheduler", metavar="ADDR", help="Dask 集群调度器地址，如 tcp://10.0.0.5:8786（见 docs/scaling.md）")
    p.add_argument("--force", action="store_true", help="输入未变化也重新生成（默认沿用上次的通报）")
    p.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help="另生成情景假设通报（params/scenarios/<计划>/<NAME>.yaml），写入 DIR/<计划>/<季度>-<NAME>/；可写多次",
    )
    p.set_defaults(func=cmd_run)
