"""What the office really types, and what really goes wrong around the files: every mistake is one
Chinese line (exit code 2 for ``hz``, 1 for papermill and nbconvert), never a usage dump or a traceback.

- argparse's own errors (unknown option, missing option, ``--jobs two``, unknown command);
- an ``--output`` that is a folder, in a missing folder, not writable, or on a full disk;
- ``--output`` with csv/json/table writes the file (it used to print to the screen);
- ``hz check`` on a folder checks the plan files in it;
- papermill with a misspelt or mistyped parameter; nbconvert on a file that is not a notebook.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from hzlib.cli import main
from hzlib.cli._common import args_message
from hzlib.fileerrors import os_error_message
from hzlib.papermill_plugin import parameter_problems

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
GOOD_PLAN = ROOT / "tests" / "plan_corpus" / "good.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def one_error_line(err: str) -> str:
    """The only line of ``err``, which must be a Chinese error line with no traceback or usage dump."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("错误 / error: ") and "Traceback" not in err and "usage:" not in err, err
    return lines[0]


# ---- 1. argparse's errors in Chinese ------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "words"),
    [
        ([], "请写出要执行的命令，如 hz check、hz evaluate、hz run（用法见 hz --help）"),
        (["evaluate"], "缺少必需的参数：PLAN（用法见 hz evaluate --help）"),
        (["import", "进度表.xlsx"], "缺少必需的参数：--plan（用法见 hz import --help）"),
        (["run", "zhenba-2024", "--jobs", "two"], "--jobs 应为整数，实际为 'two'（用法见 hz run --help）"),
        (["evaluat", "zhenba-2024"], "没有命令 'evaluat'，可用的命令：check、targets、"),
        (["evaluat", "zhenba-2024"], "；是否想写 evaluate？（用法见 hz --help）"),
        (["evaluate", "zhenba-2024", "--format", "cvs"], "--format 不能取 'cvs'，可选：table、csv、json、xlsx；是否想写 csv？"),
        (["evaluate", "zhenba-2024", "--quarter"], "--quarter 后面需要写一个值（用法见 hz evaluate --help）"),
        (["evaluate", "zhenba-2024", "--bogus", "1"], "无法识别的参数：--bogus 1（用法见 hz evaluate --help）"),
    ],
)
def test_argparse_errors_are_one_chinese_line(capsys: pytest.CaptureFixture[str], argv: list[str], words: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert words in one_error_line(err)


def test_argparse_wordings_of_newer_pythons() -> None:
    # Python 3.12.8+ lists choices without quotes
    assert (
        args_message("argument --format: invalid choice: 'cvs' (choose from table, csv, json)")
        == "--format 不能取 'cvs'，可选：table、csv、json；是否想写 csv？"
    )
    assert args_message("argument -q/--quarter: expected one argument") == "--quarter 后面需要写一个值"
    assert args_message("ambiguous option: --fo could match --format, --force") == "选项 --fo 有歧义，可能是 --format、--force"
    assert args_message("something argparse says one day") == "something argparse says one day"


def test_help_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["evaluate", "--help"])
    assert e.value.code == 0 and "--output" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["run", "--quarter", "2024Q5"], "请给出计划 id 或 --all"),
        (["run", "zhenba-2024", "--quarter", "2024Q5"], "无法识别的期别 '2024Q5'"),
        (["targets", "zhenba-2024", "--quarter", "x"], "无法识别的期别 'x'"),
    ],
)
def test_bad_values_are_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], words: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and words in one_error_line(err)


def test_an_unknown_plan_is_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "evaluate", "nosuchplan")
    assert code == 2 and "Traceback" not in err
    assert "params/plans/nosuchplan.yaml：找不到计划文件" in err


# ---- 2. output files that cannot be written ----------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["evaluate", "zhenba-2024", "--quarter", "2024Q2", "--format", "xlsx", "--output", "{dir}"],
        ["evaluate", "zhenba-2024", "--quarter", "2024Q2", "--format", "csv", "--output", "{dir}"],
        ["whatif", "zhenba-2024", "--quarter", "2024Q2", "--format", "xlsx", "--output", "{dir}"],
        ["targets", "zhenba-2024", "--quarter", "2024Q2", "--output", "{dir}"],
        ["indicators", "--format", "json", "--output", "{dir}"],
    ],
)
def test_an_output_that_is_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]) -> None:
    code, _, err = run(capsys, *[a.format(dir=tmp_path) for a in argv])
    line = one_error_line(err)
    assert code == 2
    assert f"--output {tmp_path} 是文件夹，不是文件：请写文件名" in line
    suffix = argv[argv.index("--format") + 1] if "--format" in argv else "txt"
    assert line.endswith(f"结果.{suffix}")
    assert list(tmp_path.iterdir()) == []


def test_an_output_in_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "没有的文件夹" / "e.csv"
    code, _, err = run(capsys, "evaluate", "zhenba-2024", "--format", "csv", "--output", str(target))
    assert code == 2
    assert f"文件夹 {target.parent} 不存在" in one_error_line(err)


def test_an_output_without_write_permission(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hzlib.cli._common as common

    target = tmp_path / "targets.csv"
    monkeypatch.setattr(common.os, "access", lambda path, mode: Path(path) != tmp_path)  # root may write anywhere
    code, _, err = run(capsys, "targets", "zhenba-2024", "--quarter", "2024Q2", "--format", "csv", "--output", str(target))
    assert code == 2
    assert f"--output {target}：没有写权限" in one_error_line(err)
    assert not target.exists()


def test_a_full_disk_names_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hzlib.atomicfile as atomic

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "indicators.csv"
    target.write_text("上次的结果\n", encoding="utf-8")
    monkeypatch.setattr(atomic.os, "fsync", full)
    code, _, err = run(capsys, "indicators", "--format", "csv", "--output", str(target))
    assert code == 2
    assert f"--output {target}：无法写入，磁盘已满" in one_error_line(err)
    assert target.read_text(encoding="utf-8") == "上次的结果\n" and [p.name for p in tmp_path.iterdir()] == ["indicators.csv"]


def test_any_file_error_of_any_command_is_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import hzlib.cli.plans as plans

    def replace_fails(args: object) -> int:  # what an atomic write into a folder raises: os.replace(tmp, target)
        raise IsADirectoryError(errno.EISDIR, "Is a directory", ".评分.xlsx.123.tmp", None, "评分.xlsx")

    monkeypatch.setattr(plans, "cmd_indicators", replace_fails)
    code, _, err = run(capsys, "indicators")
    assert code == 2
    assert one_error_line(err) == "错误 / error: 评分.xlsx：是文件夹，不是文件 / is a folder"
    assert os_error_message(PermissionError(errno.EACCES, "Permission denied", "通报/x.xlsx")) == "通报/x.xlsx：没有权限 / permission denied"
    assert os_error_message(OSError(errno.ENOSPC, "No space left on device")) == "读写文件失败：磁盘已满 / disk full"


# ---- 3. --output writes the file for every format ----------------------------------------
@pytest.mark.parametrize(
    ("argv", "fmt"),
    [
        (["evaluate", "ankang-2019", "--quarter", "2019Q2"], "csv"),
        (["evaluate", "ankang-2019", "--quarter", "2019Q2"], "json"),
        (["evaluate", "ankang-2019", "--quarter", "2019Q2"], "table"),
        (["targets", "zhenba-2024", "--quarter", "2024Q2"], "csv"),
        (["targets", "zhenba-2024", "--quarter", "2024Q2"], "table"),
        (["indicators"], "json"),
        (["whatif", "zhenba-2024", "--quarter", "2024Q2", "--assume", "Q3=6%,Q4=10%"], "csv"),
    ],
)
def test_output_is_written_not_printed(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], fmt: str) -> None:
    code, screen, _ = run(capsys, *argv, "--format", fmt)
    assert code == 0 and screen
    target = tmp_path / f"结果.{fmt}"
    code, out, err = run(capsys, *argv, "--format", fmt, "--output", str(target))
    assert code == 0 and err == ""
    assert out == f"已写入 {target}\n"
    data = target.read_bytes()
    bom = "\ufeff" if fmt == "csv" else ""  # csv opens in Excel/WPS with its Chinese intact
    assert data.decode("utf-8") == bom + screen


# ---- 4. hz check on a folder -------------------------------------------------------------
def test_check_a_folder_checks_its_plan_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    shutil.copy(GOOD_PLAN, tmp_path / "good.yaml")
    (tmp_path / "mapping.yaml").write_text("columns:\n  项目名称: name\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{tmp_path} 是文件夹，检查其中的 1 个计划文件：good.yaml（另有 1 个 .yaml 不是计划文件：mapping.yaml）"
    assert lines[1].startswith("✓ good.yaml：测试计划（2024年），1 个目标")


def test_check_a_folder_without_plans(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    shutil.copy(GOOD_PLAN, tmp_path / "plans" / "good.yaml")
    code, out, err = run(capsys, "check", str(tmp_path))
    assert code == 2 and out == "" and "Traceback" not in err
    assert (
        err.strip() == f"✗ {tmp_path} 是文件夹，其中没有计划文件；子文件夹 {(tmp_path / 'plans').as_posix()} 中有计划文件："
        f"hz check {(tmp_path / 'plans').as_posix()}"
    )
    code, _, err = run(capsys, "check", str(tmp_path / "plans"), str(tmp_path))
    assert code == 2 and "✗" in err  # the good plan is checked, the empty folder still fails the command


# ---- 5. papermill parameters -------------------------------------------------------------
DECLARED = {
    name: {"inferred_type_name": kind}
    for name, kind in (("plan", "str"), ("quarter", "str"), ("data_dir", "str"), ("allow_partial", "bool"), ("scenario", "str"))
}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"quartr": "2024Q3"}, "未知参数 quartr：本 notebook 的参数为 plan、quarter、data_dir、allow_partial、scenario；是否想写 quarter？"),
        ({"plann": "x", "zzz": 1}, "未知参数 plann：本 notebook 的参数为 plan、quarter、data_dir、allow_partial、scenario；是否想写 plan？"),
        ({"quarter": 2}, "参数 quarter 应为 str，实际为 int：2；quarter 应写期别，如 2024Q2（papermill 的 -p 把数字读成数值，写文字请用 -r quarter 2）"),
        ({"allow_partial": "yes"}, "参数 allow_partial 应为 bool，实际为 str：'yes'；allow_partial 应写 True 或 False"),
        ({"plan": ["x"]}, "参数 plan 应为 str，实际为 list：['x']；plan 应写计划 id，如 zhenba-2024"),
    ],
)
def test_parameter_problems(given: dict[str, object], message: str) -> None:
    assert parameter_problems(DECLARED, given)[0] == message


def test_good_parameters_have_no_problem() -> None:
    assert parameter_problems(DECLARED, {"plan": "zhenba-2024", "quarter": "2024Q2", "allow_partial": True, "data_dir": ""}) == []
    assert parameter_problems(DECLARED, {"zzz": 1}) == ["未知参数 zzz：本 notebook 的参数为 plan、quarter、data_dir、allow_partial、scenario"]


def _parameterized(tmp_path: Path, code: str, tags: list[str], given: dict[str, object]) -> tuple[object, str]:
    """A notebook file with one code cell, and its node as papermill hands it to the engine."""
    cell = new_code_cell(code)
    cell.metadata["tags"] = tags
    nb = new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    nb.metadata["papermill"] = {"parameters": given}
    return nb, str(path)


def test_the_engine_checks_hzlib_notebooks_only(tmp_path: Path) -> None:
    from hzlib.errors import UsageError
    from hzlib.papermill_plugin import check_parameters

    hz_code = 'plan = "zhenba-2024"  # from hzlib.report import open_report\nquarter = "2024Q2"'
    with pytest.raises(UsageError, match=r"^未知参数 quartr：本 notebook 的参数为 plan、quarter；是否想写 quarter？$"):
        check_parameters(*_parameterized(tmp_path, hz_code, ["parameters"], {"quartr": "2024Q3"}))
    check_parameters(*_parameterized(tmp_path, hz_code, ["parameters"], {"quarter": "2024Q3"}))
    check_parameters(*_parameterized(tmp_path, hz_code, [], {"quartr": "2024Q3"}))  # no parameters cell: papermill's way
    check_parameters(*_parameterized(tmp_path, "x = 1", ["parameters"], {"y": 2.5}))  # not an hzlib notebook


needs_venv = pytest.mark.skipif(not (VENV_BIN / "papermill").exists(), reason="needs papermill next to this Python")


@needs_venv
@pytest.mark.parametrize("engine", [[], ["--engine", "hz"]])
def test_papermill_with_a_misspelt_parameter_stops(tmp_path: Path, engine: list[str]) -> None:
    out = tmp_path / "out.ipynb"
    done = subprocess.run(
        [str(VENV_BIN / "papermill"), "notebooks/02_evaluate.ipynb", str(out), "-p", "quartr", "2024Q3", "-p", "quarter", "2", *engine, "--no-progress-bar"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and 'File "' not in done.stderr, done.stderr
    last = [line for line in done.stderr.splitlines() if line.strip()][-1]
    assert last == (
        "错误 / error: 未知参数 quartr：本 notebook 的参数为 plan、quarter、data_dir、allow_partial、scenario；是否想写 quarter？；"
        "参数 quarter 应为 str，实际为 int：2；quarter 应写期别，如 2024Q2（papermill 的 -p 把数字读成数值，写文字请用 -r quarter 2）"
    )
    assert not out.exists()  # stopped before the kernel started
    # papermill's own warning for the unknown name reads Chinese first too
    assert "未知参数 quartr：notebook 的参数单元格中没有它 / Passed unknown parameter: quartr" in done.stderr.splitlines()


# ---- 6. nbconvert --to hzpdf -------------------------------------------------------------
@needs_venv
def test_nbconvert_on_a_file_that_is_not_a_notebook(tmp_path: Path) -> None:
    src = tmp_path / "台账.ipynb"
    src.write_text("项目名称,完成投资\n甲,1\n", encoding="utf-8")
    done = subprocess.run([str(VENV_BIN / "jupyter"), "nbconvert", "--to", "hzpdf", str(src)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    last = [line for line in done.stderr.splitlines() if line.strip()][-1]
    assert last == f"错误 / error: {src} 不是 notebook 文件（.ipynb 应为 JSON 文本） / not a notebook"
    assert not (tmp_path / "台账.pdf").exists()


class _FakeRenderer:
    """Writes a stand-in PDF, so that the test needs no PDF engine."""

    def render(self, html_path: Path, pdf_path: Path) -> Path:
        Path(pdf_path).write_bytes(b"%PDF-stand-in")
        return Path(pdf_path)

    def close(self) -> None:
        pass


def _exported(nb: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[bytes, str]:
    from hzlib.render.exporter import BulletinPDFExporter

    src = tmp_path / "周报.ipynb"
    nbformat.write(nb, src)
    exporter = BulletinPDFExporter()
    exporter._pdf_renderer = _FakeRenderer()
    data, _ = exporter.from_filename(str(src))
    return data, capsys.readouterr().err


def test_a_never_executed_notebook_is_converted_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nb = new_notebook(cells=[new_markdown_cell("# 通报"), new_code_cell("print(1)")])
    data, err = _exported(nb, tmp_path, capsys)
    assert data == b"%PDF-stand-in"
    assert err == "警告 / warning: 周报.ipynb：该 notebook 尚未执行，没有输出：请先用 papermill 或 hz run 执行\n"
    nb.cells[1].execution_count = 1
    assert _exported(nb, tmp_path, capsys)[1] == ""


def test_exporter_names_the_file_that_is_not_a_notebook(tmp_path: Path) -> None:
    from hzlib.errors import UsageError
    from hzlib.render.exporter import BulletinPDFExporter

    src = tmp_path / "a.ipynb"
    src.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(UsageError, match=r"a\.ipynb 不是 notebook 文件（\.ipynb），无法按 UTF-8 读取"):
        BulletinPDFExporter().from_filename(str(src))
    src.write_text('{"cells": 3}', encoding="utf-8")
    with pytest.raises(UsageError, match=r"a\.ipynb 不是有效的 notebook"):
        BulletinPDFExporter().from_filename(str(src))
    with pytest.raises(UsageError, match="是文件夹，不是 notebook 文件"):
        BulletinPDFExporter().from_filename(str(tmp_path))
