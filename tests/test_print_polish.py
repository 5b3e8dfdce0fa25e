"""Print polish found by looking at the bulletin: number columns right-aligned by the column's kind
(``45个`` and ``41.9亿元`` as much as ``60%``), the 口径 column in at most two lines, and chart labels
that never sit on a target line or run past a bar segment (checked on the drawn artists' boxes)."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest

from hzlib import charts
from hzlib.charts_style import chart_style
from hzlib.render.html import _em_width, align_table, bulletin_css, notebook_to_html
from hzlib.report import load_report
from hzlib.report.views import html_table, targets_view, units_view


class _Tables(HTMLParser):
    """Tables of an HTML page as rows of (tag, classes, style, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, set[str], str, str]]]] = []
        self._cell: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = [tag, set((a.get("class") or "").split()), a.get("style") or "", ""]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(tuple(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[3] += data


def _tables(html: str) -> list[dict[str, list[tuple[str, set[str], str, str]]]]:
    """Each table as {header: [its cells, header first]}."""
    p = _Tables()
    p.feed(html)
    out = []
    for rows in p.tables:
        head = [c[3] for c in rows[0]]
        out.append({h: [r[j] for r in rows if len(r) == len(head)] for j, h in enumerate(head)})
    return out


def _bulletin(*tables: str) -> str:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("t", outputs=[nbformat.v4.new_output("display_data", data={"text/html": t, "text/plain": "（表格）"})]) for t in tables
        ]
    )
    return notebook_to_html(nb, title="测试通报")


@pytest.fixture(scope="module")
def zhenba_html() -> str:
    m = load_report("zhenba-2024", "2024Q2")
    return _bulletin(targets_view(m).data, targets_view(m, "other").data, units_view(m).data)


def test_number_columns_right_aligned_by_kind_in_the_targets_table(zhenba_html):
    table = _tables(zhenba_html)[0]
    texts = {c[3] for c in table["本期目标"][1:] + table["实际"][1:]}
    assert {"45个", "27.93亿元", "60%", "17.67亿元"} <= texts  # numbers with units, as the office writes them
    for col in ("本期目标", "实际", "差距"):
        cells = table[col][1:]
        assert cells and all("num" in cls for _, cls, _, _ in cells), col
    for col in ("目标", "范围", "口径", "说明"):
        assert not any("num" in cls for _, cls, _, _ in table[col][1:]), col
    # the CSS right-aligns what is so marked
    assert re.search(r"td\.num, th\.num, \.num \{\s*text-align: right;", bulletin_css())


def test_count_in_brackets_may_go_to_a_second_line(zhenba_html):
    assert '<td class="num-wrap num"><span class="nb">73.33%</span><wbr><span class="nb">（22/30个）</span></td>' in zhenba_html
    css = bulletin_css()
    assert re.search(r"td\.num-wrap \{\s*white-space: normal;", css) and re.search(r"td\.num-wrap span\.nb \{\s*white-space: nowrap;", css)


def test_basis_column_takes_at_most_two_lines(zhenba_html):
    table = _tables(zhenba_html)[0]
    head = table["口径"][0]
    least = float(re.search(r"min-width: ([\d.]+)em", head[2]).group(1))
    longest = max(_em_width(c[3]) for c in table["口径"][1:])
    assert longest > 8 and least >= math.ceil(longest / 2) + 1  # 重点项目台账（县级・新开工项目）: two lines


def test_units_table_counts_and_amounts_right_aligned():
    m = load_report("ankang-2019", "2019Q2")
    table = _tables(_bulletin(units_view(m).data))[0]
    for col in ("项目数", "开工", "开工率", "完成投资（亿元）", "完成率", "与时序进度差"):
        assert all("num" in cls for _, cls, _, _ in table[col][1:]), col
    assert not any("num" in cls for _, cls, _, _ in table["责任单位"][1:])
    assert all("status-" in " ".join(cls) for _, cls, _, _ in table["状态"][1:])


def test_column_kind_not_cell_type():
    df = pd.DataFrame({"名称": ["甲项目", "乙项目", "丙项目"], "个数": ["45个", "—", "3个"], "备注": ["5", "见说明", "—"], "级别": ["市级", "县级", "市级"]})
    out = _tables(_bulletin(html_table(df).data))[0]
    assert all("num" in cls for _, cls, _, _ in out["个数"][1:])  # "—" in a number column aligns with the numbers
    assert not any("num" in cls for _, cls, _, _ in out["备注"][1:])  # a lone "5" in a text column stays with its text
    assert all("nw" in cls for _, cls, _, _ in out["级别"][1:])
    # a table with spans is marked cell by cell, as before
    assert align_table('<table><tbody><tr><td rowspan="2">甲</td><td>1</td></tr><tr><td>2</td></tr></tbody></table>') is None


# ---------------------------------------------------------------- charts


def _boxes(fig, texts):
    r = charts.renderer_of(fig)
    return [t.get_window_extent(renderer=r) for t in texts]


@pytest.mark.parametrize(
    ("actual", "target"),
    [
        ([7.6, 7.7, None, None], 8.0),  # 镇巴 2024 H1: just under the target line
        ([8.1, 7.95, 8.02, None], 8.0),  # either side, close to it
        ([4.1, 3.4, None, None], 6.0),
    ],
)
def test_growth_labels_never_sit_on_the_target_line(actual, target):
    through = sum(v is not None for v in actual)
    with chart_style():
        fig = charts.growth_chart("固定资产投资（累计同比）", actual, [target] * 4, 8.28, through)
        ax = fig.axes[0]
        labels = [t for t in ax.texts if t.get_text().endswith("%")]
        assert [t.get_text() for t in labels] == [f"{v:.1f}%" for v in actual if v is not None]
        line_y = ax.transData.transform((1, target))[1]
        for v, box in zip([v for v in actual if v is not None], _boxes(fig, labels)):
            assert not (box.y0 <= line_y <= box.y1), (v, box, line_y)
            assert (box.y0 > line_y) == (v >= target)  # on the point's side of the line
            ax_box = ax.get_window_extent()
            assert ax_box.x0 <= box.x0 and box.x1 <= ax_box.x1  # inside the plot, not over the y axis


@pytest.mark.parametrize(
    "counts",
    [
        {"met": 9, "near": 6, "missed": 9, "pending": 57, "no_data": 18},  # 镇巴 2024 H1
        {"met": 6, "near": 4, "missed": 1, "pending": 15, "no_data": 1},  # 安康 2019 H1
        {"met": 1, "near": 1, "missed": 1, "pending": 95, "no_data": 1},
    ],
)
def test_status_bar_labels_stay_inside_their_segment_or_go_outside(counts):
    with chart_style():
        fig = charts.status_chart(counts)
    ax = fig.axes[0]
    r = charts.renderer_of(fig)
    bars = [p.get_window_extent(renderer=r) for p in ax.patches]
    bar_top = max(b.y1 for b in bars)
    texts = [t for t in ax.texts if t.get_text()]
    assert sorted(t.get_text() for t in texts) == sorted(f"{charts.STATUS_LABELS[k]} {v}" for k, v in counts.items())
    boxes = _boxes(fig, texts)
    ax_box = ax.get_window_extent()
    for t, box in zip(texts, boxes):
        assert ax_box.x0 - 0.5 <= box.x0 and box.x1 <= ax_box.x1 + 0.5, t.get_text()  # never past the bar's end
        if box.y0 < bar_top:  # inside the bar: within one segment
            assert any(b.x0 <= box.x0 and box.x1 <= b.x1 for b in bars), t.get_text()
        else:
            assert box.y0 >= bar_top
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (texts[i].get_text(), texts[j].get_text())
    narrow = [t.get_text() for t, b in zip(texts, boxes) if b.y0 >= bar_top]
    assert ("基本达标 6" in narrow) == (counts["near"] == 6)  # 镇巴's 6 of 99 does not fit its segment


def _captured(monkeypatch):
    import hzlib.report.figures as rf

    figs = []
    real = rf.savefig
    monkeypatch.setattr(rf, "savefig", lambda fig, *a, **k: (figs.append(fig), real(fig, *a, **k))[1])
    return figs


def test_whatif_value_labels_clear_the_target_mark(monkeypatch):
    from hzlib.whatif import figures
    from hzlib.whatif.load import open_whatif

    w = open_whatif("zhenba-2024", "2024Q2", "", False, "", "")
    figs = _captured(monkeypatch)
    chart = figures.required_chart(w)
    assert chart is not None
    fig = figs[-1]
    ax = fig.axes[0]
    r = charts.renderer_of(fig)
    marks = next(ln for ln in ax.get_lines() if ln.get_marker() == "|")
    xs, ys = marks.get_data()
    for t in ax.texts:
        box = t.get_window_extent(renderer=r)
        row = min(range(len(ys)), key=lambda i: abs(ys[i] - t.get_position()[1]))
        mark_x = ax.transData.transform((xs[row], ys[row]))[0]
        assert box.x0 >= mark_x - 1 or box.x1 < mark_x, t.get_text()  # starts after the target mark (or ends before it)
    # 高技术产业投资增长: target 10% beyond the 9.45% bar, its label after the mark
    assert any(t.get_text().strip() == "9.45%" and t.get_position()[0] == pytest.approx(10.0) for t in ax.texts)


@pytest.mark.parametrize("years_at", [[7.9, 8.0, 8.15, 9.5], [6.0, 7.98, 10.0]])
def test_whatif_history_years_clear_the_target_line(years_at):
    from matplotlib.figure import Figure

    from hzlib.whatif.figures import _year_labels

    target = 8.0
    with chart_style():
        fig = Figure(figsize=(7.2, 2.8))
        ax = fig.subplots()
        ax.plot(years_at, [0] * len(years_at), "o")
        ax.axvline(target, linestyle="--")
        ax.set_xlim(5, 11)
        ax.set_ylim(-1, 1)
        fig.tight_layout()
        _year_labels(fig, ax, years_at, list(range(2016, 2016 + len(years_at))), target)
        r = charts.renderer_of(fig)
        line_x = ax.transData.transform((target, 0))[0]
        assert len(ax.texts) == len(years_at)
        for t in ax.texts:
            box = t.get_window_extent(renderer=r)
            assert not (box.x0 - 1 <= line_x <= box.x1 + 1), t.get_text()


def test_whatif_status_compare_labels_never_cross_a_segment(monkeypatch):
    from hzlib.whatif import figures
    from hzlib.whatif.load import open_whatif

    w = open_whatif("zhenba-2024", "2024Q2", "", False, "", "")
    figs = _captured(monkeypatch)
    figures.status_compare_chart(w)
    fig = figs[-1]
    ax = fig.axes[0]
    r = charts.renderer_of(fig)
    bars = [p.get_window_extent(renderer=r) for p in ax.patches if p.get_width() > 0]
    for t in ax.texts:
        box = t.get_window_extent(renderer=r)
        inside = [b for b in bars if b.y0 <= box.y0 and box.y1 <= b.y1]
        if inside:
            assert any(b.x0 <= box.x0 and box.x1 <= b.x1 for b in inside), t.get_text()
        else:
            assert not any(box.overlaps(b) for b in bars), t.get_text()
