"""HTML → PDF with the headless Chromium command line.

Page size, margins and the "第 N 页 / 共 M 页" footer come from the ``@page``
rule in ``bulletin.css`` (Chromium ≥ 131 prints ``@page`` margin boxes);
Chromium's own header/footer is switched off. The browser is looked up in
``$HZ_CHROMIUM``, then ``chromium``, ``chromium-browser``, ``google-chrome``,
``google-chrome-stable`` on ``PATH``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["BROWSER_NAMES", "PDFError", "chromium_available", "chromium_command", "find_chromium", "html_to_pdf"]

BROWSER_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "sudo apt-get install chromium fonts-noto-cjk"

_BASE_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)


class PDFError(RuntimeError):
    """The PDF could not be produced (no browser, browser failed, empty output)."""


def find_chromium() -> str | None:
    """Path of a usable Chromium/Chrome executable, or ``None``."""
    env = os.environ.get("HZ_CHROMIUM", "").strip()
    if env:
        found = shutil.which(env)
        if found:
            return found
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_available() -> bool:
    """True when a headless-capable Chromium/Chrome is on this machine."""
    return find_chromium() is not None


def _require_chromium() -> str:
    exe = find_chromium()
    if exe is None:
        env = os.environ.get("HZ_CHROMIUM", "").strip()
        extra = f"（环境变量 HZ_CHROMIUM={env!r} 指向的程序不存在）" if env else ""
        raise PDFError(
            "生成 PDF 需要 Chromium 浏览器，但未找到 chromium / chromium-browser / google-chrome"
            f"{extra}。\n请安装：{INSTALL_HINT}，或用环境变量 HZ_CHROMIUM 指定浏览器程序。"
        )
    return exe


def chromium_command(exe: str, user_data_dir: str | os.PathLike[str], *extra: str) -> list[str]:
    """Headless Chromium command line with our fixed flags (for PDF, screenshots, --dump-dom)."""
    return [exe, *_BASE_FLAGS, f"--user-data-dir={user_data_dir}", *extra]


def _run(cmd: list[str], timeout: float) -> tuple[int, str]:
    """Run Chromium in its own process group; kill the whole group on timeout."""
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise PDFError(f"Chromium 在 {timeout:g} 秒内未完成 PDF 打印，已终止。\n{_tail(out)}") from None
    return proc.returncode, out.decode("utf-8", "replace")


def _tail(out: bytes | str, lines: int = 15) -> str:
    text = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
    kept = [ln for ln in text.splitlines() if ln.strip()][-lines:]
    return "Chromium 输出（末尾）：\n" + "\n".join(kept) if kept else ""


def html_to_pdf(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    timeout: float = 120,
) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium; returns ``pdf_path``.

    The PDF is written to a temp file next to ``pdf_path`` and moved into
    place only when Chromium exits 0 and the file is a non-empty PDF.
    Chromium's (noisy) output is kept out of the way and shown only in the
    :class:`PDFError` message.
    """
    exe = _require_chromium()
    src = Path(html_path).resolve()
    if not src.is_file():
        raise PDFError(f"找不到要打印的 HTML 文件：{src.name}")
    dest = Path(pdf_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp.pdf", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # Chromium creates it; a leftover empty file would hide a failure
        with tempfile.TemporaryDirectory(prefix="hz-chromium-") as profile:
            cmd = chromium_command(
                exe,
                profile,
                "--no-pdf-header-footer",
                "--run-all-compositor-stages-before-draw",
                f"--print-to-pdf={tmp}",
                src.as_uri(),
            )
            code, out = _run(cmd, timeout)
        if code != 0:
            raise PDFError(f"Chromium 打印 PDF 失败（退出码 {code}）。\n{_tail(out)}")
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise PDFError(f"Chromium 没有生成 PDF 文件。\n{_tail(out)}")
        with tmp.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                raise PDFError(f"Chromium 生成的文件不是 PDF。\n{_tail(out)}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return dest
