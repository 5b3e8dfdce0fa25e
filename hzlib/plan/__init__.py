"""Plans as data: schema, loading with precise errors, and consistency checks."""

from .check import check_plan
from .loader import list_plan_ids, load_all_plans, load_plan, plan_path, read_plan_file
from .schema import Comparator, Level, Measure, Phasing, Plan, Target

__all__ = [
    "Comparator",
    "Level",
    "Measure",
    "Phasing",
    "Plan",
    "Target",
    "check_plan",
    "list_plan_ids",
    "load_all_plans",
    "load_plan",
    "plan_path",
    "read_plan_file",
]
