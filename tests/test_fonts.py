"""Chinese fonts everywhere: the family chosen on Windows, macOS and Linux, the message when there is
none, the ``matplotlibrc`` files that give an analyst's own notebook Chinese charts without hzlib,
and the CSS font lists of the HTML/PDF bulletin."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from hzlib import charts_style
from hzlib.errors import HzError, RenderError
from hzlib.render.html import bulletin_css

ROOT = Path(__file__).resolve().parents[1]

#: What matplotlib lists on a stock Windows 10/11 (a few of C:\Windows\Fonts) and macOS.
WINDOWS_FONTS = [
    "Arial",
    "Calibri",
    "Segoe UI",
    "Times New Roman",
    "SimSun",
    "NSimSun",
    "SimHei",
    "Microsoft YaHei",
    "DengXian",
    "KaiTi",
    "FangSong",
    "DejaVu Sans",
]
MACOS_FONTS = [
    "Helvetica",
    "Helvetica Neue",
    ".SF NS",
    "Songti SC",
    "STHeiti",
    "Heiti TC",
    "Hiragino Sans GB",
    "PingFang SC",
    "Arial Unicode MS",
    "DejaVu Sans",
]
LINUX_FONTS = ["DejaVu Sans", "Liberation Sans", "WenQuanYi Micro Hei", "Noto Sans CJK JP", "Noto Sans CJK SC"]


@pytest.mark.parametrize(
    ("installed", "chosen"),
    [
        (WINDOWS_FONTS, "Microsoft YaHei"),
        (MACOS_FONTS, "PingFang SC"),
        (LINUX_FONTS, "Noto Sans CJK SC"),
        (["DejaVu Sans", "SimSun", "SimHei"], "SimHei"),  # a Windows without YaHei: a sans (黑体) before 宋体
        (["DejaVu Sans", "Hiragino Sans GB", "STHeiti"], "Hiragino Sans GB"),
        (["DejaVu Sans", "WenQuanYi Zen Hei"], "WenQuanYi Zen Hei"),
        (["DejaVu Sans", "Noto Sans CJK KR", "Noto Sans Mono CJK KR"], "Noto Sans CJK KR"),
        (["DejaVu Sans", "Liberation Sans"], None),
    ],
)
def test_choose_cjk_family(installed, chosen):
    assert charts_style.choose_cjk_family(installed) == chosen


def test_find_cjk_font_on_windows_picks_yahei(monkeypatch):
    monkeypatch.setattr(charts_style, "_known_families", lambda: set(WINDOWS_FONTS))
    assert charts_style.find_cjk_font() == "Microsoft YaHei"
    rc = charts_style.chart_rc()
    assert rc["font.sans-serif"][0] == "Microsoft YaHei" and "PingFang SC" in rc["font.sans-serif"]


def _no_fonts(monkeypatch, platform: str) -> str:
    monkeypatch.setattr(charts_style, "_known_families", lambda: {"DejaVu Sans"})
    monkeypatch.setattr(charts_style, "_scan_font_files", lambda *a, **k: [])
    monkeypatch.setattr(charts_style, "_register_bundled_pypi_font", lambda: None)
    monkeypatch.setattr(sys, "platform", platform)
    with pytest.raises(charts_style.FontNotFoundError) as err:
        charts_style.find_cjk_font()
    assert isinstance(err.value, RenderError) and isinstance(err.value, HzError)  # printed as one line, no traceback
    return str(err.value)


def test_no_cjk_font_says_what_to_install_on_each_system(monkeypatch):
    linux = _no_fonts(monkeypatch, "linux")
    assert linux.startswith("未找到可显示中文的字体") and "sudo apt-get install fonts-noto-cjk" in linux
    assert "matplotlib 的字体缓存文件夹" in linux
    windows = _no_fonts(monkeypatch, "win32")
    assert "微软雅黑" in windows and "Microsoft YaHei" in windows and "apt-get" not in windows
    mac = _no_fonts(monkeypatch, "darwin")
    assert "苹方" in mac and "PingFang SC" in mac and "apt-get" not in mac


def test_font_file_patterns_know_windows_and_macos_files(tmp_path):
    names = [
        "msyh.ttc",
        "simhei.ttf",
        "Deng.ttf",
        "PingFang.ttc",
        "Hiragino Sans GB.ttc",
        "STHeiti Light.ttc",
        "NotoSansCJK-Regular.ttc",
        "arial.ttf",
        "Helvetica.ttc",
    ]
    for n in names:
        (tmp_path / n).write_bytes(b"")
    found = {Path(p).name for p in charts_style._scan_font_files([str(tmp_path)])}
    assert found == set(names) - {"arial.ttf", "Helvetica.ttc"}


# ---------------------------------------------------------------- matplotlibrc


def _rc_families(path: Path) -> list[str]:
    line = next(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("font.sans-serif:"))
    return [f.strip() for f in line.split(":", 1)[1].split(",")]


@pytest.mark.parametrize("where", ["matplotlibrc", "notebooks/matplotlibrc"])
def test_matplotlibrc_names_the_cjk_families(where):
    path = ROOT / where
    assert _rc_families(path) == [*charts_style.CJK_FONT_FAMILIES, "DejaVu Sans"]
    text = path.read_text(encoding="utf-8")
    assert "font.family: sans-serif" in text and "axes.unicode_minus: False" in text
    import matplotlib

    params = matplotlib.rc_params_from_file(str(path), use_default_template=False)
    assert params["font.sans-serif"][:2] == ["Noto Sans CJK SC", "Noto Sans CJK"]


def test_own_notebook_in_notebooks_folder_draws_chinese_without_hzlib():
    """A notebook of the analyst's own, run where JupyterLab and ``nbconvert --execute`` run it (its
    folder), draws a Chinese title with a CJK font and no "Glyph … missing" warning, without hzlib."""
    if charts_style.choose_cjk_family(charts_style._known_families()) is None:
        pytest.skip("matplotlib 没有中文字体（见 charts_style.install_hint）")
    import nbformat
    from nbclient import NotebookClient

    code = (
        "import io, sys, warnings\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "from matplotlib.font_manager import FontProperties, findfont\n"
        "warnings.simplefilter('always')\n"
        "fig, ax = plt.subplots()\n"
        "ax.bar(['一季度', '二季度'], [7.6, -7.7])\n"
        "ax.set_title('镇巴县固定资产投资累计增速（%）')\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    fig.savefig(io.BytesIO(), format='png')\n"
        "print('MISSING', [str(w.message) for w in caught if 'missing' in str(w.message).lower()])\n"
        "print('FONT', findfont(FontProperties(family=matplotlib.rcParams['font.family'])))\n"
        "print('HZLIB', 'hzlib' in sys.modules)\n"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("output_type") == "stream")
    assert "MISSING []" in out, out
    assert "HZLIB False" in out
    font = re.search(r"FONT (.+)", out)
    assert font is not None
    assert re.search(r"CJK|wqy|SourceHan|msyh|simhei|PingFang|Hiragino", font.group(1), re.I), font.group(1)


# ---------------------------------------------------------------- CSS


def test_bulletin_css_names_the_cjk_fonts_of_every_system():
    css = bulletin_css()
    root_font = re.search(r"--hz-font:([^;]+);", css)
    footer_font = re.search(r"@bottom-center\s*\{[^}]*font-family:([^;]+);", css)
    assert root_font is not None and footer_font is not None
    for block in (root_font.group(1), footer_font.group(1)):
        names = re.findall(r'"([^"]+)"', block)
        for family in (
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "Microsoft YaHei",
            "SimHei",
            "PingFang SC",
            "Hiragino Sans GB",
            "Heiti SC",
            "STHeiti",
            "WenQuanYi Micro Hei",
        ):
            assert family in names, family
        assert set(names) <= set(charts_style.CJK_FONT_FAMILIES)
        assert names[0] == "Noto Sans CJK SC"  # what the PDF embeds on Linux comes first
        assert block.strip().endswith("sans-serif")
