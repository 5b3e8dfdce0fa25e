"""The sample-data generator (示意数据) for the bundled plans and the benchmarks.

Not part of the runtime library: ``hzlib`` never imports it. ``hz sample PLAN``
and the benchmarks use it to write deterministic illustrative data.
"""

from .generate import (
    SAMPLE_PLAN_IDS,
    SYNTHETIC_SOURCE,
    SampleData,
    SampleSpec,
    generate_indicators,
    generate_ledger,
    generate_ledger_frame,
    generate_progress,
    generate_sample,
    plan_indicators,
    samples_dir,
    to_file_frame,
    write_sample,
)

__all__ = [
    "SAMPLE_PLAN_IDS",
    "SYNTHETIC_SOURCE",
    "SampleData",
    "SampleSpec",
    "generate_indicators",
    "generate_ledger",
    "generate_ledger_frame",
    "generate_progress",
    "generate_sample",
    "plan_indicators",
    "samples_dir",
    "to_file_frame",
    "write_sample",
]
