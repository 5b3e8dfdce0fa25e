"""A bug in hzlib while a report renders: one line for the statistician, the traceback kept in
the report's ``.failed`` folder for whoever fixes it (docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from hzlib import run


def _prepared() -> Any:
    model = SimpleNamespace(extra={}, monthly=None)
    return SimpleNamespace(plan_id="ankang-2019", quarter="2019Q2", model=model)


def _run_html(out_dir: Path) -> run.RunResult:
    """One plan's HTML report for 2019Q2 into ``out_dir`` (no data folder, no scenario, no PDF)."""
    return run._run_plan(
        _prepared(),
        out_dir=out_dir,
        formats=("html",),
        data_dir=None,
        allow_partial=False,
        progress=None,
        pdf=None,
        worker=SimpleNamespace(),
        scenario=None,
        key=None,
    )


def _a_bug_in_hzlib(r: Any) -> None:
    raise KeyError("no such column")


def test_a_bug_is_one_line_and_its_traceback_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "_hand_model", _a_bug_in_hzlib)
    out = tmp_path / "reports"
    r = _run_html(out)
    assert not r.ok and not r.input_error
    assert r.errors == [
        "程序错误 / internal error：KeyError: 'no such column'（详细信息已保存在 reports/ankang-2019/2019Q2.failed/error.txt，报告问题时请附上此文件）"
    ]
    assert "\n" not in r.errors[0]
    kept = (out / "ankang-2019" / "2019Q2.failed" / "error.txt").read_text(encoding="utf-8")
    assert kept.startswith("Traceback (most recent call last):")
    assert "_a_bug_in_hzlib" in kept and kept.rstrip().endswith("KeyError: 'no such column'")
    assert sorted(p.name for p in (out / "ankang-2019").iterdir()) == ["2019Q2.failed"]  # no report, no staging folder


def test_the_next_run_removes_the_kept_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``.failed`` folder is the last run's: a run that fails otherwise does not keep an older error.txt."""
    failed = tmp_path / "ankang-2019" / "2019Q2.failed"
    failed.mkdir(parents=True)
    (failed / "error.txt").write_text("an older bug", encoding="utf-8")

    def input_error(r: Any) -> None:
        raise run.UsageError("数据有误")

    monkeypatch.setattr(run, "_hand_model", input_error)
    r = _run_html(tmp_path)
    assert r.errors == ["数据有误"] and not failed.exists()


def test_an_unwritable_failed_folder_leaves_the_message_alone(tmp_path: Path) -> None:
    (tmp_path / "ankang-2019").write_text("a file where the plan's folder goes", encoding="utf-8")
    message = run._internal_error(ValueError("bad"), tmp_path / "ankang-2019" / "2019Q2.failed", tmp_path)
    assert message == "程序错误 / internal error：ValueError: bad"
