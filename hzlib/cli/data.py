"""``hz validate-data``: read a data file and report what was read, done, left out and wrong.
``hz import``: an office's workbook, as it is, into the contract files of a plan's data folder.
``hz tasks-template``: the blank 任务完成情况 table of the targets still to be collected.

    hz validate-data 台账.xlsx
    hz validate-data 进度表.xlsx --plan ankang-2019 --sheet 1-6月 --map mapping.yaml
    hz validate-data 进度表.xlsx --suggest-map > data/ankang-2019/mapping.yaml
    hz validate-data progress.csv --kind progress --ledger 台账.xlsx --year 2024
    hz validate-data 指标.csv --format json
    hz validate-data tasks.csv --plan hanzhong-2022
    hz validate-data data/ankang-2019            # a folder: every data file in it
    hz import 进度表.xlsx --plan ankang-2019 [--sheet 1-6月] [--map FILE] [--month 2019-06] [--dry-run] [--replace]
    hz import --undo --plan ankang-2019          # put back the files the last write replaced
    hz tasks-template hanzhong-2022 --quarter 2022Q3 --out tasks.csv [--merge | --force]

Exit code 0 when there is no error (warnings allowed), 2 with errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from ..ingest import KIND_NAMES_ZH, KINDS, ReadResult, validate_file

__all__ = ["register", "cmd_validate_data", "cmd_import", "render_text", "render_import"]

from ..contracts import TASK_COLUMNS
from ..errors import InputError
from ..ingest import suggest_mapping
from ..ingest.read import read_raw
from ..ingest.table import compact_rows
from ..inputs import KINDS as FOLDER_KINDS
from ..inputs import MAPPING_FILE, SCORING_INPUTS_FILE, data_files
from ..paths import project
from ._common import EXIT_INPUT, EXIT_OK, check_output


def _by_row(p: Problem) -> tuple[str, int]:
    return (p.file, p.row or 0)


def _excluded_lines(r: ReadResult) -> list[str]:
    """Excluded rows grouped by reason: 空行：第6、12行 …"""
    groups: dict[str, list[int]] = defaultdict(list)
    texts: dict[str, list[str]] = defaultdict(list)
    for e in r.excluded:
        why, _, said = e.reason.partition("（")
        groups[why].append(e.row)
        if said:
            texts[why].append(said.rstrip("）"))
    out = []
    for why, rows in groups.items():
        shown = "、".join(dict.fromkeys(texts[why]))
        shown = f"：{shown[:80]}{'…' if len(shown) > 80 else ''}" if shown else ""
        out.append(f"    - {why} {len(rows)} 行（第{compact_rows(rows)}行）{shown}")
    return out


def render_text(r: ReadResult) -> str:
    """A Chinese summary of a read: sheets, encoding, rows, what was done, exclusions, warnings, errors.

    >>> import pandas as pd
    >>> print(render_text(ReadResult(kind="ledger", file="a.csv", frame=pd.DataFrame(), encoding="UTF-8")).splitlines()[0])
    ✓ a.csv（项目台账）
    """
    mark = "✓" if r.ok else "✗"
    lines = [f"{mark} {r.file}（{KIND_NAMES_ZH.get(r.kind, r.kind)}）"]
    if r.sheets:
        lines.append(f"  工作表：{'、'.join(r.sheets)}")
    if r.title:
        lines.append(f"  标题：{r.title[:80]}")
    if r.encoding:
        lines.append(f"  编码：{r.encoding}")
    if r.header_row is not None:
        lines.append(f"  表头：第{r.header_row}行")
    lines.append(f"  读取数据行：{r.source_rows}，保留：{r.kept_rows}，排除：{len(r.excluded)}")
    if r.progress is not None:
        months = "、".join(sorted(set(r.progress.frame["month"].astype(str))))
        lines.append(f"  月度进度：{len(r.progress.frame)} 行（{months}）")
    if r.units:
        lines.append("  金额/百分比单位：" + "，".join(f"{r.columns.get(k, k)} → {u}" for k, u in r.units.items()))
    if r.actions:
        lines.append(f"  已做的处理（{len(r.actions)}）：")
        lines += [f"    - {_plain(p)}" for p in r.actions]
    if r.excluded:
        lines.append(f"  排除的行（{len(r.excluded)}）：")
        lines += _excluded_lines(r)
    done = set(map(id, r.actions))
    # title rows and excluded rows are listed above; the report shows them all as warnings
    warnings = sorted((p for p in r.warnings if id(p) not in done and not p.message.startswith(_LISTED_ABOVE)), key=_by_row)
    errors = sorted(r.errors, key=_by_row)
    if warnings:
        lines.append(f"  警告（{len(warnings)}）：")
        lines += [f"    - {p}" for p in warnings]
    if errors:
        lines.append(f"  错误（{len(errors)}）：")
        lines += [f"    - {p}" for p in errors]
    tail = "可以使用" if r.ok else "请修正错误后重试"
    lines.append(f"  结论：{len(errors)} 处错误，{len(warnings)} 条警告，{tail} / {len(errors)} error(s), {len(warnings)} warning(s)")
    return "\n".join(lines)


#: Warnings whose content ``render_text`` shows in its own lines (标题, 排除的行).
_LISTED_ABOVE = ("已排除", "跳过表头上方的标题行")


def _plain(p: Problem) -> str:
    """An action as a line: where and what was done (no 警告 prefix, no English tail)."""
    where = p.file + (f" 第{p.row}行" if p.row is not None else "") + (f" [{p.column}]" if p.column else "")
    return f"{where}：{p.message_zh}"


def _suggest(args: argparse.Namespace, r: ReadResult) -> str:
    """The starting mapping file for ``--suggest-map`` (headers of the best row when none was recognised)."""
    unknown = list(r.unknown_headers)
    if r.header_row is None:
        raw = read_raw(args.path, args.sheet)
        top = raw.cells.iloc[:30] if raw.ok else raw.cells.iloc[0:0]
        best = int(top.notna().sum(axis=1).to_numpy().argmax()) if len(top) else 0
        unknown = [str(v).strip() for v in top.iloc[best].tolist() if isinstance(v, str) and v.strip()] if len(top) else []
        if len(unknown) < 2:
            return f"# 没有找到像表头的行（工作表：{raw.sheet or '—'}）：请用 --sheet 指定数据所在的工作表后再试\n"
    return suggest_mapping(unknown, r.unknown_values, r.kind, r.missing)


def _plan_context(plan_id: str | None) -> tuple[Any, int | None, str | None]:
    if not plan_id:
        return None, None, None
    from ..data import plan_level  # lazy: hzlib.data costs 34 ms at hz --help
    from ..plan import load_plan  # lazy: hzlib.plan costs 24 ms at hz --help

    plan = load_plan(plan_id)
    return plan, plan.year, plan_level(plan)


def _folder_files(folder: Path) -> dict[str, Path]:
    """The data files of a folder by kind, and ``scoring_inputs.csv`` / ``mapping.yaml`` when present."""
    out: dict[str, Path] = dict(data_files(folder))
    for kind, name in (("scoring_inputs", SCORING_INPUTS_FILE), ("mapping", MAPPING_FILE)):
        if (folder / name).is_file():
            out[kind] = folder / name
    return out


def _validate_folder(args: argparse.Namespace, folder: Path) -> int:
    """``hz validate-data FOLDER``: say it is a folder and check each data file in it."""
    found = _folder_files(folder)
    data = {k: p for k, p in found.items() if k in FOLDER_KINDS}
    if args.suggest_map or args.kind or args.sheet:
        raise UsageError(f"{folder} 是文件夹，不是数据文件：--suggest-map、--kind、--sheet 只能用于单个文件，如 hz validate-data {folder / 'ledger.csv'}")
    if not data:
        names = "、".join(f"{k}.csv" for k in FOLDER_KINDS)
        raise UsageError(f"{folder} 是文件夹，其中没有数据文件（应有 {names} 或同名 .xlsx）：请写出要检查的文件，如 hz validate-data 台账.xlsx")
    others = [p.name for k, p in found.items() if k not in FOLDER_KINDS]
    lines = [
        f"{folder} 是文件夹：逐个检查其中的数据文件 {'、'.join(p.name for p in data.values())}"
        + (f"（{'、'.join(others)} 不在此检查：评分报送表由 hz score 读取，映射文件由读取时使用）" if others else "")
    ]
    plan, plan_year, level = _plan_context(args.plan)
    results = []
    for kind, path in data.items():
        r = validate_file(
            path,
            kind,
            year=args.year if args.year is not None else plan_year,
            ledger=data.get("ledger") if kind == "progress" else None,
            month=args.month,
            mapping=args.map,
        )
        if plan is not None:
            from ..data import check_tasks_against_plan, fill_level  # lazy: hzlib.data costs 34 ms at hz --help

            fill_level(r, level)
            check_tasks_against_plan(r, plan)
        results.append(r)
    if args.format == "json":
        json.dump({"folder": str(folder), "files": [r.as_dict() for r in results]}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print("\n".join([*lines, *(render_text(r) for r in results)]))
        bad = [r.file for r in results if not r.ok]
        print(f"结论：{len(results)} 个文件，{len(bad)} 个有错误" + (f"（{'、'.join(bad)}）" if bad else "") + f" / {len(bad)} file(s) with errors")
    return EXIT_OK if all(r.ok for r in results) else EXIT_INPUT


def cmd_validate_data(args: argparse.Namespace) -> int:
    if Path(args.path).is_dir():
        return _validate_folder(args, Path(args.path))
    plan, plan_year, level = _plan_context(args.plan)
    year = args.year if args.year is not None else plan_year
    r = validate_file(args.path, args.kind, sheet=args.sheet, year=year, ledger=args.ledger, month=args.month, mapping=args.map)
    if plan is not None:
        from ..data import check_tasks_against_plan, fill_level  # lazy: hzlib.data costs 34 ms at hz --help

        fill_level(r, level)
        check_tasks_against_plan(r, plan)
    if args.suggest_map:
        sys.stdout.write(_suggest(args, r))
        return EXIT_OK
    if args.format == "json":
        data: dict[str, Any] = r.as_dict()
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render_text(r))
    return EXIT_OK if r.ok else EXIT_INPUT


def render_import(res: Any, plan_id: str | None = None) -> str:
    """What ``hz import`` read, did and wrote (or why it wrote nothing), in Chinese."""
    r: ReadResult = res.read
    lines = [render_text(r)]
    if not res.ok:
        lines.append(f"✗ 未写入任何文件：{len(res.problems)} 处错误，请修正后重试 / nothing written")
        if r.ok:
            lines += [f"    - {p}" for p in res.problems]
        return "\n".join(lines)
    if res.notes:
        lines.append("  原有文件：")
        lines += [f"    - {n}" for n in res.notes]
    plan = plan_id or res.folder.name
    if res.unchanged:
        lines.append(f"  {res.folder} 中的文件与本表合并后的结果完全相同，未写入 / nothing changed")
        lines += [f"    - {name}：{n} 行" for name, n in res.rows.items()]
        return "\n".join(lines)
    verb = "将写入（--dry-run，未写入）" if res.dry_run else "已写入"
    lines.append(f"  {verb} {res.folder}：")
    lines += [f"    - {name}：{n} 行" + ("" if res.dry_run or name in res.written else "（内容不变，未改写）") for name, n in res.rows.items()]
    if res.dry_run:
        if res.replace:
            lines.append("  注意：--replace 将删去上面列出的本表没有的项目及其进度（写入前原文件保存在 .history/，可 hz import --undo 恢复）")
        return "\n".join(lines)
    if res.backup is not None:
        from ..history import describe  # lazy: hzlib.history costs 5 ms at hz --help

        kept = "、".join(res.backup.replaced) or "无（均为新建）"
        lines.append(f"  备份：被替换的文件（{kept}）保存在 {res.folder / describe(res.backup)}")

        default = Path(res.folder).resolve() == (project().data_dir / plan).resolve()
        lines.append(f"  撤销：hz import --undo --plan {plan}" + ("" if default else f" --data {res.folder}"))
    lines.append("  下一步：用 git diff 核对改动；之后 hz evaluate / hz run 读取这些文件")
    return "\n".join(lines)


def cmd_import_undo(folder: Path) -> int:
    """``hz import --undo``: put back the files the last write into ``folder`` replaced."""
    from ..history import describe, undo  # lazy: hzlib.history costs 5 ms at hz --help

    done = undo(folder)
    if done is None:
        raise UsageError(f"{folder} 没有可撤销的写入（.history/ 中没有记录，或已全部撤销） / nothing to undo")
    snap = done.snapshot
    lines = [
        f"✓ 已撤销 {snap.command}（{snap.time.replace('T', ' ')}）对 {folder} 的写入 / undone：",
        *(f"    - 恢复 {n}（写入前的版本）" for n in done.restored),
        *(f"    - 删去 {n}（该次写入新建的文件）" for n in done.removed),
        f"  撤销前的文件保存在 {folder / describe(done.kept)}；再次 --undo 退回更早一次写入",
    ]
    print("\n".join(lines))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Read an office's workbook and merge it into the plan's contract files (or undo the last write)."""
    from ..data import data_dir_for  # lazy: hzlib.data costs 34 ms at hz --help
    from ..ingest.importer import PlanFit, import_workbook  # lazy: hzlib.ingest.importer costs 12 ms at hz --help

    plan, year, level = _plan_context(args.plan)
    folder = data_dir_for(plan.id, args.data)
    if args.undo:
        if args.path or args.replace or args.dry_run:
            raise UsageError("--undo 单独使用：hz import --undo --plan 计划 [--data 目录]（不写进度表文件名、--replace 或 --dry-run）")
        return cmd_import_undo(folder)
    if not args.path:
        raise UsageError("缺少要导入的进度表：hz import 进度表.xlsx --plan 计划（撤销上一次导入：hz import --undo --plan 计划）")
    fit = PlanFit(plan.id, plan.jurisdiction, frozenset(plan.units) | frozenset(plan.unit_kind_map()))
    res = import_workbook(
        args.path,
        folder,
        year=args.year if args.year is not None else year,
        sheet=args.sheet,
        mapping=args.map,
        month=args.month,
        default_level=level,
        dry_run=args.dry_run,
        replace=args.replace,
        fit=fit,
    )
    print(render_import(res, plan.id))
    return EXIT_OK if res.ok else EXIT_INPUT


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate-data`` to the ``hz`` command."""
    p = sub.add_parser("validate-data", help="检查数据文件（台账、进度、指标、基数、任务完成情况）/ check a data file")
    p.add_argument("path", metavar="PATH", help=".csv 或 .xlsx 文件；写数据目录时逐个检查其中的数据文件")
    p.add_argument("--kind", choices=KINDS, help="文件类型；不填时按列名和文件名判断")
    _reading_options(p)
    p.add_argument("--ledger", help="核对进度时使用的项目台账文件")
    p.add_argument("--plan", help="计划 id：年度、项目级别（台账没有级别列时），核对任务完成情况表（目标编号、计量单位、期别）")
    p.add_argument("--suggest-map", action="store_true", help="只打印一个初始映射文件（未识别的表头 → 最接近的字段），核对后保存为 data/<计划>/mapping.yaml")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_validate_data)

    i = sub.add_parser("import", help="把单位自己的进度表转成计划数据目录中的标准文件（ledger.csv、progress.csv）/ import a workbook")
    i.add_argument("path", metavar="WORKBOOK", nargs="?", help="单位的进度表（.xlsx 或 .csv），原样即可")
    i.add_argument("--plan", required=True, help="计划 id：写入 data/<计划>/，按计划年度读取")
    _reading_options(i)
    i.add_argument("--data", help="数据目录（默认 data/<plan>/）")
    i.add_argument("--dry-run", action="store_true", help="只检查并说明将写入什么，不写文件")
    i.add_argument("--replace", action="store_true", help="删去本表没有的项目及其进度（默认合并：本表没有的项目和月份保留）")
    i.add_argument("--undo", action="store_true", help="撤销上一次写入：恢复 .history/ 中保存的原文件（再次使用退回更早一次）")
    i.set_defaults(func=cmd_import)

    t = sub.add_parser("tasks-template", help="生成任务完成情况报送表（台账和统计指标算不出的目标）/ blank tasks table")
    t.add_argument("plan", metavar="PLAN", help="计划 id")
    t.add_argument("--quarter", help="期别，如 2022Q3（默认：数据中最新的季度，没有数据时为一季度）")
    t.add_argument("--data", help="数据目录（默认 data/<plan>/）：其中统计指标已有的目标不列入")
    _template_options(t)
    t.set_defaults(func=cmd_tasks_template)


def _template_options(p: argparse.ArgumentParser) -> None:
    """``--out``, ``--merge``, ``--force``: a template never overwrites reported values unasked."""
    p.add_argument("--out", help="写入的 .csv 文件（默认打印到屏幕）；文件已有填报值时不覆盖，见 --merge、--force")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--merge", action="store_true", help="并入已有文件：保留已填的值和原有行，只添加新的行")
    how.add_argument("--force", action="store_true", help="覆盖已有文件（原文件保存在同一文件夹的 .history/ 中）")


def _reading_options(p: argparse.ArgumentParser) -> None:
    """The options of every command that reads an office's file: sheet, mapping file, year, month."""
    p.add_argument("--sheet", help="xlsx 工作表名（默认：表头能识别的工作表；各县区一个工作表时全部读取）")
    p.add_argument("--map", metavar="FILE", help="映射文件：本单位的表头和取值 → 数据契约（默认 data/<计划>/mapping.yaml）")
    p.add_argument("--year", type=int, help="年度，用于核对月份和日期、读取“3月”这样的日期（默认：计划年度或标题中的年份）")
    p.add_argument("--month", help="累计完成投资列截至的月份，如 2019-06（表头和标题都没写时）")


def cmd_tasks_template(args: argparse.Namespace) -> int:
    """Write the blank tasks table of a plan."""
    from ..data import data_dir_for, data_files, load_data  # lazy: hzlib.data costs 34 ms at hz --help
    from ..evaluate.coverage import data_coverage  # lazy: hzlib.evaluate.coverage costs 53 ms at hz --help
    from ..plan import load_plan  # lazy: hzlib.plan costs 24 ms at hz --help
    from ..tasks import template  # lazy: hzlib.tasks costs 76 ms at hz --help

    plan = load_plan(args.plan)
    available: set[str] = set()
    quarter = args.quarter
    if data_files(data_dir_for(plan.id, args.data)):
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
    if args.out:
        from ..tasks import write_template  # lazy: hzlib.tasks costs 76 ms at hz --help

        done = write_template(frame, check_output(args.out, "--out"), force=args.force, merge=args.merge)
        print(done.message("项目标待报送", "targets to report"))
    else:
        if args.merge or args.force:
            raise UsageError("--merge、--force 需要与 --out 文件一起使用")
        frame.columns = [c.zh for c in TASK_COLUMNS]
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    return EXIT_OK
