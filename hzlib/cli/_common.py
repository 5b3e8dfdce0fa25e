"""What every ``hz`` subcommand shares: exit codes, how problems are printed, the options
several subcommands take (one help text each), and the period they name."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TextIO

from ..atomicfile import atomic_write_bytes
from ..errors import Problem, UsageError
from ..fileerrors import os_error_message, os_reason
from ..periods import Period

__all__ = [
    "EXIT_OK",
    "EXIT_FAIL",
    "EXIT_INPUT",
    "print_problems",
    "QUARTER_HELP",
    "SHARED_HELP",
    "add_quarter",
    "add_data",
    "add_allow_partial",
    "add_project",
    "PROJECT_HELP",
    "quarter_label",
    "fill_help",
    "ArgsError",
    "HzArgumentParser",
    "args_message",
    "os_reason",
    "os_error_message",
    "check_output",
    "output_errors",
    "emit",
    "output_suffix",
]

#: 0 success; 1 a report failed; 2 bad input or usage.
EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2

QUARTER_HELP = "期别：2024Q2、2024年二季度、2024年上半年、2024年1-6月、2024-06 等写法都可以（与数据文件的期别写法相同）"

#: Help of options that several subcommands take, by destination; also fills in an option
#: registered elsewhere without help (see :func:`fill_help`).
SHARED_HELP = {
    "quarter": QUARTER_HELP + "；latest 为数据覆盖的最新季度",
    "data": "数据目录（默认 data/<计划 id>/）",
    "allow_partial": "数据不到所请求季度末时，按数据截止月评价（每页注明“数据截至…”）",
    "format": "输出格式",
    "plan": "计划 id（params/plans/ 下的文件名，不含 .yaml）",
    "help": "显示本帮助并退出 / show this help and exit",
}


def print_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    """One line per problem, indented, to ``stream`` (stderr by default)."""
    out = stream or sys.stderr
    for p in problems:
        print(f"  - {p}", file=out)


def add_quarter(p: argparse.ArgumentParser, *, default: str | None = "latest", required: bool = False) -> None:
    """``--quarter``: any period form the data files accept (see :meth:`hzlib.periods.Period.parse`)."""
    text = SHARED_HELP["quarter"] + ("（默认 latest）" if default == "latest" else "")
    if required:
        p.add_argument("--quarter", required=True, help=QUARTER_HELP)
    else:
        p.add_argument("--quarter", default=default, help=text)


def add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="DIR", help=SHARED_HELP["data"])


PROJECT_HELP = "项目文件夹（默认从当前文件夹向上查找 hzproject.toml，或环境变量 HZ_PROJECT；hz init 新建项目）"


def add_project(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--project DIR``: the project to work in; on a subcommand it does not override one given before it."""
    p.add_argument("--project", metavar="DIR", help=PROJECT_HELP, default=None if top else argparse.SUPPRESS)


def add_allow_partial(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-partial", action="store_true", help=SHARED_HELP["allow_partial"])


def quarter_label(text: str) -> str:
    """``--quarter`` as the quarter label used in folder names (``2024Q2``), or ``latest``.

    >>> quarter_label("2024年上半年"), quarter_label("2024-06"), quarter_label(" Latest ")
    ('2024Q2', '2024Q2', 'latest')
    """
    if text.strip().lower() == "latest":
        return "latest"
    return Period.parse(text).to_quarter().label()


def fill_help(parser: argparse.ArgumentParser) -> None:
    """Chinese headings and ``-h`` help for ``parser`` and its subcommands; options registered
    without help get the shared text of their destination (with their choices and default)."""
    parser._positionals.title = "参数 / arguments"
    parser._optionals.title = "选项 / options"
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                fill_help(sub)
            continue
        if isinstance(action, argparse._HelpAction):
            action.help = SHARED_HELP["help"]
            continue
        if action.help is not None:
            continue
        text = SHARED_HELP.get(action.dest, "")
        if action.choices:
            text += "：" + "、".join(map(str, action.choices))
        if action.default not in (None, False, argparse.SUPPRESS):
            text += f"（默认 {action.default}）"
        action.help = text or None


# ---- argparse's errors in Chinese ---------------------------------------------------------
class ArgsError(UsageError):
    """A command line argparse could not read; ``prog`` is the (sub)command it belongs to."""

    def __init__(self, message: str, prog: str) -> None:
        self.prog = prog
        super().__init__(f"{message}（用法见 {prog} --help）")


class HzArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors are one Chinese line (an :class:`ArgsError`), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise ArgsError(args_message(message), self.prog)


def _choices(text: str) -> list[str]:
    """The choices argparse lists in ``(choose from 'a', 'b')`` (quoted or not)."""
    return [c.strip().strip("'\"") for c in text.split(",") if c.strip()]


def _invalid_choice(arg: str, value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    guess = f"；是否想写 {close[0]}？" if close else ""
    if arg == "COMMAND":
        return f"没有命令 '{value}'，可用的命令：{'、'.join(choices)}{guess}"
    return f"{arg} 不能取 '{value}'，可选：{'、'.join(choices)}{guess}"


#: argparse's messages (Python 3.11 to 3.13 wordings) → Chinese; ``{arg}`` is the option named.
_ARG_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"^invalid int value: '?(?P<v>.*?)'?$", "{arg} 应为整数，实际为 '{v}'"),
        (r"^invalid float value: '?(?P<v>.*?)'?$", "{arg} 应为数字，实际为 '{v}'"),
        (r"^expected one argument$", "{arg} 后面需要写一个值"),
        (r"^expected at least one argument$", "{arg} 后面至少需要写一个值"),
        (r"^expected at most one argument$", "{arg} 后面最多写一个值"),
        (r"^ignored explicit argument '(?P<v>.*)'$", "{arg} 不带值，却写了 '{v}'"),
        (r"^not allowed with argument (?P<v>.*)$", "{arg} 不能与 {v} 同时使用"),
        (r"^invalid (?P<v>\w+) value: '?(?P<w>.*?)'?$", "{arg} 的值 '{w}' 无效"),
    )
)


def args_message(message: str) -> str:
    """argparse's English error ``message`` in Chinese (unknown wordings are kept as they are).

    >>> args_message("argument --jobs: invalid int value: 'two'")
    "--jobs 应为整数，实际为 'two'"
    >>> args_message("the following arguments are required: PLAN, --plan")
    '缺少必需的参数：PLAN、--plan'
    >>> args_message("argument --format: invalid choice: 'cvs' (choose from 'table', 'csv', 'json')")
    "--format 不能取 'cvs'，可选：table、csv、json；是否想写 csv？"
    """
    if m := re.match(r"^unrecognized arguments: (.*)$", message):
        return f"无法识别的参数：{m[1]}"
    if m := re.match(r"^the following arguments are required: (.*)$", message):
        names = [n.strip() for n in m[1].split(",")]
        if names == ["COMMAND"]:
            return "请写出要执行的命令，如 hz check、hz evaluate、hz run"
        return f"缺少必需的参数：{'、'.join(names)}"
    if m := re.match(r"^ambiguous option: (\S+) could match (.*)$", message):
        return f"选项 {m[1]} 有歧义，可能是 {'、'.join(_choices(m[2]))}"
    arg, _, rest = message.partition(": ") if message.startswith("argument ") else ("", "", message)
    arg = arg.removeprefix("argument ").split("/")[-1]
    if m := re.match(r"^invalid choice: '?(?P<v>.*?)'? \(choose from (?P<c>.*)\)$", rest):
        return _invalid_choice(arg, m["v"], _choices(m["c"]))
    for pattern, zh in _ARG_MESSAGES:
        if m := pattern.match(rest):
            return zh.format(arg=arg, **m.groupdict())
    return message


# ---- output files ---------------------------------------------------------------------------
def check_output(path: str | Path, option: str = "--output", suffix: str = ".csv") -> Path:
    """``path`` if a file can be written there; else a :class:`UsageError` saying why (before any work is done);
    ``suffix``: of the file name the message suggests."""
    p = Path(path)
    folder = p.parent
    if p.is_dir():
        raise UsageError(f"{option} {p} 是文件夹，不是文件：请写文件名，如 {(p / ('结果' + suffix)).as_posix()}")
    if not folder.exists():
        raise UsageError(f"{option} {p}：文件夹 {folder} 不存在，请先建立或改写路径")
    if not folder.is_dir():
        raise UsageError(f"{option} {p}：{folder} 不是文件夹")
    if not os.access(folder, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise UsageError(f"{option} {p}：没有写权限 / permission denied")
    return p


@contextmanager
def output_errors(path: str | Path, option: str = "--output") -> Iterator[None]:
    """Turn an :class:`OSError` while writing ``path`` into a :class:`UsageError` naming it (e.g. 磁盘已满)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as e:
        raise UsageError(f"{option} {path}：无法写入，{os_reason(e)}") from e


def output_suffix(fmt: str) -> str:
    """The file name ending of output format ``fmt`` (``table`` is text)."""
    return ".txt" if fmt in ("table", "text") else f".{fmt}"


def emit(text: str, output: str | Path | None, *, bom: bool = False, option: str = "--output") -> None:
    """Print ``text``, or write it to ``output`` (UTF-8, with a BOM for csv that Excel/WPS open) and say so."""
    if not output:
        sys.stdout.write(text)
        return

    path = check_output(output, option, Path(output).suffix or ".txt")
    with output_errors(path, option):  # a full disk leaves the file as it was, not half written
        atomic_write_bytes(path, text.encode("utf-8-sig" if bom else "utf-8"))
    print(f"已写入 {path}")
