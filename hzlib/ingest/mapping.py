"""An office's own words: a mapping file from its headers and values to contract fields.

``data/<plan>/mapping.yaml`` (or ``--map FILE``) says, once, what an office's sheet
calls things the reader does not know (documented in ``docs/data.md``)::

    headers:            # 表头原文: 契约字段（id 或契约表头）
      区县名: unit
      上半年累计: completed_cum
    values:             # 契约字段: {表中写法: 契约取值（id 或中文）}
      level: {重大项目: 市级}
      ownership: {民企: 民间}
    ignore: [建设内容, 形象进度]   # 不需要的列，不再提示“未识别”
    defaults: {level: city}       # 表中没有这一列时，所有行取这个值
    sheet: 1-6月                  # 默认工作表（命令行 --sheet 优先）
    month: 2019-06                # 累计完成投资列截至的月份（表头和标题都没写时）

Every problem names the mapping file, the line and the field, like plan files:

>>> import pathlib, tempfile
>>> f = pathlib.Path(tempfile.mkdtemp()) / "mapping.yaml"
>>> _ = f.write_text("headers:\\n  区县名: unit\\n  建设年限: 年限\\nvalues:\\n  ownership: {民企: 民间}\\n", encoding="utf-8")
>>> try:
...     load_mapping(f)
... except DataError as e:
...     print(e.problems[0].row, e.problems[0].column, e.problems[0].message[:22])
3 headers.建设年限 “年限”不是数据契约中的字段；最接近的字段：
>>> _ = f.write_text("headers:\\n  区县名: 责任单位\\nvalues:\\n  ownership: {民企: 民间}\\n", encoding="utf-8")
>>> m = load_mapping(f)
>>> m.headers_for("ledger"), m.values_for("ownership")
({'区县名': 'unit'}, {'民企': 'private'})
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from hzlib.schemabase import StrictModel

from ..errors import DataError, Problem
from ..inputs import MAPPING_FILE
from ..yamldoc import YamlDoc, read_yaml_doc
from .aliases import (
    BOOL_VALUES,
    HEADER_ALIASES,
    KINDS,
    VALUE_ALIASES,
    fields_of,
    match_header,
    normalise_header,
    normalise_value,
    split_header,
)

__all__ = ["MappingFile", "load_mapping", "mapping_for", "field_ids", "closest_fields", "suggest_mapping", "MAPPING_FILE"]


def field_ids() -> dict[str, str]:
    """Every field a header may be mapped to, with its Chinese header (all kinds, first wins)."""
    out: dict[str, str] = {}
    for kind in KINDS:
        for c in fields_of(kind):
            out.setdefault(c.id, c.zh)
    return out


def _kind_of(cid: str) -> str:
    return next(c.kind for k in KINDS for c in fields_of(k) if c.id == cid)


def closest_fields(header: object, n: int = 3, kinds: Iterable[str] = KINDS) -> list[str]:
    """Contract fields whose accepted headers look most like ``header`` (best first).

    >>> closest_fields("县区名称")[:1], closest_fields("上半年累计完成")[:1]
    (['unit'], ['completed_cum'])
    """
    name = split_header(header)[0]
    scores: dict[str, float] = {}
    for kind in kinds:
        for c in fields_of(kind):
            words = {split_header(w)[0] for w in (c.zh, c.id, *HEADER_ALIASES[kind].get(c.id, ()), *_MORE_WORDS.get(c.id, ()))}
            best = max(difflib.SequenceMatcher(None, name, w).ratio() for w in words if w)
            scores[c.id] = max(scores.get(c.id, 0.0), best)
    for word, cid in _KEYWORDS:
        if word in name and cid in scores:
            scores[cid] += 0.5
    ranked = sorted((cid for cid, s in scores.items() if s >= 0.4), key=lambda cid: -scores[cid])
    return ranked[:n]


#: More words an office uses for a field (a ledger's cumulative column is matched by pattern, not by alias).
_MORE_WORDS: dict[str, tuple[str, ...]] = {
    "completed_cum": ("累计完成投资", "本年累计完成投资", "1-6月完成投资", "上半年完成投资", "截至6月底累计完成"),
}
#: A word in a header that points to a field whatever the rest says.
_KEYWORDS: tuple[tuple[str, str], ...] = (("累计", "completed_cum"), ("完成投资", "completed_cum"), ("性质", "ownership"), ("级别", "level"))
#: Columns offices often have that no target needs: suggested under ``ignore``.
_USUALLY_IGNORED = ("建设内容", "建设规模", "建设地点", "形象进度", "进展情况", "存在问题", "联系人", "联系电话", "责任人", "包抓领导", "工作措施")


def _scalar_text(v: Any) -> Any:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return str(v)
    return v


class _MappingModel(StrictModel):
    headers: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)
    defaults: dict[str, str] = Field(default_factory=dict)
    sheet: str | None = None
    month: str | None = None

    @field_validator("headers", "defaults", mode="before")
    @classmethod
    def _texts(cls, v: Any) -> Any:
        return {_scalar_text(k): _scalar_text(x) for k, x in v.items()} if isinstance(v, dict) else v

    @field_validator("values", mode="before")
    @classmethod
    def _value_texts(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        return {k: ({_scalar_text(a): _scalar_text(b) for a, b in x.items()} if isinstance(x, dict) else x) for k, x in v.items()}

    @field_validator("ignore", mode="before")
    @classmethod
    def _ignore_texts(cls, v: Any) -> Any:
        return [_scalar_text(x) for x in v] if isinstance(v, list) else v

    @field_validator("sheet", "month", mode="before")
    @classmethod
    def _one_text(cls, v: Any) -> Any:
        return _scalar_text(v)


@dataclass(frozen=True)
class MappingFile:
    """A read mapping file: headers and values resolved to contract ids, ready for the reader."""

    name: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # normalised header -> field id
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> normalised typed value -> choice
    ignore: frozenset[str] = frozenset()  # normalised headers not to read (no "unrecognised" warning)
    defaults: dict[str, str] = field(default_factory=dict)  # field -> value for every row when the column is absent
    sheet: str | None = None
    month: str | None = None
    #: Each header mapping as written: (header, field id, line in the file).
    entries: tuple[tuple[str, str, int | None], ...] = ()

    def headers_for(self, kind: str) -> dict[str, str]:
        """The header mappings that apply to files of ``kind`` (fields of that kind only)."""
        ids = {c.id for c in fields_of(kind)}
        return {h: cid for h, cid in self.headers.items() if cid in ids}

    def entries_for(self, kind: str) -> list[tuple[str, str, int | None]]:
        """The header mappings as written (header, field, line) that apply to files of ``kind``."""
        ids = {c.id for c in fields_of(kind)}
        return [e for e in self.entries if e[1] in ids]

    def entry_of(self, header: object) -> tuple[str, str, int | None] | None:
        """The mapping entry a sheet's header matched (by its normalised text, or without its unit)."""
        full, bare = normalise_header(header), split_header(header)[0]
        return next((e for e in self.entries if normalise_header(e[0]) == full), None) or next((e for e in self.entries if split_header(e[0])[0] == bare), None)

    def values_for(self, cid: str) -> dict[str, str]:
        return self.values.get(cid, {})

    def ignores(self, header: object) -> bool:
        return normalise_header(header) in self.ignore or split_header(header)[0] in self.ignore


def _choice(cid: str, value: str) -> tuple[str | None, str]:
    """The contract value ``value`` stands for in field ``cid`` (id or any accepted word), or the reason not."""
    kind = _kind_of(cid)
    v = normalise_value(value)
    if kind == "category":
        aliases = VALUE_ALIASES[cid]
        if v in aliases:
            return aliases[v], ""
        zh = "、".join(k for k in aliases if not k.isascii())
        return None, f"“{value}”不是“{field_ids()[cid]}”的取值，应为 {zh} 之一"
    if kind == "bool":
        if v in BOOL_VALUES:
            return ("是" if BOOL_VALUES[v] else "否"), ""
        return None, f"“{value}”不是是否值，应为 是 或 否"
    return value, ""


def _resolve_field(text: str) -> str | None:
    """A field id from an id or a header the reader accepts (责任单位 → unit)."""
    ids = field_ids()
    if text in ids:
        return text
    for kind in KINDS:
        cid = match_header(text, kind)
        if cid is not None:
            return cid
    return None


def _check(doc: YamlDoc, model: _MappingModel) -> tuple[MappingFile | None, list[Problem]]:
    problems: list[Problem] = []
    ids = field_ids()
    headers: dict[str, str] = {}
    entries: list[tuple[str, str, int | None]] = []
    for h, target in model.headers.items():
        cid = _resolve_field(target)
        if cid is None:
            near = "、".join(f"{c}（{ids[c]}）" for c in closest_fields(target)) or "、".join(list(ids)[:8])
            problems.append(doc.problem(("headers", h), f"“{target}”不是数据契约中的字段；最接近的字段：{near} / unknown field"))
            continue
        headers[normalise_header(h)] = cid
        headers.setdefault(split_header(h)[0], cid)
        entries.append((h, cid, doc.problem(("headers", h), "").row))
    values: dict[str, dict[str, str]] = {}
    for f, table in model.values.items():
        cid = _resolve_field(f)
        if cid is None or _kind_of(cid) not in ("category", "bool"):
            problems.append(
                doc.problem(("values", f), f"“{f}”不是分类或是否字段；values 只用于 项目级别、投资主体、项目类别 和 是否类 字段 / not a category field")
            )
            continue
        out: dict[str, str] = {}
        for typed, meant in table.items():
            choice, why = _choice(cid, meant)
            if choice is None:
                problems.append(doc.problem(("values", f, typed), why))
            else:
                out[normalise_value(typed)] = choice
        values[cid] = out
    defaults: dict[str, str] = {}
    for f, v in model.defaults.items():
        cid = _resolve_field(f)
        if cid is None or _kind_of(cid) not in ("category", "bool", "str"):
            problems.append(
                doc.problem(("defaults", f), f"“{f}”不能设默认值；defaults 只用于文字、分类和是否字段（如 level、unit、ownership） / no default for this field")
            )
            continue
        choice, why = _choice(cid, v)
        if choice is None:
            problems.append(doc.problem(("defaults", f), why))
        else:
            defaults[cid] = choice
    if problems:
        return None, problems
    ignore = frozenset(normalise_header(h) for h in model.ignore) | frozenset(split_header(h)[0] for h in model.ignore)
    return MappingFile(doc.name, headers, values, ignore, defaults, model.sheet, model.month, tuple(entries)), []


def load_mapping(path: str | Path) -> MappingFile:
    """Read and check a mapping file; :class:`DataError` with every problem (file, line, field)."""
    doc, problems = read_yaml_doc(Path(path), what="映射文件", what_en="mapping file", shape_hint="（headers: {表头: 字段}）")
    if doc is None:
        raise DataError(problems, what="映射文件")
    problems = []
    try:
        model = _MappingModel.model_validate(doc.data)
    except ValidationError as e:
        problems += doc.validation_problems(e)
        try:  # check what is well-formed too, so that every problem is listed at once
            model = _MappingModel.model_validate({k: v for k, v in doc.data.items() if k in _MappingModel.model_fields})
        except ValidationError:
            raise DataError(problems, what="映射文件") from None
    mapping, more = _check(doc, model)
    if mapping is None or problems:
        raise DataError(problems + more, what="映射文件")
    return mapping


def mapping_for(mapping: MappingFile | str | Path | None, folder: Path | None = None) -> MappingFile | None:
    """``mapping`` read if it is a path; else ``folder/mapping.yaml`` when it exists; else None."""
    if isinstance(mapping, MappingFile):
        return mapping
    if mapping is not None:
        return load_mapping(mapping)
    if folder is not None and (folder / MAPPING_FILE).is_file():
        return load_mapping(folder / MAPPING_FILE)
    return None


def _yaml_key(text: str) -> str:
    return f'"{text}"' if any(ch in text for ch in ":#{}[],&*!|>'\"%@`") or text[:1] in "-?" else text


def suggest_mapping(
    unknown_headers: Iterable[str], unknown_values: dict[str, list[str]] | None = None, kind: str = "ledger", missing: Iterable[str] = ()
) -> str:
    """A starting mapping file (YAML text, comments in Chinese) for what the reader did not recognise.

    ``unknown_headers``: headers as written; each is mapped to its closest field with the
    other candidates in a comment (or listed under ``ignore`` when nothing is close);
    ``unknown_values``: per category field, values it could not read; ``missing``: required
    fields the file lacks, to remind the reader which one to look for.

    >>> print(suggest_mapping(["县区名称", "形象进度", "审批文号"], {"ownership": ["民企"]}))
    # 映射文件：本单位表格的写法 → 数据契约（见 docs/data.md）。请逐行核对后保存为 data/<计划>/mapping.yaml
    headers:
      县区名称: unit  # 责任单位；其他相近：name（项目名称）
    ignore:
      - 形象进度  # 文字说明，评价不需要
      - 审批文号  # 没有相近的字段；需要时改写到 headers 下
    values:
      ownership:
        民企: private  # 请核对：应为 民间、民营、民间投资、民营企业、私营… 之一
    <BLANKLINE>
    """
    ids = field_ids()
    lines = ["# 映射文件：本单位表格的写法 → 数据契约（见 docs/data.md）。请逐行核对后保存为 data/<计划>/mapping.yaml"]
    mapped, ignored = [], []
    for h in dict.fromkeys(unknown_headers):
        near = closest_fields(h, kinds=(kind,))
        if any(w in h for w in _USUALLY_IGNORED):
            ignored.append(f"  - {_yaml_key(h)}  # 文字说明，评价不需要")
        elif near:
            others = "；其他相近：" + "、".join(f"{c}（{ids[c]}）" for c in near[1:]) if len(near) > 1 else ""
            mapped.append(f"  {_yaml_key(h)}: {near[0]}  # {ids[near[0]]}{others}")
        else:
            ignored.append(f"  - {_yaml_key(h)}  # 没有相近的字段；需要时改写到 headers 下")
    missing = [m for m in missing if m in ids]
    if mapped or missing:
        lines.append("headers:")
        lines += mapped
        lines += [f"  # 缺少必需的“{ids[m]}”（{m}）：如表中另有名称，写成 表头原文: {m}" for m in missing]
    if ignored:
        lines.append("ignore:")
        lines += ignored
    if unknown_values:
        lines.append("values:")
        for cid, vals in unknown_values.items():
            aliases = VALUE_ALIASES.get(cid, {})
            zh = [k for k in aliases if not k.isascii()]
            lines.append(f"  {cid}:")
            for v in dict.fromkeys(vals):
                guess = difflib.get_close_matches(normalise_value(v), zh, n=1, cutoff=0.0)
                choice = aliases[guess[0]] if guess else next(iter(aliases.values()), "")
                lines.append(f"    {_yaml_key(v)}: {choice}  # 请核对：应为 {'、'.join(zh[:5])}… 之一")
    return "\n".join(lines) + "\n"
