"""What a report notebook calls first: check its parameters, build the model, and make
errors a user can cause read as one Chinese line instead of a traceback.

Under IPython (a notebook, papermill, nbval), :func:`open_report` registers a handler
for :class:`hzlib.errors.HzError`: the cell still fails (papermill and ``hz run`` see
the error and stop), but what is shown is the message, e.g.
``UsageError: 没有计划 'nosuch'（可用：ankang-2019、…）``, not a stack of frames.
``hz run`` reports that line with the cell and the notebook kept under ``.failed/``; the
``papermill`` command prints it as its only error line (``错误 / error: …``, exit code 1)
through :mod:`hzlib.papermill_plugin`, instead of papermill's own stack.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import OrderedDict
from pathlib import Path

from ..errors import UsageError
from ..inputs import file_hash, input_files
from .load import LoadedReport, load_report
from .model import ReportModel
from .params import check_parameters, install_error_handler

__all__ = ["open_report", "check_parameters", "install_error_handler", "model_key", "build_model", "preload", "CACHE_SIZE"]

#: Report models kept in this process (a kernel that runs one notebook after another).
CACHE_SIZE = 8
_MODELS: OrderedDict[str, ReportModel] = OrderedDict()


def model_key(plan: str, quarter: str, data_dir: str = "", allow_partial: bool = False, scenario: str = "", file_hashes: dict[str, str] | None = None) -> str:
    """A key for the model of these parameters over the content of every file it reads
    (plan, data, scoring, scenario): the same key means the same model. ``file_hashes``: those
    files' sha256 by role, when already computed (see :func:`hzlib.runner.keys.digest_inputs`).

    >>> model_key("ankang-2019", "2019Q2") == model_key("ankang-2019", "2019Q2")
    True
    """
    if file_hashes is not None:
        doc = {"params": [plan, quarter, data_dir, allow_partial, scenario], "files": dict(sorted(file_hashes.items()))}
        return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    scenario_file = None
    if scenario:
        # lazy: hzlib.whatif costs 70 ms at import of this module (every notebook's first cell); only a scenario's report needs it
        from ..whatif.scenario import scenario_path

        scenario_file = scenario_path(plan, scenario)
    files = input_files(plan, data_dir or None, scenario=scenario_file)
    doc = {
        "params": [plan, quarter, data_dir, allow_partial, scenario],
        "files": {role: file_hash(path) for role, path in sorted(files.items()) if path.exists()},
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def build_model(
    plan: str, quarter: str, data_dir: str = "", allow_partial: bool = False, scenario: str = "", inputs: LoadedReport | None = None
) -> ReportModel:
    """The report model of these parameters (a what-if ``scenario``'s model when one is named);
    ``inputs``: the plan and data already read."""
    if scenario:
        # lazy: hzlib.whatif costs 70 ms at import of this module (every notebook's first cell); only a scenario's report needs it
        from ..whatif import scenario_models

        models = scenario_models(plan, quarter, [scenario], data_dir=data_dir or None, allow_partial=allow_partial, inputs=inputs)
        return next(iter(models.values()))
    return load_report(plan, quarter, data_dir or None, allow_partial=allow_partial, inputs=inputs)


def _remember(key: str, model: ReportModel) -> None:
    _MODELS[key] = model
    _MODELS.move_to_end(key)
    while len(_MODELS) > CACHE_SIZE:
        _MODELS.popitem(last=False)


def preload(path: str | Path, key: str) -> None:
    """Put a model ``hz run`` computed (pickled at ``path``) in this process's cache under ``key``,
    so the report's notebooks present that model instead of computing it again."""
    with Path(path).open("rb") as f:
        model = pickle.load(f)  # written by hz run itself, a moment ago
    if not isinstance(model, ReportModel):
        raise UsageError(f"{path} 不是报告模型")
    _remember(key, model)


def open_report(plan: str, quarter: str, data_dir: str = "", allow_partial: bool = False, scenario: str = "") -> ReportModel:
    """Check the parameters and return the report model of ``plan`` at ``quarter`` (of a what-if
    ``scenario`` when one is named): the one already built for the same inputs in this process,
    or a new one.

    ``hz run`` hashes a report's inputs once and preloads its model under that key; the files are
    hashed again here on purpose, once per notebook: the preloaded model is used only while its
    files still hash the same, so a file edited meanwhile gives a new model, never a stale one."""
    install_error_handler()
    check_parameters(plan, quarter, data_dir, allow_partial)
    if not isinstance(scenario, str):
        raise UsageError(f"参数 scenario 应为 str，实际为 {type(scenario).__name__}：{scenario!r}")
    key = model_key(plan, quarter, data_dir, allow_partial, scenario)
    if key in _MODELS:
        _MODELS.move_to_end(key)
        return _MODELS[key]
    model = build_model(plan, quarter, data_dir, allow_partial, scenario)
    _remember(key, model)
    return model
