"""Workbooks as offices send them: which sheet holds the table, and several sheets as one table.

- The sheet whose header matches is found and named (a 说明 sheet first is normal);
  ``sheet`` (``--sheet``, or the mapping file's ``sheet``) overrides. No sheet with a
  header: the message names the sheets there are and suggests ``--sheet``.
- One sheet per county with the same header: all are read into one table, each row
  keeps its sheet in the problems it gets, and the sheet's name is the unit when the
  sheet has no unit column. A summary sheet (汇总/合计/总表) with the same header is
  left out (it would count every project twice); sheets named by months (1-5月,
  1-6月) are snapshots of one ledger: the latest is read.
- Hidden sheets (drafts, old copies) are never read unless named with ``sheet``; the
  result says which were skipped. What the reader did to the file itself (a hidden sheet
  skipped, the CSV separator, a renamed file read by its content) is listed with the
  actions; formula cells without a saved result are errors naming the column's header.

>>> import tempfile, pathlib, openpyxl
>>> p = pathlib.Path(tempfile.mkdtemp()) / "进度表.xlsx"
>>> wb = openpyxl.Workbook(); wb.active.title = "说明"; wb.active.append(["本表按月报送"])
>>> for county in ("汉台区", "南郑区"):
...     ws = wb.create_sheet(county); ws.append(["项目名称", "总投资（万元）", "年度计划投资（万元）"]); ws.append([f"{county}大桥", 100, 50])
>>> wb.save(p)
>>> r = read_table(p, "ledger")
>>> r.sheets, r.frame["unit"].tolist(), r.ok
(['汉台区', '南郑区'], ['汉台区', '南郑区'], True)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..errors import WARNING, Problem
from .aliases import span_end
from .derive import finish_ledger
from .read import RawTable, formula_problems, read_raw, sheet_label, sheet_states
from .result import CumulativeColumn, ReadResult
from .table import HeaderInfo, ReadOptions, build_table, empty_frame, find_header
from .validate import check_indicators, check_ledger, check_profiles, check_progress, check_tasks

__all__ = ["read_table", "read_sheets", "sheet_label", "combine", "finish"]

_SUMMARY_SHEET = re.compile(r"汇总|合计|总表|总计")


def _build(raw: RawTable, kind: str, opt: ReadOptions, extra: Mapping[str, str] | None) -> ReadResult:
    """:func:`.table.build_table`, with formula errors naming their headers and the reader's notes on the file as actions."""
    if raw.uncached and raw.sheet:
        info = find_header(raw.cells, kind, extra)
        if info is not None:
            named = formula_problems(sheet_label(raw.file, raw.sheet), raw.uncached, info.headers)
            kept = [p for p in raw.problems if not any(p is q for q in raw.cell_errors)]
            raw = replace(raw, problems=[*kept, *named], cell_errors=named)
    r = build_table(raw, kind, options=opt)
    r.actions[:0] = [p for p in raw.problems if p.severity == WARNING]
    return r


def _signature(info: HeaderInfo) -> tuple[str, ...]:
    """What a header holds: its contract columns (the words may differ: 1-5月完成投资, 1-6月完成投资)."""
    return tuple(sorted(info.ids.values()))


def _choose(file: str, raws: dict[str, RawTable], headers: dict[str, HeaderInfo], kind: str) -> tuple[list[str], list[str]]:
    """The sheets to read (one, or several with the same header) and what was said about the others."""
    best = max(headers, key=lambda n: (headers[n].score, -list(raws).index(n)))
    same = [n for n in headers if _signature(headers[n]) == _signature(headers[best])]
    notes: list[str] = []
    if len(same) > 1:
        summary = [n for n in same if _SUMMARY_SHEET.search(n)]
        if summary and len(same) - len(summary) >= 2:
            same = [n for n in same if n not in summary]
            notes.append(f"工作表{'、'.join(f'“{n}”' for n in summary)}像是汇总表，与各表重复，未读取")
        months = {n: span_end(n)[1] for n in same}
        if all(m is not None for m in months.values()):
            latest = max(same, key=lambda n: (span_end(n)[0] or 0, months[n] or 0))
            notes.append(f"工作表{'、'.join(f'“{n}”' for n in same if n != latest)}与“{latest}”表头相同、月份较早，只读取“{latest}”（需要时用 --sheet 指定）")
            same = [latest]
    for n in raws:
        if n in same:
            continue
        if n in headers:
            if not any(f"“{n}”" in x for x in notes):
                notes.append(f"工作表“{n}”的表头与“{best}”不同，未读取（需要时用 --sheet 指定）")
        elif not raws[n].cells.empty:
            notes.append(f"工作表“{n}”没有{'项目台账' if kind == 'ledger' else '数据'}表头，已跳过")
        else:
            notes.append(f"工作表“{n}”是空表，已跳过")
    return same, notes


def read_sheets(
    path: str | Path, kind: str, *, sheet: str | None = None, options: ReadOptions | None = None, raws: Mapping[str, RawTable] | None = None
) -> ReadResult:
    """Read the sheet(s) of ``path`` holding a table of ``kind`` (cell checks and layout only).

    ``raws``: every sheet of the workbook by name, already read (:func:`.read.read_raw`);
    used when no sheet is named and the workbook has several.
    """
    opt = options or ReadOptions()
    mapping = opt.mapping
    sheet = sheet or (mapping.sheet if mapping else None)
    states = sheet_states(path)
    names = [n for n, s in states.items() if s == "visible"]
    file = Path(path).name
    extra = mapping.headers_for(kind) if mapping else None
    if len(names) <= 1 or sheet is not None:
        raw = read_raw(path, sheet)
        if sheet is not None and not raw.ok and raw.cells.empty and sheet not in states and names:
            return build_table(raw, kind, options=opt)
        label = sheet_label(file, raw.sheet) if len(states) > 1 and raw.sheet else file
        r = _build(raw, kind, replace(opt, label=label), extra)
        if sheet is None or len(states) <= 1:
            return r
        r.did(Problem.said(label, None, None, f"按指定读取工作表“{sheet}”", "sheet given", WARNING))
        return r
    raws = dict(raws) if raws is not None else {n: read_raw(path, n) for n in names}
    headers = {n: info for n, raw in raws.items() if raw.ok and (info := find_header(raw.cells, kind, extra)) is not None}
    if not headers:
        first = next(iter(raws.values()))
        if not first.ok:
            return build_table(first, kind, options=opt)
        listed = "、".join(f"“{n}”" for n in names) + "".join(f"（另有隐藏工作表“{n}”，未读取）" for n, s in states.items() if s != "visible")
        r = ReadResult(kind=kind, file=file, frame=empty_frame(kind))
        r.problems.append(
            Problem(
                file,
                None,
                None,
                f"各工作表中都找不到表头行：文件中的工作表有 {listed}；请用 --sheet 指定数据所在的工作表，"
                "或用映射文件 mapping.yaml 说明表头 / no sheet has a header",
            )
        )
        return r
    chosen, notes = _choose(file, raws, headers, kind)
    notes += [f"工作表“{n}”为隐藏工作表，未读取；如需读取请取消隐藏或用 --sheet 指定" for n, s in states.items() if s != "visible"]
    results = [_build(raws[n], kind, replace(opt, label=sheet_label(file, n), sheet_unit=n if len(chosen) > 1 else None), extra) for n in chosen]
    r = results[0] if len(results) == 1 else combine(results)
    shown = "、".join(f"“{n}”" for n in chosen)
    said = Problem(file, None, None, f"读取工作表 {shown}" + (f"（{'；'.join(notes)}）" if notes else "") + " / sheets read", WARNING)
    r.actions.insert(0, said)
    r.problems.insert(0, said)
    return r


def combine(results: list[ReadResult]) -> ReadResult:
    """Several sheets of one workbook read as one table (each row keeps its sheet's label)."""
    first = results[0]
    r = ReadResult(
        kind=first.kind,
        file=first.file,
        frame=pd.concat([x.frame for x in results], ignore_index=True),
        encoding=first.encoding,
        sheet=first.sheet,
        year=next((x.year for x in results if x.year is not None), None),
        header_row=first.header_row,
        rows=pd.concat([x.rows for x in results], ignore_index=True),
        title=first.title,
        label=first.file,
        title_year=next((x.title_year for x in results if x.title_year is not None), None),
    )
    # a column made rather than read on any sheet is treated as made: it never overwrites a ledger's value
    r.derived = set().union(*(x.derived for x in results))
    r.sheets = [s for x in results for s in x.sheets]
    r.row_labels = pd.concat([pd.Series([x.where] * len(x.frame), dtype=object) for x in results], ignore_index=True)
    r.problems = [p for x in results for p in x.problems]
    r.actions = [p for x in results for p in x.actions]
    r.excluded = [e for x in results for e in x.excluded]
    r.source_rows = sum(x.source_rows for x in results)
    for x in results:
        for k, v in x.columns.items():
            r.columns.setdefault(k, v)
        for k, v in x.units.items():
            r.units.setdefault(k, v)
        for k, vals in x.unknown_values.items():
            r.unknown_values[k] = sorted(set(r.unknown_values.get(k, [])) | set(vals))
        r.unknown_headers += [h for h in x.unknown_headers if h not in r.unknown_headers]
        r.missing += [m for m in x.missing if m not in r.missing]
    extra = [x.extra.reindex(range(len(x.frame))) for x in results]
    r.extra = pd.concat(extra, ignore_index=True) if any(not e.columns.empty for e in extra) else pd.DataFrame(index=r.frame.index)

    def stacked(get: dict[str, pd.Series] | None, key: str, x: ReadResult, fill: object) -> pd.Series:
        return get[key] if get is not None and key in get else pd.Series([fill] * len(x.frame))

    for attr in ("wan_typed", "percent_typed"):
        keys = {k for x in results for k in getattr(x, attr)}
        setattr(r, attr, {k: pd.concat([stacked(getattr(x, attr), k, x, False) for x in results], ignore_index=True).astype(bool) for k in keys})
    for month in sorted({m for x in results for m in x.cumulative}):
        cols = [x.cumulative.get(month) for x in results]
        header = next(c.header for c in cols if c is not None)
        values = pd.concat(
            [c.values if c is not None else pd.Series(float("nan"), index=range(len(x.frame))) for c, x in zip(cols, results)], ignore_index=True
        )
        wan = pd.concat([c.wan if c is not None else pd.Series(False, index=range(len(x.frame))) for c, x in zip(cols, results)], ignore_index=True)
        blank = pd.concat([c.blank if c is not None else pd.Series(True, index=range(len(x.frame))) for c, x in zip(cols, results)], ignore_index=True)
        r.cumulative[month] = CumulativeColumn(header, month, values, wan.astype(bool), blank.astype(bool))
    return r


def finish(r: ReadResult, ledger: ReadResult | pd.DataFrame | None = None) -> ReadResult:
    """Derivations (ledger) and the checks across rows, after every cell is read."""
    if r.frame.empty and not r.columns:
        return r
    if r.kind == "ledger":
        finish_ledger(r)
        r.problems += check_ledger(r)
    elif r.kind == "progress":
        r.problems += check_progress(r, ledger)
    elif r.kind == "indicators":
        r.problems += check_indicators(r)
    elif r.kind == "tasks":
        r.problems += check_tasks(r)
    else:
        r.problems += check_profiles(r)
    return r


def read_table(
    path: str | Path,
    kind: str,
    *,
    sheet: str | None = None,
    options: ReadOptions | None = None,
    ledger: ReadResult | pd.DataFrame | None = None,
    raws: Mapping[str, RawTable] | None = None,
) -> ReadResult:
    """Read ``path`` as a file of ``kind``: sheets, layout, cells, derivations and every check (``raws``: see :func:`read_sheets`)."""
    return finish(read_sheets(path, kind, sheet=sheet, options=options, raws=raws), ledger)
