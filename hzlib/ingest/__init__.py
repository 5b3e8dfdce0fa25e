"""Read data files (project ledger, monthly progress, indicators, profiles, tasks) into contract tables.

Every reader returns a :class:`ReadResult`: the normalised table (contract
columns and dtypes, money in 万元, percents as fractions), every problem found
(errors and warnings, each naming file, row and column), the rows left out and
why, the encoding and the number of source rows. Nothing is dropped silently:
``result.source_rows == len(result.frame) + len(result.excluded)``.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "进度.csv"
>>> _ = p.write_text("项目编号,月份,累计完成投资（万元）\\nP1,2024年6月,1200\\n合计,,1200\\n", encoding="gbk")
>>> r = read_progress(p)
>>> r.encoding, r.source_rows, len(r.frame), [e.reason for e in r.excluded], r.ok
('GB18030', 2, 1, ['合计行（“合计”）'], True)
>>> r.frame.loc[0, "month"], float(r.frame.loc[0, "completed_cum"])
('2024-06', 1200.0)
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeAlias

import pandas as pd

from ..errors import UsageError
from .aliases import CONTRACTS, KINDS
from .mapping import MappingFile, load_mapping, mapping_for, suggest_mapping
from .read import RawTable, list_sheets, read_raw
from .result import KIND_NAMES_ZH, ExcludedRow, ReadResult
from .table import ReadOptions, find_header
from .workbook import read_table

__all__ = [
    "ReadResult",
    "ExcludedRow",
    "ReadOptions",
    "MappingFile",
    "KINDS",
    "KIND_NAMES_ZH",
    "read_ledger",
    "read_progress",
    "read_indicators",
    "read_profiles",
    "read_tasks",
    "read_data",
    "validate_file",
    "guess_kind",
    "load_mapping",
    "mapping_for",
    "suggest_mapping",
    "list_sheets",
]

#: File-name words that point to a kind (checked when the headers do not decide).
_NAME_HINTS: dict[str, tuple[str, ...]] = {
    "ledger": ("台账", "项目库", "项目表", "清单", "ledger", "projects"),
    "progress": ("进度", "月报", "完成投资", "progress", "monthly"),
    "indicators": ("指标", "统计", "indicator"),
    "profiles": ("季度基数", "基数", "上年", "profile"),
    "tasks": ("任务", "报送", "task"),
}

Ledger: TypeAlias = ReadResult | pd.DataFrame | str | Path | None


def _options(year: int | None, month: str | int | None, mapping: MappingFile | str | Path | None) -> ReadOptions:
    return ReadOptions(year=year, month=None if month is None else str(month), mapping=mapping_for(mapping))


def read_data(
    path: str | Path,
    kind: str,
    *,
    sheet: str | None = None,
    year: int | None = None,
    ledger: Ledger = None,
    month: str | int | None = None,
    mapping: MappingFile | str | Path | None = None,
) -> ReadResult:
    """Read ``path`` as a file of ``kind`` (ledger, progress, indicators, profiles, tasks).

    ``sheet``: the xlsx sheet (default: the sheet(s) whose header matches); ``year``: the
    plan or ledger year; ``month``: the month a ledger sheet's cumulative column runs to when
    neither its header nor its title says (``2019-06``); ``mapping``: an office's mapping
    file (path or :class:`MappingFile`); ``ledger``: a ledger (result, frame or path) a
    progress file is checked against.
    """
    if kind not in KINDS:
        raise UsageError(f"未知的文件类型 {kind!r}，应为 {'、'.join(KINDS)} / unknown kind")
    return _read(path, kind, sheet, _options(year, month, mapping), ledger)


def _read(path: str | Path, kind: str, sheet: str | None, opt: ReadOptions, ledger: Ledger, raws: dict[str, RawTable] | None = None) -> ReadResult:
    if isinstance(ledger, (str, Path)):
        ledger = read_table(ledger, "ledger", options=opt)
    return read_table(path, kind, sheet=sheet, options=opt, ledger=ledger, raws=raws)


def read_ledger(
    path: str | Path, *, sheet: str | None = None, year: int | None = None, month: str | int | None = None, mapping: MappingFile | str | Path | None = None
) -> ReadResult:
    """Read a project ledger (项目台账). ``year`` is the ledger year, used for plausibility checks.

    An office's own sheet is read as it is (title, 序号, 合计 row, section rows, merged
    cells, one sheet per county); its cumulative completed-investment column becomes
    ``result.progress``. See :func:`read_data` for the options.

    >>> read_ledger.__name__
    'read_ledger'
    """
    return read_data(path, "ledger", sheet=sheet, year=year, month=month, mapping=mapping)


def read_progress(
    path: str | Path, *, sheet: str | None = None, year: int | None = None, ledger: Ledger = None, mapping: MappingFile | str | Path | None = None
) -> ReadResult:
    """Read monthly cumulative progress (月度进度). With ``ledger`` (a result, frame or path),
    project ids are checked against it and completed investment against total investment;
    ``year`` (or the ledger's year) is the year months should fall in, and lets a bare
    month (6, 6月) be read.
    """
    return read_data(path, "progress", sheet=sheet, year=year, ledger=ledger, mapping=mapping)


def read_indicators(path: str | Path, *, sheet: str | None = None, year: int | None = None, mapping: MappingFile | str | Path | None = None) -> ReadResult:
    """Read aggregate indicators by jurisdiction and period (统计指标)."""
    return read_data(path, "indicators", sheet=sheet, year=year, mapping=mapping)


def read_profiles(path: str | Path, *, sheet: str | None = None, year: int | None = None, mapping: MappingFile | str | Path | None = None) -> ReadResult:
    """Read last year's quarterly levels of indicators (上年季度基数)."""
    return read_data(path, "profiles", sheet=sheet, year=year, mapping=mapping)


def read_tasks(path: str | Path, *, sheet: str | None = None, year: int | None = None, mapping: MappingFile | str | Path | None = None) -> ReadResult:
    """Read reported achievements of targets (任务完成情况): target id, period, value, unit."""
    return read_data(path, "tasks", sheet=sheet, year=year, mapping=mapping)


#: Tie-break weight of each recognised column in :func:`_score` (a score, not a rate).
_PER_FOUND_COLUMN = 0.01


def _score(raw: RawTable, kind: str, extra: dict[str, str] | None = None) -> float:
    info = find_header(raw.cells, kind, extra)
    if info is None:
        return 0.0
    required = {c.id for c in CONTRACTS[kind] if c.required}
    found = set(info.ids.values())
    return len(required & found) / len(required) + _PER_FOUND_COLUMN * len(found)


def guess_kind(
    path: str | Path, raw: RawTable | None = None, sheet: str | None = None, mapping: MappingFile | None = None, raws: list[RawTable] | None = None
) -> str:
    """Which kind of file ``path`` is, from its headers (and its name when the headers are unclear).

    The kind whose required columns are best covered wins (in any sheet of a workbook);
    file-name words (台账, 进度, 指标, 基数 ...) break ties. Falls back to ``ledger``.
    ``raw``/``raws``: the sheet, or every sheet, already read.
    """
    if raw is not None:
        raws = [raw]
    elif raws is None:
        names = list_sheets(path) if sheet is None else []
        raws = [read_raw(path, n) for n in names] if len(names) > 1 else [read_raw(path, sheet)]
    name = Path(path).stem.lower()
    scores: dict[str, float] = {}
    for kind in KINDS:
        extra = mapping.headers_for(kind) if mapping else None
        s = max((_score(r, kind, extra) for r in raws if r.ok and not r.cells.empty), default=0.0)
        if any(w in name for w in _NAME_HINTS[kind]):
            s += 0.05
        scores[kind] = s
    best = max(KINDS, key=lambda k: scores[k])
    return best if scores[best] > 0 else "ledger"


def validate_file(
    path: str | Path,
    kind: str | None = None,
    *,
    sheet: str | None = None,
    year: int | None = None,
    ledger: Ledger = None,
    month: str | int | None = None,
    mapping: MappingFile | str | Path | None = None,
) -> ReadResult:
    """Read and check any data file; ``kind=None`` guesses it from the columns and the file name.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_text("地区,期别,指标,累计同比增速（%）\\n汉中市,2024Q2,fai,9.2\\n", encoding="utf-8")
    >>> r = validate_file(p)
    >>> r.kind, round(float(r.frame.loc[0, "cum_yoy"]), 3)
    ('indicators', 0.092)
    """
    m = mapping_for(mapping)
    if kind is not None:
        return read_data(path, kind, sheet=sheet, year=year, ledger=ledger, month=month, mapping=m)
    # a workbook's sheets are read once, for the guess and for the table
    names = list_sheets(path) if sheet is None else []
    raws = {n: read_raw(path, n) for n in names} if len(names) > 1 else None
    kind = guess_kind(path, sheet=sheet, mapping=m, raws=list(raws.values()) if raws else None)
    return _read(path, kind, sheet, _options(year, month, m), ledger, raws)
