"""JupyterLab as a place to work: the pre-save hook, the project's Jupyter settings, nbval from anywhere.

The last test does what a statistician does in JupyterLab, over the same HTTP and websocket
API: a Jupyter server with the project's settings on a copy of notebooks/ opens 05_whatif,
runs every cell as JupyterLab sends them (with a cellId, so the sliders appear), moves the
Q3 slider, saves the notebook with its outputs and widget state, and ``pytest --nbval``
with the project's options passes on the saved file.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
from jupyter_client.jsonutil import json_default
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.session import Session

from hzlib import lab
from hzlib.lab import KERNELSPEC, STATIC_KEY, WIDGET_VIEW, clean_notebook, install_config, pre_save_hook
from hzlib.paths import NOTEBOOK_DIR, ROOT
from hzlib.whatif.live import STATIC_NOTE

JUPYTER = Path(sys.executable).parent / "jupyter"
STATE_MIME = "application/vnd.jupyter.widget-state+json"
MARKDOWN_PLAIN = "<IPython.core.display.Markdown object>"


# ---- the committed notebooks' kernelspec ---------------------------------------------------------------------------
def test_the_committed_kernelspec_is_the_environments_kernel_as_jupyterlab_writes_it() -> None:
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert KERNELSPEC == {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        assert nbformat.read(path, as_version=4).metadata.kernelspec == KERNELSPEC, path.name


# ---- the pre-save hook ---------------------------------------------------------------------------------------------
def _code(cid: str, count: int | None, outputs: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    return {"cell_type": "code", "id": cid, "source": f"x_{cid}", "metadata": meta, "execution_count": count, "outputs": outputs}


def _display(data: dict[str, Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"output_type": "display_data", "data": data, "metadata": metadata or {}}


VIEW = {"model_id": "f00", "version_major": 2, "version_minor": 0}


def saved_in_lab() -> dict[str, Any]:
    """A notebook as JupyterLab saves it after running cells out of order and showing widgets."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "widgets": {STATE_MIME: {"state": {"f00": {}}}},
        },
        "cells": [
            {"cell_type": "markdown", "id": "m", "source": "# 标题", "metadata": {"tags": ["keep"]}},
            _code(
                "a",
                3,
                [{"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"text/plain": "1"}}],
                tags=["parameters"],
                execution={"iopub.execute_input": "2026-01-01T00:00:00Z"},
            ),
            _code("b", None, []),
            _code(
                "c",
                5,
                [
                    _display({"text/plain": "VBox(...)", WIDGET_VIEW: VIEW}, {STATIC_KEY: {"text/markdown": "静态", "text/plain": MARKDOWN_PLAIN}}),
                    _display({"text/plain": "IntSlider(value=3)", WIDGET_VIEW: VIEW}),
                    _display({WIDGET_VIEW: VIEW}),
                    {"output_type": "stream", "name": "stdout", "text": "printed\n"},
                ],
                collapsed=True,
            ),
        ],
    }


def test_cleaning_drops_kernel_state_and_keeps_the_users_work() -> None:
    before = saved_in_lab()
    after = clean_notebook(before)
    assert before == saved_in_lab()  # a copy: the model JupyterLab sent is not changed under it
    assert after["metadata"] == {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    md, a, b, c = after["cells"]
    assert md == saved_in_lab()["cells"][0]
    assert [x["source"] for x in after["cells"]] == ["# 标题", "x_a", "x_b", "x_c"]
    # counts 3, –, 5 (run out of order) become 1, –, 2 as a run of the whole notebook writes them
    assert (a["execution_count"], b["execution_count"], c["execution_count"]) == (1, None, 2)
    assert a["outputs"] == [{"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "1"}}]
    assert a["metadata"] == {"tags": ["parameters"]} and c["metadata"] == {"collapsed": True}
    assert c["outputs"] == [
        _display({"text/markdown": "静态", "text/plain": MARKDOWN_PLAIN}),  # the static output the display carried
        _display({"text/plain": "IntSlider(value=3)"}),  # a widget shown by the user: its plain-text form
        {"output_type": "stream", "name": "stdout", "text": "printed\n"},  # a bare view is gone, the rest stays
    ]
    assert clean_notebook(after) == after


def _manager(root: Path, dirs: list[str] | None = None) -> Any:
    from traitlets.config import Config

    config = Config()
    if dirs is not None:
        config.HzLab.notebook_dirs = dirs
    return SimpleNamespace(root_dir=str(root), config=config)


def test_the_pre_commit_check_passes_the_committed_notebooks_and_flags_live_state(tmp_path: Path) -> None:
    committed = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    assert committed and lab.unclean(committed) == []
    nb = json.loads(committed[0].read_text(encoding="utf-8"))
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    dirty = tmp_path / committed[0].name
    dirty.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert lab.unclean([dirty, committed[0]]) == [dirty]


def test_the_hook_cleans_only_notebooks_of_the_project_notebooks_folder(tmp_path: Path) -> None:
    project = _manager(ROOT)
    model = {"type": "notebook", "content": saved_in_lab()}
    pre_save_hook(model=model, path="notebooks/new.ipynb", contents_manager=project)
    assert model["content"] == clean_notebook(saved_in_lab())
    for path in ["new.ipynb", "docs/new.ipynb", "notebooks/sub/new.ipynb"]:  # elsewhere: saved as it is
        model = {"type": "notebook", "content": saved_in_lab()}
        pre_save_hook(model=model, path=path, contents_manager=project)
        assert model["content"] == saved_in_lab(), path
    text = {"type": "file", "format": "text", "content": "notebooks"}
    pre_save_hook(model=text, path="notebooks/a.txt", contents_manager=project)
    assert text["content"] == "notebooks"
    # another root: the project's notebooks folder is no longer under it; notebook_dirs names a copy
    model = {"type": "notebook", "content": saved_in_lab()}
    pre_save_hook(model=model, path="notebooks/05_whatif.ipynb", contents_manager=_manager(tmp_path))
    assert model["content"] == saved_in_lab()
    pre_save_hook(model=model, path="/notebooks/05_whatif.ipynb", contents_manager=_manager(tmp_path, ["notebooks"]))
    assert model["content"] == clean_notebook(saved_in_lab())


# ---- the project's Jupyter settings --------------------------------------------------------------------------------
def test_the_settings_are_linked_into_an_environment_once(tmp_path: Path) -> None:
    said = install_config(tmp_path)
    link = tmp_path / "etc" / "jupyter" / "jupyter_config.py"
    assert "已启用本项目的 Jupyter 设置" in said
    assert link.is_symlink() and link.resolve() == lab.CONFIG_FILE.resolve()
    assert not os.path.isabs(os.readlink(link))  # the environment can move with the project
    assert "已生效" in install_config(tmp_path)
    other = tmp_path / "other"
    (other / "etc" / "jupyter").mkdir(parents=True)
    own = other / "etc" / "jupyter" / "jupyter_config.py"
    own.write_text("c.Foo.bar = 1\n", encoding="utf-8")
    assert "未改动" in install_config(other) and own.read_text(encoding="utf-8") == "c.Foo.bar = 1\n"


def test_html_from_plain_nbconvert_loads_nothing_from_the_internet(tmp_path: Path) -> None:
    installed = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_config.py"
    assert installed.resolve() == lab.CONFIG_FILE.resolve(), "运行 make setup（或 python -m hzlib.lab install）"
    done = subprocess.run(
        [str(JUPYTER), "nbconvert", "--to", "html", "notebooks/01_targets.ipynb", "--output-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "01_targets.html").read_text(encoding="utf-8")
    assert "<table" in html and 'src="https://' not in html and "src='https://" not in html
    assert "cdnjs.cloudflare.com/ajax/libs/require.js" not in html and "mathjax/2.7.7" not in html


def test_nbval_finds_the_sanitiser_from_another_folder(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(NOTEBOOK_DIR / "01_targets.ipynb"), "-q"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout and "FileNotFoundError" not in done.stdout


# ---- a Jupyter server, spoken to as JupyterLab speaks to it --------------------------------------------------------
class Server:
    """``jupyter server`` with the project's settings on ``root``, on 127.0.0.1 with a token."""

    def __init__(self, root: Path, home: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = uuid.uuid4().hex
        config = home / "jupyter_server_config.py"
        config.write_text(
            f"load_subconfig('jupyter_config.py', path={str(ROOT)!r})\nc.HzLab.notebook_dirs = ['notebooks']  # the copy is the project's notebooks/ here\n",
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "HZ_WIDGETS", "JUPYTER_CONFIG_PATH")}
        env.update(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTER_DATA_DIR=str(home / "data"))
        args = [
            sys.executable,
            "-m",
            "jupyter_server",
            f"--config={config}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.open_browser=False",
        ]
        if os.geteuid() == 0:
            args.append("--allow-root")
        self.log = (home / "server.log").open("w", encoding="utf-8")
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):  # bounded: up to about a minute for the server to answer
            if self.proc.poll() is not None:
                break
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        self.stop()
        raise AssertionError("jupyter server did not start: " + (home / "server.log").read_text(encoding="utf-8")[-3000:])

    def api(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body, default=json_default).encode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read().decode()
        return json.loads(text) if text else None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class FrontEnd:
    """What JupyterLab does on a kernel's websocket: run cells with a cellId, keep widget models,
    route the outputs of an Output widget to it, and send slider changes."""

    def __init__(self, server: Server, kernel_id: str) -> None:
        import websocket

        self.session = Session(key=b"", username="lab")
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={self.session.session}",
            header=[f"Authorization: token {server.token}"],
            timeout=300,
        )
        self.models: dict[str, dict[str, Any]] = {}

    def send(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None) -> str:
        msg = self.session.msg(msg_type, content, metadata=metadata or {})
        msg["channel"] = "shell"
        self.ws.send(json.dumps(msg, default=json_default))
        return str(msg["header"]["msg_id"])

    def _route(self, parent: str) -> dict[str, Any] | None:
        """The Output widget capturing messages of ``parent``, if any."""
        for state in self.models.values():
            if state.get("_model_name") == "OutputModel" and state.get("msg_id") == parent:
                return state
        return None

    def until_idle(self, parent: str) -> tuple[list[dict[str, Any]], int | None]:
        """Outputs shown in the cell for request ``parent``, and its execution count."""
        outputs: list[dict[str, Any]] = []
        count = None
        for _ in range(100_000):  # bounded: every message of one request
            msg = json.loads(self.ws.recv())
            if msg.get("channel") != "iopub" or msg["parent_header"].get("msg_id") != parent:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return outputs, count
            if kind == "execute_input":
                count = content["execution_count"]
            elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.models[content["comm_id"]] = dict(content["data"]["state"])
            elif kind == "comm_msg" and content["data"].get("method") in ("update", "echo_update"):
                self.models[content["comm_id"]].update(content["data"]["state"])
            elif kind in ("stream", "display_data", "execute_result", "error", "clear_output"):
                box = self._route(parent)
                target = box.setdefault("outputs", []) if box is not None else outputs
                if kind == "clear_output":
                    target.clear()
                    continue
                out = nbformat.v4.output_from_msg(msg)
                if kind == "stream" and target and target[-1].get("output_type") == "stream" and target[-1]["name"] == out["name"]:
                    target[-1]["text"] += out["text"]
                else:
                    target.append(out)
        raise AssertionError(f"no idle status for {parent}")

    def run(self, cell: dict[str, Any]) -> None:
        """Run a code cell as JupyterLab does and put its outputs and count in it."""
        parent = self.send(
            "execute_request",
            {"code": cell["source"], "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            metadata={"cellId": cell["id"], "deletedCells": [], "recordTiming": True},
        )
        cell["outputs"], cell["execution_count"] = self.until_idle(parent)
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert not errors, errors
        cell["metadata"]["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z", "shell.execute_reply": "2026-01-01T00:00:01Z"}

    def move(self, description: str, value: float) -> list[dict[str, Any]]:
        """Move the slider labelled ``description``; what the kernel showed in the cell (should be nothing)."""
        (comm_id,) = [k for k, s in self.models.items() if s.get("description") == description]
        self.models[comm_id]["value"] = value
        parent = self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}})
        return self.until_idle(parent)[0]

    def widget_state(self) -> dict[str, Any]:
        """``metadata.widgets`` as JupyterLab saves it."""
        state = {
            k: {"model_name": s["_model_name"], "model_module": s["_model_module"], "model_module_version": s["_model_module_version"], "state": s}
            for k, s in self.models.items()
        }
        return {STATE_MIME: {"version_major": 2, "version_minor": 0, "state": state}}


def _shown(outputs: list[dict[str, Any]]) -> str:
    return "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)


def test_run_move_a_slider_save_in_jupyterlab_and_nbval_passes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(NOTEBOOK_DIR, project / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (project / "elsewhere").mkdir()
    committed = nbformat.read(NOTEBOOK_DIR / "05_whatif.ipynb", as_version=4)
    server = Server(project, tmp_path)
    try:
        specs = server.api("GET", "/api/kernelspecs")
        default = specs["kernelspecs"][specs["default"]]["spec"]
        assert KERNELSPEC == {"name": specs["default"], "display_name": default["display_name"], "language": default["language"]}
        model = server.api("GET", "/api/contents/notebooks/05_whatif.ipynb")
        nb = model["content"]
        assert nb["metadata"]["kernelspec"] == KERNELSPEC  # opening it changes nothing
        sess = server.api(
            "POST",
            "/api/sessions",
            {"path": "notebooks/05_whatif.ipynb", "type": "notebook", "name": "05_whatif.ipynb", "kernel": {"name": KERNELSPEC["name"]}},
        )
        lab_ = FrontEnd(server, sess["kernel"]["id"])
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                lab_.run(cell)
        last = nb["cells"][-1]["outputs"]
        assert len(last) == 1 and WIDGET_VIEW in last[0]["data"]  # JupyterLab shows the sliders, not the static note
        (box,) = [s for s in lab_.models.values() if s["_model_name"] == "OutputModel"]
        assert "滑块：三季度7.7%、四季度7.7%" in _shown(box["outputs"])
        assert lab_.move("三季度当季增速（%）", 6.0) == []  # the new comparison goes to the Output widget, not the cell
        assert "滑块：三季度6%、四季度7.7%" in _shown(box["outputs"])
        nb["metadata"]["widgets"] = lab_.widget_state()
        server.api("PUT", "/api/contents/notebooks/05_whatif.ipynb", {"type": "notebook", "format": "json", "content": nb})
        server.api("PUT", "/api/contents/elsewhere/05_whatif.ipynb", {"type": "notebook", "format": "json", "content": nb})
        lab_.ws.close()
        server.api("DELETE", f"/api/sessions/{sess['id']}")
    finally:
        server.stop()

    saved = nbformat.read(project / "notebooks" / "05_whatif.ipynb", as_version=4)
    assert "widgets" not in saved.metadata and saved.metadata.kernelspec == KERNELSPEC
    assert [c.source for c in saved.cells] == [c.source for c in committed.cells]
    assert [c.metadata for c in saved.cells] == [c.metadata for c in committed.cells]
    assert [c.execution_count for c in saved.cells if c.cell_type == "code"] == list(range(1, 10))
    outs = [o for c in saved.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outs if WIDGET_VIEW in o.get("data", {})]
    assert saved.cells[-1].outputs == committed.cells[-1].outputs  # the static note, as nbval will compute it
    assert [o["data"]["text/markdown"] for o in saved.cells[-1].outputs] == [STATIC_NOTE]
    untouched = nbformat.read(project / "elsewhere" / "05_whatif.ipynb", as_version=4)
    assert "widgets" in untouched.metadata and WIDGET_VIEW in untouched.cells[-1].outputs[0]["data"]

    # make test's comparison, with the project's pytest options, on the saved file
    done = nbval(project / "notebooks" / "05_whatif.ipynb")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"{sum(c.cell_type == 'code' for c in committed.cells)} passed" in done.stdout
    # saved without the hook, the sliders' cell would no longer match
    done = nbval(project / "elsewhere" / "05_whatif.ipynb")
    assert done.returncode == 1 and "1 failed" in done.stdout and "Unexpected output fields from running code: {'text/markdown'}" in done.stdout


def nbval(path: Path) -> subprocess.CompletedProcess[str]:
    """``pytest --nbval`` on ``path`` with the project's pytest options (pyproject.toml)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), str(path), "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
