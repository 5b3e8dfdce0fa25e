"""``hz sample PLAN [--out DIR] [--clean]``: write a plan's bundled sample data (示意数据)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register", "cmd_sample"]


def cmd_sample(args: argparse.Namespace) -> int:
    """Generate and write the sample of one plan (or ``all``)."""
    from hzsample import SAMPLE_PLAN_IDS, write_sample  # lazy: hzsample costs 22 ms at hz --help

    plans = list(SAMPLE_PLAN_IDS) if args.plan == "all" else [args.plan]
    for plan in plans:
        folder = write_sample(plan, Path(args.out) if args.out else None, messy=not args.plain, clean=args.clean)
        files = sorted(p.name for p in folder.iterdir() if p.is_file())
        print(f"✓ {plan}：已写入 {folder.name}/（{', '.join(files)}）；示意数据，非真实统计")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sample`` subcommand to the ``hz`` subparsers."""
    p = sub.add_parser("sample", help="生成样例数据（示意数据）/ write a plan's sample data")
    p.add_argument("plan", metavar="PLAN", help="计划 id（params/samples/ 下有规格文件），或 all")
    p.add_argument("--out", metavar="DIR", help="输出目录（默认项目的 data/），数据写入 DIR/<plan-id>/")
    p.add_argument(
        "--clean", action="store_true", help="同时删除 DIR/<plan-id>/ 中样例没有的文件（被替换和删除的文件保存在 .history/，hz import --undo 可恢复）"
    )
    p.add_argument("--plain", action="store_true", help="不模拟真实导出格式（UTF-8、ISO 日期、无标题行和合计行）")
    p.set_defaults(func=cmd_sample)
