"""``hz init DIR [--from PLAN]``: make an office's own project; ``hz init --upgrade [DIR]``: refresh its notebooks."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError
from ..paths import Project, find_project, project

__all__ = ["register", "cmd_init"]


def _listed(names: list[str], limit: int = 8) -> str:
    shown = "、".join(names[:limit])
    return shown + (f" 等 {len(names)} 个" if len(names) > limit else "")


def cmd_init(args: argparse.Namespace) -> int:
    """Make or upgrade a project and say what was written."""
    from ..office import init_project, upgrade_project  # lazy: hzlib.office costs 8 ms at hz --help

    if args.upgrade:
        if args.from_plan:
            raise UsageError("--upgrade 与 --from 不能同时使用：--upgrade 只更新 notebook 等 hzlib 提供的文件")
        if args.dir:
            root = find_project(Path(args.dir))
            if root is None:
                raise UsageError(f"{args.dir} 不是 hz 项目（没有 hzproject.toml）：新建请用 hz init {args.dir}")
            proj = Project.at(root)
        else:
            proj = project()
        change = upgrade_project(proj)
        if not change.updated and not change.created:
            print(f"✓ {proj.root.name}：notebook 等文件已是最新（hzlib 当前版本），未作改动")
            return 0
        for rel in change.updated:
            print(f"已更新 {rel}" + (f"（{change.details[rel]}）" if rel in change.details else ""))
        if change.created:
            print(f"已新增 {_listed(change.created)}")
        for kept in change.kept:
            print(f"  被替换的旧版本保存在 {kept.relative_to(proj.root).as_posix()}/")
        print("计划、数据、评分规则、情景和 notebook 中所选的计划与季度未改动")
        return 0
    if not args.dir:
        raise UsageError("请写出项目文件夹，如 hz init 我的项目（或 hz init --upgrade 更新当前项目）")
    change = init_project(Path(args.dir), args.from_plan)
    print(f"✓ 已建立 hz 项目 {change.root}（{len(change.created)} 个文件）")
    plan = args.from_plan or "<计划 id>"
    if args.from_plan:
        print(f"  已复制内置计划 {args.from_plan}：计划文件、评分规则和情景（如有）、data/{args.from_plan}/")
    print(f"  下一步：cd {args.dir}，然后 hz check {plan}；hz run {plan} --quarter latest；pytest")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``init`` subcommand to the ``hz`` subparsers."""
    p = sub.add_parser("init", help="建立本单位的 hz 项目，或更新其 notebook / make or upgrade an office project")
    p.add_argument("dir", nargs="?", metavar="DIR", help="项目文件夹（新建时必需；--upgrade 时默认当前项目）")
    p.add_argument("--from", dest="from_plan", metavar="PLAN", help="复制一份内置计划作为起点（计划文件、评分规则、情景和数据），如 zhenba-2024")
    p.add_argument("--upgrade", action="store_true", help="更新项目中 hzlib 提供的 notebook 等文件，说明改了什么；被替换的文件保存在 .history/")
    p.set_defaults(func=cmd_init)
