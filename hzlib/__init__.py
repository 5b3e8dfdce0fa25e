"""hzlib: quarterly tracking of local investment plans (高质量项目建设推进年).

The core arithmetic, with fractions throughout (0.08 is 8%):

>>> from hzlib import time_progress, milestone_count, required_growth, completion_vs_schedule
>>> time_progress("2019-06"), time_progress("2019Q2"), time_progress("2019H1"), time_progress("2019")
(0.5, 0.5, 0.5, 1.0)
>>> milestone_count(0.56, 13), milestone_count(0.8, 30)
(8, 24)
>>> f"{required_growth(0.08, [18, 30, 27, 25], 0.05, 1):.2%}"
'8.66%'
>>> c = completion_vs_schedule(239.2, 490.0882, "2019H1")
>>> f"{c.rate:.2%}", f"{c.time_progress:.0%}", round(c.gap_pp, 2), c.status.value
('48.81%', '50%', -1.19, 'near')
"""

from .arithmetic import (
    ScheduleCheck,
    Status,
    completion_vs_schedule,
    cumulative_growth,
    milestone_count,
    required_growth,
)
from .periods import Period, time_progress

__version__ = "0.1.0"

__all__ = [
    "Period",
    "ScheduleCheck",
    "Status",
    "completion_vs_schedule",
    "cumulative_growth",
    "milestone_count",
    "required_growth",
    "time_progress",
    "__version__",
]
