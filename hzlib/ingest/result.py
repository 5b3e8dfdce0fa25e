"""The result of reading one data file: the normalised table plus everything said about it.

>>> r = ReadResult(kind="ledger", file="a.csv", frame=pd.DataFrame({"x": [1]}), source_rows=2,
...                excluded=[ExcludedRow("a.csv", 5, "合计行")])
>>> r.ok, r.kept_rows, r.source_rows == r.kept_rows + len(r.excluded)
(True, 1, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import ERROR, WARNING, DataError, Problem

__all__ = ["ExcludedRow", "ReadResult", "CumulativeColumn", "KIND_NAMES_ZH"]

#: Chinese names of the kinds of files.
KIND_NAMES_ZH = {"ledger": "项目台账", "progress": "月度进度", "indicators": "统计指标", "profiles": "上年季度基数", "tasks": "任务完成情况"}


@dataclass(frozen=True)
class ExcludedRow:
    """A source row that is not in the table, and why (合计行, 空行 ...)."""

    file: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file} 第{self.row}行：{self.reason}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "reason": self.reason}


@dataclass(frozen=True)
class CumulativeColumn:
    """A ledger sheet's cumulative completed investment to one month (万元, aligned with the frame)."""

    header: str
    month: str  # YYYY-MM
    values: pd.Series
    wan: pd.Series  # rows read as typed in 万元 (the 亿元-typed check)
    blank: pd.Series  # rows whose cell was blank (no completion reported)


@dataclass
class ReadResult:
    """A file read into a contract table.

    ``frame`` has every contract column of ``kind`` in contract order (optional
    columns absent from the file are all missing); ``rows`` gives, for each row
    of ``frame``, the row number in the source file. The invariant is
    ``source_rows == len(frame) + len(excluded)``.
    """

    kind: str
    file: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    excluded: list[ExcludedRow] = field(default_factory=list)
    encoding: str | None = None
    source_rows: int = 0
    sheet: str | None = None
    header_row: int | None = None
    rows: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    columns: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    #: For each money column, the rows whose value was typed in 万元 (used by the 亿元 check).
    wan_typed: dict[str, pd.Series] = field(default_factory=dict, repr=False)
    #: For each plain-number column, the rows typed with a percent sign ("85%").
    percent_typed: dict[str, pd.Series] = field(default_factory=dict, repr=False)
    #: What the reader did to meet the sheet (sheet chosen, values filled, fields derived,
    #: ids made, units converted); each is also a warning in ``problems``.
    actions: list[Problem] = field(default_factory=list)
    #: The file as problems name it: the file name, with the sheet when the workbook has several.
    label: str = ""
    #: Per row of ``frame``, the label of the sheet it came from (several sheets read as one table).
    row_labels: pd.Series | None = field(default=None, repr=False)
    #: Columns the sheet had beyond the contract (``hzlib.contracts.LEDGER_SHEET_COLUMNS``), aligned with ``frame``.
    extra: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: A ledger sheet's cumulative completed-investment columns by month (read by ``build_table``).
    cumulative: dict[str, CumulativeColumn] = field(default_factory=dict, repr=False)
    #: Monthly progress made from those columns (``hzlib.ingest.derive.split_progress``), if any.
    progress: ReadResult | None = field(default=None, repr=False)
    #: Sheets read (several when one sheet per county).
    sheets: list[str] = field(default_factory=list)
    #: What the rows above the header said (title text; the period and level it names).
    title: str = ""
    #: The year the title names, if any (``hz import`` refuses a sheet of another year than the plan's).
    title_year: int | None = None
    #: Columns the reader made rather than read (a 项目编号 generated, a level from the title,
    #: 是否新开工 inferred): ``hz import`` never lets them overwrite values a ledger has.
    derived: set[str] = field(default_factory=set)
    #: Headers not recognised, and category values not recognised per field (for ``--suggest-map``).
    unknown_headers: list[str] = field(default_factory=list)
    unknown_values: dict[str, list[str]] = field(default_factory=dict)
    #: Required fields missing from the file (ids).
    missing: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        """The file (and sheet) as problems name it."""
        return self.label or self.file

    def did(self, problem: Problem) -> None:
        """Record something the reader did (a warning the report shows, and an action ``hz import`` lists)."""
        self.actions.append(problem)
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def kept_rows(self) -> int:
        return len(self.frame)

    def raise_for_errors(self) -> ReadResult:
        """Raise :class:`InputError` with every problem when there is any error; else return self.

        >>> ReadResult(kind="ledger", file="a.csv", frame=pd.DataFrame()).raise_for_errors().file
        'a.csv'
        """
        if self.errors:
            raise DataError(self.problems, what=self.file)
        return self

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (without the table)."""
        return {
            "file": self.file,
            "kind": self.kind,
            "sheet": self.sheet,
            "encoding": self.encoding,
            "header_row": self.header_row,
            "source_rows": self.source_rows,
            "kept_rows": self.kept_rows,
            "sheets": list(self.sheets),
            "title": self.title,
            "columns": dict(self.columns),
            "units": dict(self.units),
            "actions": [p.as_dict() for p in self.actions],
            "excluded": [e.as_dict() for e in self.excluded],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.as_dict() for p in self.problems],
            "ok": self.ok,
            "progress_rows": 0 if self.progress is None else len(self.progress.frame),
        }
