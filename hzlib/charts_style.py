"""One matplotlib style for every chart of the bulletin, with Chinese glyphs.

:func:`chart_style` finds a CJK font (registering system fonts that
matplotlib's cache has not seen yet) and draws in a clean, deterministic style
inside a context, without touching matplotlib's global settings; :func:`savefig` writes PNG/SVG without version or date
metadata, so the same figure always gives the same bytes.

>>> STATUS_COLORS["met"], status_color("missed")
('#2e7d32', '#c62828')
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .arithmetic import Status

__all__ = [
    "CJK_FONT_FAMILIES",
    "chart_rc",
    "chart_style",
    "FontNotFoundError",
    "PALETTE",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "find_cjk_font",
    "savefig",
    "setup_matplotlib",
    "status_color",
]

#: Preferred CJK families, best first.
CJK_FONT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Sans",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)

#: Status colours (keys are ``hzlib.arithmetic.Status`` values).
STATUS_COLORS: dict[str, str] = {
    "met": "#2e7d32",  # 达标 green
    "near": "#f9a825",  # 基本达标 amber
    "missed": "#c62828",  # 未达标 red
    "pending": "#9e9e9e",  # 未到期 grey
    "no_data": "#bdbdbd",  # 无数据 light grey
    "n/a": "#bdbdbd",  # 不适用
}

STATUS_LABELS: dict[str, str] = {st.value: st.zh for st in Status}

#: Series colours for ordinary (non-status) charts.
PALETTE: tuple[str, ...] = (
    "#1f5fa8",
    "#e07b39",
    "#3a9e6f",
    "#8c5fb0",
    "#c0504d",
    "#5b9bd5",
    "#7f7f7f",
    "#b5a33a",
)

_FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)
_FONT_PATTERNS: tuple[str, ...] = ("*CJK*.tt[cf]", "*CJK*.otf", "wqy*.tt[cf]", "SourceHanSans*.tt[cf]", "SourceHanSans*.otf")

_INSTALL_HINT = (
    "未找到可显示中文的字体（Noto Sans CJK / 文泉驿微米黑 / 思源黑体），图表中的中文将显示为方框。\n"
    "请安装字体：sudo apt-get install fonts-noto-cjk（或较小的 fonts-wqy-microhei），"
    "或 pip install noto-cjk-sans-otc，然后重新运行。"
)


class FontNotFoundError(RuntimeError):
    """No CJK font is available to matplotlib."""


def status_color(status: Any) -> str:
    """Colour for a status given as ``Status`` member or its string value (grey if unknown)."""
    key = getattr(status, "value", status)
    return STATUS_COLORS.get(str(key), STATUS_COLORS["pending"])


def _known_families() -> set[str]:
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


def _scan_font_files(dirs: Iterable[str] = _FONT_DIRS) -> list[str]:
    found: list[str] = []
    for d in dirs:
        base = os.path.expanduser(d)
        if not os.path.isdir(base):
            continue
        for pat in _FONT_PATTERNS:
            found.extend(glob.glob(os.path.join(base, "**", pat), recursive=True))
    # Sans before serif/mono; stable order for determinism.
    return sorted(set(found), key=lambda p: ("Serif" in p, "Mono" in p, p))


def _register_bundled_pypi_font() -> None:
    """Register ``noto-cjk-sans-otc`` (PyPI) if installed."""
    try:
        import importlib.resources as ir

        root = ir.files("noto_cjk_sans_otc")
    except Exception:
        return
    from matplotlib import font_manager

    for entry in root.iterdir():
        if entry.name.lower().endswith((".ttc", ".otf", ".ttf")):
            try:
                font_manager.fontManager.addfont(str(entry))
            except Exception:
                pass


def find_cjk_font() -> str:
    """Name of the best CJK family matplotlib can use; registers system fonts if needed.

    Raises :class:`FontNotFoundError` (with the install command) when there is none.
    """
    known = _known_families()
    for fam in CJK_FONT_FAMILIES:
        if fam in known:
            return fam
    from matplotlib import font_manager

    for path in _scan_font_files():
        try:
            font_manager.fontManager.addfont(path)
        except Exception:
            continue
    _register_bundled_pypi_font()
    known = _known_families()
    for fam in CJK_FONT_FAMILIES:
        if fam in known:
            return fam
    # Any other CJK family registered above (e.g. Noto Sans CJK JP only).
    others = sorted(n for n in known if "CJK" in n and "Sans" in n and "Mono" not in n)
    if others:
        return others[0]
    raise FontNotFoundError(_INSTALL_HINT)


def chart_rc() -> dict[str, Any]:
    """The bulletin's matplotlib settings (CJK font first), as an rcParams dict."""
    from cycler import cycler

    family = find_cjk_font()
    fallbacks = [f for f in CJK_FONT_FAMILIES if f != family]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [family, *fallbacks, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#555555",
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#e0e0e0",
        "grid.linewidth": 0.8,
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "figure.figsize": (7.0, 3.8),
        "figure.dpi": 150,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "savefig.facecolor": "white",
        "figure.facecolor": "white",
        "svg.hashsalt": "hzlib",
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
    }


@contextlib.contextmanager
def chart_style() -> Iterator[str]:
    """Draw inside the bulletin's style without changing matplotlib's global settings.

    >>> import matplotlib
    >>> before = matplotlib.rcParams["font.size"]
    >>> with chart_style():
    ...     inside = matplotlib.rcParams["font.size"]
    >>> inside, matplotlib.rcParams["font.size"] == before
    (10.0, True)
    """
    import matplotlib

    rc: Any = chart_rc()
    with matplotlib.rc_context(rc):
        yield rc["font.sans-serif"][0]


def setup_matplotlib() -> str:
    """Apply :func:`chart_rc` globally (for an analyst's own plots in a notebook); returns the CJK family."""
    import matplotlib

    rc: Any = chart_rc()
    matplotlib.rcParams.update(rc)
    return str(rc["font.sans-serif"][0])


def _clean_metadata(fmt: str) -> dict[str, Any]:
    fmt = fmt.lower()
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Creator": None, "Date": None, "Format": None, "Type": None}
    if fmt == "pdf":
        return {"Creator": None, "Producer": None, "CreationDate": None}
    return {}


def savefig(fig: Any, target: str | os.PathLike[str] | IO[bytes] | None = None, *, format: str = "png", **kwargs: Any) -> bytes:
    """Save ``fig`` without software/date metadata; returns the bytes (also written to ``target``)."""
    buf = io.BytesIO()
    kwargs.setdefault("metadata", _clean_metadata(format))
    fig.savefig(buf, format=format, **kwargs)
    data = buf.getvalue()
    if target is None:
        return data
    if hasattr(target, "write"):
        target.write(data)
    else:
        from hzlib.render.atomic import atomic_write_bytes

        atomic_write_bytes(Path(target), data)
    return data
