"""HTML → PDF with a warm renderer: one engine start, many PDFs.

Two engines, chosen with ``engine=`` or ``$HZ_PDF_ENGINE`` (default: the first
one available, in this order):

``weasyprint``
    WeasyPrint in one long-lived worker process per :class:`PdfRenderer`.
    Chinese text is embedded as subset CID fonts (Noto Sans CJK, regular and
    real bold), the bytes are the same for the same HTML, and a hung job is
    ended by killing the worker. Needs the ``weasyprint`` package and the
    Pango/HarfBuzz libraries (``libpango-1.0-0 libpangoft2-1.0-0
    libharfbuzz-subset0``).
``chromium``
    One fresh ``chromium --headless --print-to-pdf`` per file (the browser is
    looked up in ``$HZ_CHROMIUM``, then ``chromium``, ``chromium-browser``,
    ``google-chrome``, ``google-chrome-stable`` on ``PATH``). Kept as a
    fallback: Skia, Chromium's PDF backend, embeds only TrueType-outline and
    CID-keyed Type 1 fonts; CFF-flavoured OpenType fonts such as every Noto
    CJK ``.ttc`` become Type 3 fonts (about 160 of them in an 11-page bulletin).
    Its creation and modification dates are set to a fixed date (:func:`pin_pdf_dates`),
    so that it, too, gives the same bytes for the same HTML.

Page size, margins and the "第 N 页 / 共 M 页" footer come from the ``@page``
rule in ``bulletin.css``; both engines honour it. Every PDF is written to a
temp file next to the target and renamed only when it is a non-empty PDF.
Errors are :class:`PDFError` with a Chinese message. Nothing heavy is
imported here: WeasyPrint is imported in the worker process only.

>>> with PdfRenderer() as r:  # doctest: +SKIP
...     r.render("a.html", "a.pdf")
...     r.render("b.html", "b.pdf")
>>> r.starts  # doctest: +SKIP
1
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib.util
import json
import logging
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ..errors import RenderError
from ..lifeline import preexec_die_with_parent, watch_parent
from ..paths import package_dir

__all__ = [
    "BROWSER_NAMES",
    "ENGINES",
    "PDFError",
    "PdfRenderer",
    "available_engines",
    "chromium_available",
    "chromium_command",
    "find_chromium",
    "html_to_pdf",
    "missing_engine_message",
    "pdf_available",
    "pin_pdf_dates",
    "weasyprint_available",
]

#: PDF engines, in the order ``engine=None`` tries them.
ENGINES: tuple[str, ...] = ("weasyprint", "chromium")
ENGINE_ENV = "HZ_PDF_ENGINE"
BROWSER_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "sudo apt-get install chromium fonts-noto-cjk"
WEASYPRINT_HINT = "pip install weasyprint，并安装系统库：sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk"
#: Shared libraries WeasyPrint cannot start without (names for ``ctypes.util.find_library``).
_WEASYPRINT_LIBS: tuple[tuple[str, ...], ...] = (
    ("pango-1.0", "pango-1.0-0", "libpango-1.0-0"),
    ("pangoft2-1.0", "pangoft2-1.0-0", "libpangoft2-1.0-0"),
)

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


class PDFError(RenderError):
    """The PDF could not be produced (no engine, engine failed or hung, output not a PDF)."""


# ---------------------------------------------------------------- finding engines


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


def weasyprint_available() -> bool:
    """True when the ``weasyprint`` package and the Pango libraries it loads are installed.

    Checked without importing WeasyPrint (that takes about 0.4 s and loads Pango).
    """
    if importlib.util.find_spec("weasyprint") is None:
        return False
    return all(any(ctypes.util.find_library(n) for n in names) for names in _WEASYPRINT_LIBS)


def available_engines() -> list[str]:
    """Engines usable on this machine, best first, e.g. ``['weasyprint', 'chromium']``."""
    return [e for e, ok in (("weasyprint", weasyprint_available), ("chromium", chromium_available)) if ok()]


def _requested_engine(engine: str | None) -> str | None:
    """``engine`` or ``$HZ_PDF_ENGINE``, lower case; ``None`` for "whichever is available" (unset or ``auto``)."""
    name = (engine or os.environ.get(ENGINE_ENV, "")).strip().lower()
    return None if name in ("", "auto") else name


def _unknown_engine(name: str) -> str:
    return f"未知的 PDF 引擎 {name!r}（可用：{'、'.join(ENGINES)}；参数 engine 或环境变量 {ENGINE_ENV}）"


def pdf_available(engine: str | None = None) -> bool:
    """True when ``engine`` (default: ``$HZ_PDF_ENGINE``, else any engine) can run here."""
    name = _requested_engine(engine)
    return bool(available_engines()) if name is None else name in available_engines()


def missing_engine_message(engine: str | None = None) -> str:
    """What to install (or to correct), in Chinese, when :func:`pdf_available` is false."""
    name = _requested_engine(engine)
    if name == "chromium":
        return _chromium_missing()
    if name == "weasyprint":
        return f"未找到 WeasyPrint 或它需要的 Pango 库，跳过 PDF。请安装：{WEASYPRINT_HINT}。"
    if name is not None:
        return _unknown_engine(name) + "，跳过 PDF。"
    return f"未找到 PDF 引擎，跳过 PDF（HTML 和 Excel 照常生成）。请安装 WeasyPrint：{WEASYPRINT_HINT}；或安装 Chromium：{INSTALL_HINT}。"


def _chromium_missing() -> str:
    env = os.environ.get("HZ_CHROMIUM", "").strip()
    extra = f"（环境变量 HZ_CHROMIUM={env!r} 指向的程序不存在）" if env else ""
    return (
        "生成 PDF 需要 Chromium 浏览器，但未找到 chromium / chromium-browser / google-chrome"
        f"{extra}。\n请安装：{INSTALL_HINT}，或用环境变量 HZ_CHROMIUM 指定浏览器程序。"
    )


def chromium_command(exe: str, user_data_dir: str | os.PathLike[str], *extra: str) -> list[str]:
    """Headless Chromium command line with our fixed flags (for PDF, screenshots, --dump-dom)."""
    return [exe, *_BASE_FLAGS, f"--user-data-dir={user_data_dir}", *extra]


# ---------------------------------------------------------------- the renderer


class PdfRenderer:
    """Start a PDF engine once and print many HTML files with it.

    ``engine``: ``"weasyprint"``, ``"chromium"`` or ``None`` (``$HZ_PDF_ENGINE``,
    else the first available). The engine starts on the first :meth:`render`
    and stops on :meth:`close` (or leaving the ``with`` block); ``starts``
    counts engine starts (Chromium starts once per PDF). A job that takes
    longer than ``timeout`` seconds kills the engine, which restarts for the
    next job. Not thread-safe: use one renderer per thread.

    >>> r = PdfRenderer("chromium", timeout=30)
    >>> r.starts, r.timeout
    (0, 30)
    >>> r.close()
    """

    def __init__(self, engine: str | None = None, *, timeout: float = 120) -> None:
        self._requested = engine
        self.timeout = timeout
        self.starts = 0
        self._engine: str | None = None
        self._worker: _Worker | None = None

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def engine(self) -> str:
        """The engine this renderer uses (``PDFError`` when none is available)."""
        if self._engine is None:
            name = _requested_engine(self._requested)
            if name is None:
                found = available_engines()
                if not found:
                    raise PDFError(missing_engine_message())
                name = found[0]
            elif name not in ENGINES:
                raise PDFError(_unknown_engine(name))
            self._engine = name
        return self._engine

    def render(self, html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]) -> Path:
        """Print ``html_path`` to ``pdf_path`` (replaced atomically); returns ``pdf_path``."""
        src = Path(html_path).resolve()
        if not src.is_file():
            raise PDFError(f"找不到要打印的 HTML 文件：{src.name}")
        engine = self.engine
        dest = Path(pdf_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with _temp_next_to(dest) as tmp:
            log = ""  # engine output worth showing with a bad result
            if engine == "chromium":
                self.starts += 1
                log = _print_chromium(src, tmp, self.timeout)
            else:
                self._print_weasyprint(src, tmp)
            _check_pdf(tmp, engine, log)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
        return dest

    def warm(self) -> None:
        """Start the engine now (WeasyPrint's worker imports its libraries in the background)."""
        if self.engine == "weasyprint" and self._worker is None:
            self._worker = _Worker(self.timeout)
            self.starts += 1

    def close(self) -> None:
        """Stop the engine (a later :meth:`render` starts it again)."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _print_weasyprint(self, src: Path, tmp: Path) -> None:
        if self._worker is not None and not self._worker.alive():  # killed after a timeout, or crashed
            self.close()
        if self._worker is None:
            self._worker = _Worker(self.timeout)
            self.starts += 1
        self._worker.job(src, tmp, self.timeout)


def html_to_pdf(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    timeout: float = 120,
    engine: str | None = None,
) -> Path:
    """Print one HTML file to PDF (a :class:`PdfRenderer` for one file); returns ``pdf_path``.

    For many files use one :class:`PdfRenderer`: the engine then starts once.
    """
    with PdfRenderer(engine, timeout=timeout) as r:
        return r.render(html_path, pdf_path)


@contextlib.contextmanager
def _temp_next_to(dest: Path) -> Iterator[Path]:
    """A not-yet-existing temp path in ``dest``'s folder, removed unless renamed."""
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp.pdf", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # the engine creates it; a leftover empty file would hide a failure
    try:
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _check_pdf(path: Path, engine: str, log: str) -> None:
    label = _LABELS[engine]
    if not path.is_file() or path.stat().st_size == 0:
        raise PDFError(f"{label} 没有生成 PDF 文件。\n{log}".rstrip())
    with path.open("rb") as fh:
        if fh.read(5) != b"%PDF-":
            raise PDFError(f"{label} 生成的文件不是 PDF。\n{log}".rstrip())


_LABELS = {"weasyprint": "WeasyPrint", "chromium": "Chromium"}


# ---------------------------------------------------------------- chromium, one process per file


def _print_chromium(src: Path, tmp: Path, timeout: float) -> str:
    """Print with a fresh headless Chromium; returns its output for error messages."""
    exe = find_chromium()
    if exe is None:
        raise PDFError(_chromium_missing())
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
        raise PDFError(f"Chromium 打印 PDF 失败（退出码 {code}）。\n{_tail(out)}".rstrip())
    with contextlib.suppress(OSError):  # no file: said by _check_pdf
        tmp.write_bytes(pin_pdf_dates(tmp.read_bytes()))
    return _tail(out)


#: The date a PDF's creation and modification dates are set to (the same bytes for the same HTML).
FIXED_PDF_DATE = b"20000101000000"
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) ?\(D:(\d{14})")


def pin_pdf_dates(data: bytes) -> bytes:
    """``data`` (a PDF) with the creation and modification dates of its document information set to
    :data:`FIXED_PDF_DATE`: the same number of bytes, so the cross-reference offsets stay right.

    >>> pin_pdf_dates(b"<</CreationDate (D:20261203124011+00'00') /ModDate (D:20261203124012+08'00')>>")
    b"<</CreationDate (D:20000101000000+00'00') /ModDate (D:20000101000000+08'00')>>"
    """
    return _PDF_DATE.sub(lambda m: m.group(0)[:-14] + FIXED_PDF_DATE, data)


def _run(cmd: list[str], timeout: float) -> tuple[int, str]:
    """Run Chromium in its own process group; kill the whole group on timeout."""
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=preexec_die_with_parent(),  # this thread waits for Chromium: it ends with this process
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise PDFError(f"Chromium 在 {timeout:g} 秒内未完成 PDF 打印，已终止。\n{_tail(out)}".rstrip()) from None
    return proc.returncode, out.decode("utf-8", "replace")


def _tail(out: bytes | str, lines: int = 15, who: str = "Chromium") -> str:
    text = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
    kept = [ln for ln in text.splitlines() if ln.strip()][-lines:]
    return f"{who} 输出（末尾）：\n" + "\n".join(kept) if kept else ""


# ---------------------------------------------------------------- weasyprint, one worker process


class _Worker:
    """A child Python process running :func:`_serve`: JSON lines in, JSON lines out.

    Its stderr goes to a temp file, whose tail explains a crash. A reader
    thread turns the replies into a queue, so waiting has a timeout on every
    platform; the child is killed when a reply is late.
    """

    def __init__(self, timeout: float) -> None:
        env = dict(os.environ)
        root = str(package_dir().parent)  # the folder holding the hzlib package (site-packages, or this repository)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        env["HZ_PDF_PARENT"] = str(os.getpid())  # the helper ends when this process does (see _serve)
        self._log: IO[bytes] = tempfile.TemporaryFile(prefix="hz-pdf-worker-")
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from hzlib.render.pdf import _serve; _serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=env,
        )
        self._replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=_pump, args=(self._proc.stdout, self._replies), daemon=True).start()
        self._finalizer = weakref.finalize(self, _kill, self._proc)
        try:
            hello = self._reply(timeout, "启动")
        except PDFError:
            self.close()
            raise
        if not hello.get("ok"):
            self.close()
            raise PDFError(f"WeasyPrint 无法启动：{hello.get('error', '')}\n请安装：{WEASYPRINT_HINT}。")

    def alive(self) -> bool:
        return self._proc.poll() is None

    def job(self, src: Path, dest: Path, timeout: float) -> None:
        """Have the worker write ``dest`` from ``src``; ``PDFError`` on failure or timeout."""
        line = json.dumps({"html": str(src), "pdf": str(dest)}) + "\n"
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(line.encode("utf-8"))
            self._proc.stdin.flush()
        except OSError:
            raise PDFError(f"WeasyPrint 进程已退出，无法打印 {src.name}。\n{self._log_tail()}".rstrip()) from None
        reply = self._reply(timeout, f"打印 {src.name}")
        if not reply.get("ok"):
            raise PDFError(f"WeasyPrint 无法把 {src.name} 转为 PDF：{reply.get('error', '')}")

    def close(self) -> None:
        """Ask the worker to finish (end of input); kill it if it does not within 5 s."""
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            _kill(self._proc)
        self._finalizer.detach()
        self._log.close()

    def _reply(self, timeout: float, what: str) -> dict[str, Any]:
        try:
            reply = self._replies.get(timeout=timeout)
        except queue.Empty:
            _kill(self._proc)
            raise PDFError(f"WeasyPrint 在 {timeout:g} 秒内未完成（{what}），已终止。") from None
        if reply is None:
            code = self._proc.wait()
            raise PDFError(f"WeasyPrint 进程意外退出（退出码 {code}，{what}）。\n{self._log_tail()}".rstrip())
        return reply

    def _log_tail(self) -> str:
        self._log.seek(0)
        return _tail(self._log.read(), who="WeasyPrint")


def _pump(stream: IO[bytes] | None, replies: queue.Queue[dict[str, Any] | None]) -> None:
    """Reader thread: each line from the worker becomes a dict; end of output becomes ``None``."""
    assert stream is not None
    for raw in stream:
        with contextlib.suppress(ValueError):
            replies.put(json.loads(raw))
    replies.put(None)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()


def _serve() -> None:
    """Worker main loop: import WeasyPrint once, then print every job read from stdin.

    Replies go to the real stdout only; anything a library prints lands in stderr.
    """
    parent = os.environ.get("HZ_PDF_PARENT", "")
    watch_parent(parent=int(parent) if parent.isdigit() else None)  # ends with its parent, even in the middle of a job
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def reply(**kw: Any) -> None:
        channel.write(json.dumps(kw) + "\n")  # ASCII: paths may hold undecodable bytes

    try:
        import weasyprint  # lazy: optional package (the pdf extra), imported in the worker process only
    except Exception as e:
        reply(ok=False, error=f"{type(e).__name__}: {e}")
        return
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    reply(ok=True, version=weasyprint.__version__)
    for line in sys.stdin:
        try:
            job = json.loads(line)
            weasyprint.HTML(filename=job["html"]).write_pdf(job["pdf"])
        except Exception as e:
            reply(ok=False, error=f"{type(e).__name__}: {e}")
        else:
            reply(ok=True)
