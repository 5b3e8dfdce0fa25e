"""Moved to :mod:`hzlib.atomicfile`, the file helper of every layer; these names stay here for the
modules of ``hz run`` that still import them from this path."""

from __future__ import annotations

from ..atomicfile import (
    atomic_write_bytes,
    atomic_write_text,
    host_tag,
    owner,
    process_alive,
    remove_leftovers,
    staging_dir,
    write_failure,
    writing,
)

__all__ = ["atomic_write_bytes", "atomic_write_text", "staging_dir", "remove_leftovers", "process_alive", "write_failure", "writing",
           "host_tag", "owner"]
