"""`hz run` reads the period it is asked for as a typed period (not its text), and the index of
the bulletins styles every status as the bulletin does (the glossary's CSS class)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hzlib.errors import UsageError
from hzlib.render.html import bulletin_css
from hzlib.run import main_run, write_index


@pytest.mark.parametrize("asked", ["2024-05", "2024年1-5月", "2024年5月"])
def test_a_scenario_report_for_a_month_is_refused_naming_the_quarter(asked: str, tmp_path: Path) -> None:
    """Every form of May 2024 ends no quarter: a what-if bulletin needs one; May is in 2024Q2."""
    with pytest.raises(UsageError) as e:
        main_run(["zhenba-2024"], asked, tmp_path, ("html",), None, scenarios=("any",))
    assert str(e.value).startswith("情景假设通报按季度生成，2024年1-5月是月份：请写季度，如 2024Q2")


def _index(tmp_path: Path, status: str) -> str:
    folder = tmp_path / "zhenba-2024" / "2024Q2"
    folder.mkdir(parents=True)
    (folder / "bulletin.html").write_text("x", encoding="utf-8")
    manifest = {"quarter": "2024Q2", "jurisdiction": "镇巴县", "title": "方案", "overall_status": status, "summary": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return write_index(tmp_path).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("status", "cell"),
    [
        ("no_data", '<td class="status-pending">无数据</td>'),
        ("n/a", '<td class="status-pending">不适用</td>'),
        ("near", '<td class="status-near">基本达标</td>'),
    ],
)
def test_every_index_status_cell_has_the_bulletins_class(status: str, cell: str, tmp_path: Path) -> None:
    """无数据 and 不适用 are grey as in the bulletin: class status-pending, which bulletin.css styles
    (it has no rule for status-no_data or status-n/a)."""
    page = _index(tmp_path, status)
    assert cell in page
    for css_class in re.findall(r'class="(status-[^"]+)"', page):
        assert f"td.{css_class}" in bulletin_css(), css_class
