"""Where the project keeps things: one place for every default folder.

The project root is the folder that holds ``hzlib/``, ``params/``, ``data/`` and
``notebooks/`` (an editable install, which ``make`` sets up). Every default path
of the library is computed here and nowhere else; commands take options to point
elsewhere (``--data``, ``--out``, ``--seeds``).

>>> (PLANS_DIR.parent.name, PLANS_DIR.name), DATA_DIR.name, NOTEBOOK_DIR.name
(('params', 'plans'), 'data', 'notebooks')
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ROOT",
    "PARAMS_DIR",
    "PLANS_DIR",
    "SAMPLES_DIR",
    "SCORING_DIR",
    "SCENARIOS_DIR",
    "DATA_DIR",
    "NOTEBOOK_DIR",
    "REPORTS_DIR",
    "seeds_dir",
]

#: The project folder.
ROOT = Path(__file__).resolve().parents[1]
#: Plans, scoring rules, scenarios and sample specs: data, not code.
PARAMS_DIR = ROOT / "params"
PLANS_DIR = PARAMS_DIR / "plans"
SAMPLES_DIR = PARAMS_DIR / "samples"
SCORING_DIR = PARAMS_DIR / "scoring"
SCENARIOS_DIR = PARAMS_DIR / "scenarios"
#: Input figures, one folder per plan (``data/<plan-id>/``).
DATA_DIR = ROOT / "data"
#: The papermill-parameterised notebooks.
NOTEBOOK_DIR = ROOT / "notebooks"
#: Rendered reports (not committed).
REPORTS_DIR = ROOT / "reports"


def seeds_dir() -> Path | None:
    """The plan documents' texts (``../shared/seeds`` beside the project), when present."""
    d = ROOT.parent / "shared" / "seeds"
    return d if d.is_dir() else None
