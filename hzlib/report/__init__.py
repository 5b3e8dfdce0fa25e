"""The report: one model computed once (:mod:`.model`), read at the edge (:mod:`.load`),
presented by views, figures and tables that never recompute a figure."""

from .load import load_inputs, load_report
from .model import ReportModel, build_report

__all__ = ["ReportModel", "build_report", "load_report", "load_inputs"]
