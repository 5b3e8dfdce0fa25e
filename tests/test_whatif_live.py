"""The notebook's sliders: the scenario they build, the same compare, and widgets only with a front end.

The last test drives a real kernel the way a front end does: an execute request that
carries a ``cellId`` (as JupyterLab sends) creates the widgets, a widget update moves a
slider and the kernel answers with the new comparison; an execute request without one
(as nbclient, papermill and nbval send) shows the static note and creates no widget.
"""

from __future__ import annotations

import queue
from functools import cache
from typing import Any

import pytest

from hzlib.data import load_data
from hzlib.evaluate.engine import EvaluationData
from hzlib.periods import Period
from hzlib.plan import load_plan
from hzlib.plan.schema import Plan
from hzlib.whatif import live
from hzlib.whatif.compare import WhatIf, compare
from hzlib.whatif.live import LiveWhatIf, default_scenario, frontend_has_widgets, initial_growth, slider_scenario
from hzlib.whatif.load import assumed_scenarios
from hzlib.whatif.views import compare_zh

BASE = Period.parse("2024Q2")


@cache
def inputs() -> tuple[Plan, EvaluationData]:
    plan = load_plan("zhenba-2024")
    return plan, load_data("zhenba-2024", year=2024, plan=plan).data


def fai(w: WhatIf, column: str = "scenario_actual") -> float:
    t = w.table()
    return float(t[t["target_id"] == "fai_growth"][column].iloc[0])


def test_slider_values_are_percent_numbers_never_read_as_fractions() -> None:
    plan, data = inputs()
    s = slider_scenario(plan, data, BASE, {3: 0.5, 4: -0.5}, 2)
    assert s.growth[-1].fractions(BASE) == pytest.approx({3: 0.005, 4: -0.005})
    assert s.slips[-1].new_starts and s.slips[-1].months == 2
    assert s.dates == "planned" and s.pace is not None and s.pace.basis == "average_so_far"
    assert s.label == "滑块：三季度0.5%、四季度-0.5%；计划新开工项目推迟2个月；项目按计划日期开工、按上半年月均完成额推进"


def test_sliders_replace_the_growth_of_a_given_scenario() -> None:
    plan, data = inputs()
    from hzlib.whatif import load_scenario

    start = load_scenario("zhenba-2024", "q3-slow", plan=plan, tables=data)
    assert initial_growth(plan, data, BASE, start) == {3: 6.0, 4: 10.0}
    s = slider_scenario(plan, data, BASE, {3: 7, 4: 9}, 0, start=start)
    fai_items = [g for g in s.growth if g.indicator == "fai"]
    assert len(fai_items) == 1 and fai_items[0].fractions(BASE) == pytest.approx({3: 0.07, 4: 0.09})
    assert [g.indicator for g in s.growth if g.indicator != "fai"] == ["private_inv", "industry_inv"]
    assert s.targets == start.targets and s.slips == start.slips and s.pace == start.pace


def test_the_default_scenario_keeps_the_growth_so_far() -> None:
    plan, data = inputs()
    s = default_scenario(plan, data, BASE)
    assert s.id == "default" and "保持上半年累计增速（7.7%）" in s.label
    w = compare(plan, data, "2024Q2", [s])
    assert fai(w) == pytest.approx(7.7, abs=1e-9)  # every remaining quarter as the part done: the year ends where it is
    shown = compare_zh(w).set_index("目标").loc["固定资产投资增长"]
    assert (shown["情景1全年预计"], shown["情景1较基期"]) == ("7.7%", "0个百分点")  # float noise is not shown as -0


def test_moving_a_slider_calls_the_same_compare() -> None:
    plan, data = inputs()
    w = compare(plan, data, "2024Q2", [default_scenario(plan, data, BASE)])
    shown: list[WhatIf] = []
    ui = LiveWhatIf(w, lambda r: shown.append(r) or [])
    assert set(ui.growth) == {3, 4} and ui.growth[3].value == pytest.approx(7.7)
    ui.growth[3].value = 6.0
    ui.growth[4].value = 10.0
    assert ui.last is shown[-1] and ui.error == ""
    (by_args,) = assumed_scenarios(plan, data, "2024Q2", ["Q3=6%,Q4=10%"])
    direct = compare(plan, data, "2024Q2", [by_args])
    assert fai(ui.last) == fai(direct)  # to the last digit
    assert ui.last.scenarios[0].label.startswith("滑块：三季度6%、四季度10%")
    before = ui.last.new_starts().set_index("scenario_id").loc["sliders"]
    ui.slip.value = 3
    after = ui.last.new_starts().set_index("scenario_id").loc["sliders"]
    assert after["q3"] < before["q3"] and after["planned"] == before["planned"]
    assert after["q4"] + after["next_year"] + after["no_date"] == after["planned"]


def test_no_front_end_outside_a_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HZ_WIDGETS", raising=False)
    assert frontend_has_widgets() is False
    monkeypatch.setenv("HZ_WIDGETS", "1")
    assert frontend_has_widgets() is False  # forcing needs a kernel all the same


class FakeKernel:
    def __init__(self, metadata: dict[str, Any]) -> None:
        self.parent = {"header": {"msg_id": "m"}, "metadata": metadata}

    def get_parent(self, channel: str | None = None) -> dict[str, Any]:
        return self.parent


class FakeShell:
    def __init__(self, metadata: dict[str, Any]) -> None:
        self.kernel = FakeKernel(metadata)


@pytest.mark.parametrize(
    "metadata, env, expected",
    [
        ({"cellId": "c1", "deletedCells": [], "recordTiming": False}, "", True),  # JupyterLab / Notebook 7
        ({}, "", False),  # nbclient (papermill, nbconvert), nbval
        ({}, "1", True),
        ({"cellId": "c1"}, "0", False),
    ],
)
def test_front_end_detection(monkeypatch: pytest.MonkeyPatch, metadata: dict[str, Any], env: str, expected: bool) -> None:
    import IPython

    monkeypatch.setenv("HZ_WIDGETS", env)
    monkeypatch.setattr(IPython, "get_ipython", lambda: FakeShell(metadata))
    assert frontend_has_widgets() is expected


def test_without_a_front_end_only_the_static_note(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, data = inputs()
    w = compare(plan, data, "2024Q2", [default_scenario(plan, data, BASE)])
    shown: list[object] = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: shown.extend(objs))
    assert live.live_whatif(w) is None
    assert [getattr(x, "data", None) for x in shown] == [live.STATIC_NOTE]


# ---- a real kernel, spoken to as a front end and as a headless executor ------------------------------------------
SETUP = """
from hzlib.whatif.load import load_whatif
from hzlib.whatif.live import live_whatif
w = load_whatif("zhenba-2024", "2024Q2", default=True)
"""
LIVE = "ui = live_whatif(w, start=w.scenarios[0].scenario)"


def _request(kc: Any, code: str, metadata: dict[str, Any]) -> str:
    msg = kc.session.msg(
        "execute_request",
        {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        metadata=metadata,
    )
    kc.shell_channel.send(msg)
    return str(msg["header"]["msg_id"])


def _iopub_until_idle(kc: Any, parent: str, timeout: float = 120) -> list[dict[str, Any]]:
    out = []
    while True:
        try:
            m = kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no idle status for {parent}: {[x['msg_type'] for x in out]}") from None
        if m["parent_header"].get("msg_id") != parent:
            continue
        out.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return out


def _shown_html(msgs: list[dict[str, Any]]) -> str:
    return "".join(m["content"]["data"].get("text/html", "") for m in msgs if m["msg_type"] in ("display_data", "execute_result"))


def test_a_kernel_makes_widgets_for_a_front_end_only() -> None:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        msgs = _iopub_until_idle(kc, _request(kc, SETUP, {}))
        assert not [m for m in msgs if m["msg_type"] == "error"], msgs
        # as nbclient / papermill / nbval send it: no cellId, no widgets
        msgs = _iopub_until_idle(kc, _request(kc, "ui_static = live_whatif(w)", {}))
        assert not [m for m in msgs if m["msg_type"] in ("comm_open", "error")]
        notes = [m["content"]["data"]["text/markdown"] for m in msgs if m["msg_type"] == "display_data"]
        assert notes == [live.STATIC_NOTE]
        # as JupyterLab sends it
        msgs = _iopub_until_idle(kc, _request(kc, LIVE, {"cellId": "abc", "deletedCells": [], "recordTiming": False}))
        assert not [m for m in msgs if m["msg_type"] == "error"], msgs
        opened = [m for m in msgs if m["msg_type"] == "comm_open"]
        sliders = {m["content"]["data"]["state"].get("description"): m["content"]["comm_id"] for m in opened}
        assert {"三季度当季增速（%）", "四季度当季增速（%）", "计划新开工项目推迟（月）"} <= set(sliders)
        views = [m for m in msgs if m["msg_type"] == "display_data" and "application/vnd.jupyter.widget-view+json" in m["content"]["data"]]
        assert len(views) == 1
        assert "滑块：三季度7.7%、四季度7.7%" in _shown_html(msgs)  # the first result, shown in the output widget
        # the front end moves the Q3 slider to 6%
        update = kc.session.msg(
            "comm_msg", {"comm_id": sliders["三季度当季增速（%）"], "data": {"method": "update", "state": {"value": 6.0}, "buffer_paths": []}}
        )
        kc.shell_channel.send(update)
        msgs = _iopub_until_idle(kc, str(update["header"]["msg_id"]))
        assert not [m for m in msgs if m["msg_type"] == "error"], msgs
        html = _shown_html(msgs)
        assert "滑块：三季度6%、四季度7.7%" in html and "情景假设" in html
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
