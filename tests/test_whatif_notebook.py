"""notebooks/05_whatif.ipynb: its parameters, committed without widget state, static under papermill."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from hzlib.paths import NOTEBOOK_DIR
from hzlib.run import NOTEBOOKS
from hzlib.whatif.live import STATIC_NOTE

NOTEBOOK = NOTEBOOK_DIR / "05_whatif.ipynb"
WIDGET_MIME = ("application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json")


def outputs(nb: nbformat.NotebookNode) -> list[dict[str, object]]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_parameters_are_those_of_the_other_notebooks_and_two_more() -> None:
    params = pm.inspect_notebook(str(NOTEBOOK))
    assert {k: v["inferred_type_name"] for k, v in params.items()} == {
        "plan": "str",
        "quarter": "str",
        "data_dir": "str",
        "allow_partial": "bool",
        "scenario": "str",
        "assume": "str",
    }
    assert params["scenario"]["default"] == '""' and params["assume"]["default"] == '""'
    shared = pm.inspect_notebook(str(NOTEBOOK_DIR / "02_evaluate.ipynb"))
    assert set(shared) <= set(params)


def test_not_run_by_hz_run_yet() -> None:
    assert NOTEBOOK.name not in NOTEBOOKS


def test_committed_without_widget_state_or_widget_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert "widgets" not in nb.metadata
    outs = outputs(nb)
    assert outs and not [o for o in outs if o.get("output_type") == "error"]
    assert not [o for o in outs if any(m in o.get("data", {}) for m in WIDGET_MIME)]  # type: ignore[operator]
    last = nb.cells[-1].outputs
    assert [o["data"]["text/markdown"] for o in last] == [STATIC_NOTE]
    assert all("execution" not in c.metadata and "papermill" not in c.metadata for c in nb.cells)


def test_papermill_with_a_scenario_and_an_assumption(tmp_path: Path) -> None:
    out = tmp_path / "whatif.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"scenario": "q3-slow", "assume": "Q3=6%,Q4=10%"}, kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK_DIR)
    )
    nb = nbformat.read(out, as_version=4)
    outs = outputs(nb)
    assert not [o for o in outs if any(m in o.get("data", {}) for m in WIDGET_MIME)]  # type: ignore[operator]
    text = "".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)  # type: ignore[attr-defined]
    assert "情景1（情景假设）：三季度投资放缓" in text and "情景2（情景假设）：增速假设 Q3=6%,Q4=10%" in text
    html = "".join(o.get("data", {}).get("text/html", "") for o in outs)  # type: ignore[attr-defined]
    assert "情景1全年预计" in html and "情景2全年预计" in html


def test_a_bad_assumption_stops_the_notebook_with_the_message(tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as exc:
        pm.execute_notebook(
            str(NOTEBOOK), str(tmp_path / "bad.ipynb"), parameters={"assume": "Q3=0.06,Q4=10"}, kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK_DIR)
        )
    assert "notebook 参数 assume [growth[0](fai).quarters.Q3]" in str(exc.value) and "像是小数写法" in str(exc.value)
