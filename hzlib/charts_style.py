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
import importlib.resources as ir
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import matplotlib
from cycler import cycler
from matplotlib import font_manager

from .atomicfile import atomic_write_bytes
from .errors import RenderError
from .glossary import STATUS_ZH, Status

__all__ = [
    "CJK_FONT_FAMILIES",
    "chart_rc",
    "chart_style",
    "FontNotFoundError",
    "PALETTE",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "choose_cjk_family",
    "find_cjk_font",
    "install_hint",
    "savefig",
    "setup_matplotlib",
    "status_color",
]

#: Preferred CJK families, best first: Noto / Source Han (Linux, and what the PDF embeds), then the
#: fonts Windows ships (微软雅黑, 黑体, 等线, 宋体), then macOS's (苹方, 冬青黑体, 华文黑体), then
#: WenQuanYi. The project's ``matplotlibrc`` files and ``bulletin.css`` name the same families
#: (tests/test_fonts.py keeps them in step).
CJK_FONT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Sans",
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimSun",
    "Songti SC",
    "Noto Sans CJK JP",
    "Arial Unicode MS",
)

#: Status colours (keys are ``hzlib.arithmetic.Status`` values).
STATUS_COLORS: dict[str, str] = {st.value: st.color for st in Status}

STATUS_LABELS: dict[str, str] = STATUS_ZH

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
    "~/Library/Fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
    "~/AppData/Local/Microsoft/Windows/Fonts",
)
_FONT_PATTERNS: tuple[str, ...] = (
    "*CJK*.tt[cf]",
    "*CJK*.otf",
    "wqy*.tt[cf]",
    "SourceHanSans*.tt[cf]",
    "SourceHanSans*.otf",
    # Windows (C:/Windows/Fonts) and macOS (/System/Library/Fonts, /Library/Fonts)
    "msyh*.tt[cf]",
    "simhei.ttf",
    "SimHei.ttf",
    "Deng*.ttf",
    "simsun.tt[cf]",
    "PingFang*.ttc",
    "Hiragino Sans GB*.ttc",
    "STHeiti*.ttc",
    "Hei*.ttc",
)

#: What to install when no CJK font is found, by ``sys.platform`` prefix.
_INSTALL_HINTS: dict[str, str] = {
    "linux": "请安装字体：sudo apt-get install fonts-noto-cjk（或较小的 fonts-wqy-microhei），"
    "或 pip install noto-cjk-sans-otc，然后删除 matplotlib 的字体缓存文件夹（{cache}）并重新运行。",
    "win": "Windows 自带“微软雅黑”（Microsoft YaHei）和“黑体”（SimHei）：请在“设置 → 个性化 → 字体”中确认已安装"
    "（精简版系统可在“可选功能”中添加“简体中文补充字体”），然后删除 matplotlib 的字体缓存文件夹（{cache}）并重新运行。",
    "darwin": "macOS 自带“苹方”（PingFang SC）和“冬青黑体”（Hiragino Sans GB）：请在“字体册”中确认未被停用，"
    "然后删除 matplotlib 的字体缓存文件夹（{cache}）并重新运行。",
}


class FontNotFoundError(RenderError, RuntimeError):
    """No CJK font is available to matplotlib (its message says what to install)."""


def install_hint(platform: str | None = None, cache_dir: str = "~/.cache/matplotlib") -> str:
    """The Chinese message for a machine without a CJK font, naming what to install on ``platform``.

    >>> "fonts-noto-cjk" in install_hint("linux"), "微软雅黑" in install_hint("win32"), "苹方" in install_hint("darwin")
    (True, True, True)
    """
    plat = platform or sys.platform
    key = next((k for k in _INSTALL_HINTS if plat.startswith(k)), "linux")
    families = "、".join(CJK_FONT_FAMILIES[:12])
    return f"未找到可显示中文的字体（已查找：{families} 等），图表中的中文将显示为方框。\n" + _INSTALL_HINTS[key].format(cache=cache_dir)


def choose_cjk_family(installed: Iterable[str]) -> str | None:
    """The best CJK family among the ``installed`` family names (as matplotlib names them), or None.

    >>> choose_cjk_family(["Arial", "SimSun", "Microsoft YaHei", "SimHei"])
    'Microsoft YaHei'
    >>> choose_cjk_family(["Helvetica", "PingFang SC", "Hiragino Sans GB"])
    'PingFang SC'
    >>> choose_cjk_family(["DejaVu Sans"]) is None
    True
    """
    names = set(installed)
    for fam in CJK_FONT_FAMILIES:
        if fam in names:
            return fam
    # Any other CJK sans family (e.g. Noto Sans CJK KR only).
    others = sorted(n for n in names if "CJK" in n and "Sans" in n and "Mono" not in n)
    return others[0] if others else None


def status_color(status: Any) -> str:
    """Colour for a status given as ``Status`` member or its string value (grey if unknown)."""
    key = getattr(status, "value", status)
    return STATUS_COLORS.get(str(key), STATUS_COLORS["pending"])


def _known_families() -> set[str]:
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
        root = ir.files("noto_cjk_sans_otc")
    except Exception:
        return

    for entry in root.iterdir():
        if entry.name.lower().endswith((".ttc", ".otf", ".ttf")):
            try:
                font_manager.fontManager.addfont(str(entry))
            except Exception:
                pass


def find_cjk_font() -> str:
    """Name of the best CJK family matplotlib can use; registers system fonts if needed.

    Raises :class:`FontNotFoundError` (what to install on this system) when there is none.
    """
    chosen = choose_cjk_family(_known_families())
    if chosen is not None:
        return chosen

    for path in _scan_font_files():
        try:
            font_manager.fontManager.addfont(path)
        except Exception:
            continue
    _register_bundled_pypi_font()
    chosen = choose_cjk_family(_known_families())
    if chosen is not None:
        return chosen

    raise FontNotFoundError(install_hint(cache_dir=matplotlib.get_cachedir()))


def chart_rc() -> dict[str, Any]:
    """The bulletin's matplotlib settings (CJK font first), as an rcParams dict."""
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
    rc: Any = chart_rc()
    with matplotlib.rc_context(rc):
        yield rc["font.sans-serif"][0]


def setup_matplotlib() -> str:
    """Apply :func:`chart_rc` globally (for an analyst's own plots in a notebook); returns the CJK family."""
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
        atomic_write_bytes(Path(target), data)
    return data
