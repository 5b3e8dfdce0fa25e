"""Every ``hz`` subcommand and every option says what it is for, and ``--quarter`` reads the period
forms the data files use."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from hzlib.cli import build_parser, main
from hzlib.cli._common import quarter_label
from hzlib.periods import Period, PeriodError

#: The ways a statistician writes the second quarter (as the data files may).
Q2_FORMS = (
    "2024Q2",
    "2024q2",
    "2024-Q2",
    "2024年二季度",
    "2024年第二季度",
    "2024年上半年",
    "2024年1-6月",
    "2024年6月",
    "2024-06",
    "2024/6",
    "2024H1",
    "２０２４Ｑ２",
    " 2024年 二季度 ",
)


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_subcommand_has_help() -> None:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in action._choices_actions}
    assert set(helps) == set(subcommands())
    assert all(h and h.strip() for h in helps.values()), helps


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_option_has_help(name: str) -> None:
    for action in subcommands()[name]._actions:
        assert action.help and action.help.strip() and action.help != argparse.SUPPRESS, (name, action.option_strings or action.dest)


def test_help_is_in_chinese() -> None:
    text = subcommands()["run"].format_help()
    assert "显示本帮助并退出" in text and "选项" in text and "--quarter" in text


def test_check_takes_a_plan_id_or_a_path() -> None:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    summary = next(c.help for c in action._choices_actions if c.dest == "check")
    assert "计划 id" in summary and "路径" in summary
    assert "路径" in subcommands()["check"].format_help()


@pytest.mark.parametrize("text", Q2_FORMS)
def test_quarter_forms(text: str) -> None:
    assert Period.parse(text).end_month == 6 and Period.parse(text).year == 2024
    assert quarter_label(text) == "2024Q2"


def test_other_chinese_periods() -> None:
    assert [Period.parse(t).label() for t in ("2024年一季度", "2024年前三季度", "2024年全年", "2024年四季度", "2024年1-9月")] == [
        "2024Q1",
        "2024Q3",
        "2024",
        "2024Q4",
        "2024-09",
    ]


def test_a_month_inside_a_quarter_is_not_a_quarter() -> None:
    with pytest.raises(PeriodError, match="不是季度末"):
        quarter_label("2024-05")
    with pytest.raises(PeriodError, match=r"无法识别的期别.*2024年二季度"):
        Period.parse("2024年第五季度")


def test_ingest_reads_periods_with_the_same_parser() -> None:
    import pandas as pd

    from hzlib.ingest.parse import parse_period

    parsed, bad = parse_period(pd.Series(list(Q2_FORMS), dtype=object))
    assert not bad.any()
    assert {Period.parse(p).end_month for p in parsed} == {6}


def test_hz_accepts_the_chinese_forms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", "zhenba-2024", "--quarter", "2024年上半年", "--format", "csv"]) == 0
    by_form = capsys.readouterr().out
    assert main(["targets", "zhenba-2024", "--quarter", "2024Q2", "--format", "csv"]) == 0
    assert capsys.readouterr().out.replace("2024Q2", "2024H1") == by_form.replace("2024Q2", "2024H1")
    assert main(["evaluate", "zhenba-2024", "--quarter", "2024年1-6月", "--format", "json"]) == 0
    assert '"period": "2024-06"' in capsys.readouterr().out
    assert main(["run", "zhenba-2024", "--quarter", "2024-11"]) == 2  # a month is its monthly bulletin (月通报), when it has data
    assert "2024年11月没有数据" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["import", "{missing}", "--plan", "ankang-2019", "--dry-run"], ["validate-data", "{missing}"]])
def test_a_missing_file_is_one_chinese_line_not_a_traceback(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "没有这个文件.xlsx"
    code = main([a.format(missing=missing) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert "找不到文件" in err and "没有这个文件.xlsx" in err
    assert "Traceback" not in err
