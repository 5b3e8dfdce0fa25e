"""Moved to :mod:`hzlib.lifeline` (the PDF engine uses it too); these names stay here for the
modules of :mod:`hzlib.runner` that import them from this path."""

from __future__ import annotations

from ..lifeline import CHECK_INTERVAL, die_with_parent, preexec_die_with_parent, watch_parent

__all__ = ["die_with_parent", "watch_parent", "preexec_die_with_parent", "CHECK_INTERVAL"]
