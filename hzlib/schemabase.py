"""The one base for every YAML schema: plans, scenarios, scoring rules and mapping files.

Every model is strict (an unknown key is an error, naming the key) and frozen (read once, never
changed in place). Ids share one spelling everywhere, and every percent written in a file follows
one convention: a percent number (``6`` for 6%), and a percent under 1 written with its sign
(``"0.5%"``), so that ``0.5`` alone, which looks like a fraction typed by mistake, is refused.

>>> percent_number("0.5%", what="增速", example="6", lo=-100, hi=100, lo_open=True)
0.5
>>> percent_number(6, what="增速", example="6", lo=-100, hi=100, lo_open=True)
6.0
"""

from __future__ import annotations

import math
from functools import partial
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .units import to_percent

__all__ = [
    "ID_PATTERN",
    "DOC_ID_PATTERN",
    "SLUG_PATTERN",
    "Id",
    "DocId",
    "StrictModel",
    "percent_number",
    "written_with_percent_sign",
    "GrowthPercent",
    "SharePercent",
    "LedgerPercent",
]

#: A target, indicator, input or column id: ``county_key_investment``.
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
#: A plan or rules file id (the file name): ``zhenba-2024``.
DOC_ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
#: A scenario id: ``slip-2024q3``.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN)]
DocId = Annotated[str, Field(pattern=DOC_ID_PATTERN)]


class StrictModel(BaseModel):
    """Unknown keys are errors; a model read from a file is never changed in place."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def written_with_percent_sign(value: object) -> bool:
    """Whether a file wrote ``value`` as ``"0.5%"`` (or ``"0.5％"``): a percent said to be one.

    >>> written_with_percent_sign("0.5%"), written_with_percent_sign(0.5)
    (True, False)
    """
    return isinstance(value, str) and value.strip().replace("％", "%").endswith("%")


def percent_number(value: object, what: str, example: str, lo: float, hi: float, lo_open: bool) -> float:
    """A percent number as written in a file: ``6``, ``-1.5``, ``"6%"``, ``"0.5%"`` → 6, -1.5, 6, 0.5.

    A bare number between -1 and 1 (not 0) looks like a fraction and is refused with the fix.
    """
    signed = written_with_percent_sign(value)
    if isinstance(value, str):
        text = value.strip().replace("％", "%")
        try:
            value = float(text.removesuffix("%").strip())
        except ValueError:
            raise ValueError(f"{what}应为数字（写作 {example} 或 {example}%），实际为 {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what}应为数字（写作 {example} 表示 {example}%），实际为 {value!r}")
    x = float(value)
    if not signed and 0 < abs(x) < 1:
        pct = to_percent(x)
        raise ValueError(f'{x:g} 像是小数写法：{what}按百分数填写，{pct:g}% 写作 {pct:g}；如确为 {x:g}%，请写作 "{x:g}%"')
    low_ok = x > lo if lo_open else x >= lo
    if not (low_ok and x <= hi):
        raise ValueError(f"{what}应在 {lo:g}% 到 {hi:g}% 之间（写作 {example} 表示 {example}%），实际为 {x:g}")
    return x


#: Growth in percent: −100 < g ≤ 100 (the plan files' range for growth).
GrowthPercent = Annotated[float, BeforeValidator(partial(percent_number, what="增速", example="6", lo=-100, hi=100, lo_open=True))]
#: A share in percent: 0 < s ≤ 100.
SharePercent = Annotated[float, BeforeValidator(partial(percent_number, what="比例", example="20", lo=0, hi=100, lo_open=True))]
#: A ledger percent column (利税率): any value, fraction check only.
LedgerPercent = Annotated[float, BeforeValidator(partial(percent_number, what="百分比", example="12", lo=-1e9, hi=1e9, lo_open=False))]
