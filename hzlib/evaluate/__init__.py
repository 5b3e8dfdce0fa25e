"""Evaluation: ledger measures at a period end, and every target against its checkpoint."""

from .engine import Evaluation, EvaluationData, evaluate

__all__ = ["Evaluation", "EvaluationData", "evaluate"]
