"""``hz rerun MANIFEST``: render a past report again from its ``manifest.json`` and say whether
every byte matched.

The report is rendered with the parameters and formats the manifest records into a fresh
folder (``--output DIR``: ``DIR/<计划>/<季度>/``; default ``reports/.rerun/<计划>/<季度>/``, beside
the reports and outside the index), then compared file by file with the report beside the
manifest: sha256 of every file; ``manifest.json`` without its run times (``run``). Before
anything is rendered, the inputs are hashed and compared with those the manifest records:
a changed, missing or new input is named, and the report is not rendered (exit code 1) unless
``--allow-changed-inputs`` is given. A different hzlib version or lock file is said, and the
report rendered anyway.

Exit code: 0 every byte matched; 1 a file differs (or the inputs changed, or rendering failed);
2 the manifest or the command line is wrong.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..paths import project
from ..safety import check_id
from ._common import EXIT_FAIL, EXIT_OK

if TYPE_CHECKING:
    from ..runner.keys import InputDigest

__all__ = ["register", "cmd_rerun", "input_changes", "compare_folders", "FileMatch", "default_output"]

#: The folder, inside the reports folder, that ``hz rerun`` renders into by default.
RERUN_FOLDER = ".rerun"


@dataclass(frozen=True)
class FileMatch:
    """One file of a report compared with its re-rendering."""

    name: str
    same: bool
    why: str = ""  # when not the same: how (absent on one side; which manifest fields differ)


def input_changes(recorded: dict[str, Any], digest: InputDigest) -> list[str]:
    """How the inputs ``digest`` (hashed now) differ from those a manifest ``recorded``
    (its ``inputs``: role → {file, sha256}), one Chinese line each; empty when none differ."""
    now = {role: (path.name, digest.sha256[role]) for role, path in digest.files.items()}
    now |= {f"notebooks/{nb}": (nb, sha) for nb, sha in digest.notebooks.items() if f"notebooks/{nb}" in recorded}
    out = []
    for role in sorted(set(recorded) | set(now)):
        old = recorded.get(role)
        if old is None:
            out.append(f"{role}（{now[role][0]}）：manifest 中没有记录，是新增的输入文件")
        elif role not in now:
            out.append(f"{role}（{old.get('file', '')}）：文件已不存在")
        elif old.get("sha256") != now[role][1]:
            out.append(f"{role}（{now[role][0]}）：内容已变化")
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def compare_folders(original: Path, again: Path) -> list[FileMatch]:
    """Every file of the report folder ``original`` and of its re-rendering ``again``, compared:
    the same sha256 (``manifest.json``: the same content without its run times)."""
    from ..manifest import comparable  # lazy: hzlib.manifest costs 4 ms at hz --help

    out = []
    for name in sorted(_files(original) | _files(again)):
        a, b = original / name, again / name
        if not a.is_file():
            out.append(FileMatch(name, False, "原通报中没有此文件"))
        elif not b.is_file():
            out.append(FileMatch(name, False, "重新生成的通报中没有此文件"))
        elif name == "manifest.json":
            try:
                ma = comparable(json.loads(a.read_text(encoding="utf-8")))
                mb = comparable(json.loads(b.read_text(encoding="utf-8")))
            except ValueError:
                out.append(FileMatch(name, False, "不是有效的 JSON"))
                continue
            fields = [k for k in sorted(set(ma) | set(mb)) if ma.get(k) != mb.get(k)]
            why = f"字段 {'、'.join(fields)} 不同" if fields else ""
            if "key" in fields:
                why += "（key 不同：hzlib 的代码、notebook 或输出设置与原通报生成时不同）"
            out.append(FileMatch(name, not fields, why))
        else:
            out.append(FileMatch(name, _sha256(a) == _sha256(b)))
    return out


def default_output(report_folder: Path, plan: str) -> Path:
    """Where ``hz rerun`` renders by default: ``<reports>/.rerun`` for a report in the usual layout
    (``<reports>/<计划>/<季度>/``), else a folder ``<季度>.rerun`` beside the report's.

    >>> default_output(Path("reports/zhenba-2024/2024Q2"), "zhenba-2024").as_posix()
    'reports/.rerun'
    >>> default_output(Path("copy/2024Q2"), "zhenba-2024").as_posix()
    'copy/2024Q2.rerun'
    """
    if report_folder.parent.name == plan:
        return report_folder.parent.parent / RERUN_FOLDER
    return report_folder.with_name(report_folder.name + ".rerun")


def _manifest_path(text: str) -> Path:
    path = Path(text)
    if path.is_dir():
        path = path / "manifest.json"
    if not path.is_file():
        raise UsageError(f"找不到 {path}：请写一个通报文件夹中的 manifest.json，如 reports/zhenba-2024/2024Q2/manifest.json")
    return path


def _software_notes(m: dict[str, Any]) -> list[str]:
    """What differs between the software the manifest records and this one (said, not refused)."""
    from ..manifest import software  # lazy: hzlib.manifest costs 4 ms at hz --help

    now = software(project().root)
    notes = []
    if m.get("hzlib_version") and m["hzlib_version"] != now.hzlib:
        notes.append(f"manifest 记录的 hzlib 版本为 {m['hzlib_version']}，当前为 {now.hzlib}")
    lock = (m.get("lock") or {}).get("sha256") if isinstance(m.get("lock"), dict) else None
    if "lock" in m and lock != now.lock_sha256:
        notes.append("当前环境的 requirements.lock 与 manifest 记录的不同（软件包版本可能不同）")
    if "hzlib_version" not in m:
        notes.append("manifest 由较早的 hzlib 写成，没有记录 hzlib 版本和锁定文件")
    return notes


def cmd_rerun(args: argparse.Namespace) -> int:
    from ..manifest import read_manifest  # lazy: hzlib.manifest costs 4 ms at hz --help
    from ..plan import list_plan_ids  # lazy: hzlib.plan costs 24 ms at hz --help
    from ..run import Interrupted, interrupts_as_exceptions, prepare_report, run_plan  # lazy: hzlib.run costs 138 ms at hz --help
    from ..runner.keys import Job, digest_inputs, job_key  # lazy: hzlib.runner.keys costs 4 ms at hz --help
    from ..runner.worker import Worker  # lazy: hzlib.runner.worker costs 5 ms at hz --help

    path = _manifest_path(args.manifest)
    m = read_manifest(path)
    params = m["parameters"]
    plan = check_id(str(params["plan"]), "plan")
    if plan not in list_plan_ids():
        raise UsageError(f"{path}：本项目没有计划 {plan!r}（可用：{'、'.join(list_plan_ids())}）")
    data_dir = str(params.get("data_dir") or "") or None
    scenario = str(params.get("scenario") or "") or None
    allow_partial = bool(params.get("allow_partial", False))
    quarter = str(m.get("quarter_asked") or m["quarter"])
    formats = tuple(m["formats"])
    original = path.parent
    out_root = Path(args.output) if args.output else default_output(original, plan)
    if (out_root / plan).resolve() == original.parent.resolve():
        raise UsageError(f"--output {out_root}：会覆盖原通报 {original}，请另写一个目录")

    print(f"重新生成 {plan} {m['quarter']}（manifest：{path}）")
    digest = digest_inputs(plan, data_dir, scenario)
    changes = input_changes(m["inputs"], digest)
    if changes:
        print("输入与 manifest 记录的不同：")
        for line in changes:
            print(f"  - {line}")
        if not args.allow_changed_inputs:
            print("✗ 未重新生成：输入已变化，重新生成的通报不会与原通报逐字节相同（仍要生成请加 --allow-changed-inputs）")
            return EXIT_FAIL
    else:
        print(f"输入未变化：{len(m['inputs'])} 个文件的 sha256 与 manifest 记录的相同")
    for note in _software_notes(m):
        print(f"  - 提示：{note}")

    job = Job(plan, quarter, formats, data_dir, allow_partial, scenario)
    with interrupts_as_exceptions():
        try:
            prepared = prepare_report(plan, quarter, data_dir=data_dir, allow_partial=allow_partial, scenario=scenario, digest=digest)
            with Worker() as worker:
                result = run_plan(
                    plan,
                    quarter,
                    out_dir=out_root,
                    formats=formats,
                    data_dir=data_dir,
                    allow_partial=allow_partial,
                    scenario=scenario,
                    worker=worker,
                    key=job_key(job, digest),
                    prepared=prepared,
                )
        except Interrupted as e:
            from ..kernels import stop_kernels  # lazy: hzlib.kernels costs 1 ms at hz --help, but only a run needs it

            stop_kernels()
            print(f"✗ {e.describe()}：重新生成未完成", file=sys.stderr)
            return e.exit_code
    for w in result.warnings:
        print(f"  - 警告：{w}")
    if not result.ok or result.folder is None:
        print("✗ 重新生成失败：", file=sys.stderr)
        for err in result.errors:
            print("  - " + err.replace("\n", "\n    "), file=sys.stderr)
        return EXIT_FAIL
    print(f"已生成到 {result.folder}")
    matches = compare_folders(original, result.folder)
    for f in matches:
        print(f"  {'✓ 相同' if f.same else '✗ 不同'}  {f.name}" + (f"：{f.why}" if f.why else ""))
    differ = [f for f in matches if not f.same]
    if differ:
        print(f"✗ {len(matches)} 个文件中 {len(differ)} 个与原通报不同（manifest.json 的运行时间 run 不参与比较）")
        return EXIT_FAIL
    print(f"✓ 全部 {len(matches)} 个文件与原通报逐字节相同（manifest.json 的运行时间 run 不参与比较）")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``rerun`` subcommand to the ``hz`` subparsers."""
    p = sub.add_parser("rerun", help="按 manifest.json 重新生成通报并逐字节比较 / re-render a report and compare bytes")
    p.add_argument("manifest", metavar="MANIFEST", help="通报的 manifest.json（或其所在文件夹），如 reports/zhenba-2024/2024Q2/manifest.json")
    p.add_argument("--output", metavar="DIR", help="输出目录，通报写入 DIR/<计划>/<季度>/（默认 reports/.rerun/，不进入索引）")
    p.add_argument("--allow-changed-inputs", action="store_true", help="输入文件与 manifest 记录的不同时仍然生成（默认列出不同的文件后不生成）")
    p.set_defaults(func=cmd_rerun)
