"""Running many reports fast: one warm kernel and PDF engine per worker, all cores, a Dask
cluster when one machine is not enough, and nothing rendered twice for the same inputs.

- :mod:`.keys`: a report's key over everything it depends on (notebooks, parameters, the
  content of every input file, hzlib's code, the rendering settings); a report whose key
  matches the one recorded with its output is not rendered again.
- :mod:`.kernel`: one kernel kept for many notebooks (:class:`WarmKernel`).
- :mod:`.worker`: what renders reports in one process (:class:`Worker`: its kernel, its PDF engine).
- :mod:`.pool`: how reports are spread: in this process, over processes (``--jobs``), or
  over a Dask cluster (``--scheduler``); with a progress display.
- :mod:`.result`: what rendering one report gave (:class:`RunResult`).

Workers, kernels and PDF helpers end with their parent, even one killed with ``kill -9``
(:mod:`hzlib.lifeline`). Nothing here imports :mod:`hzlib.run`, which renders a report with
these parts and sits above them: :func:`.pool.run_jobs` is handed the function that renders one.
"""
