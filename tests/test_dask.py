"""hz run on a real Dask cluster (LocalCluster on loopback): same layout and manifests, and a
worker killed mid-run never leaves a half-written report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hzlib.cli import main
from hzlib.run import NOTEBOOKS

distributed = pytest.importorskip("distributed")

PLANS = ("ankang-2019", "hanzhong-2023")


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, silence_logs=40) as c:
        yield c


def _complete(folder: Path) -> bool:
    return (folder / "manifest.json").exists() and all((folder / name).exists() for name in NOTEBOOKS.values())


def test_reports_rendered_on_the_cluster_match_a_local_run(cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "reports"
    code = main(["run", *PLANS, "--formats", "html,xlsx", "--out", str(out), "--scheduler", cluster.scheduler_address])
    assert code == 0, capsys.readouterr()
    for plan in PLANS:
        [folder] = (out / plan).iterdir()
        assert _complete(folder) and (folder / "bulletin.xlsx").exists()
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["plan"] == plan and len(manifest["key"]) == 64
    assert (out / "index.html").exists()
    # the same reports again: nothing changed, so nothing is sent to the cluster
    assert main(["run", *PLANS, "--formats", "html,xlsx", "--out", str(out), "--scheduler", cluster.scheduler_address]) == 0
    assert "2 个未变化" in capsys.readouterr().out


def test_a_worker_killed_mid_run_leaves_no_half_written_report(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "reports"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "hzlib.cli", "run", *PLANS, "--formats", "html", "--out", str(out), "--scheduler", cluster.scheduler_address]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    client = distributed.Client(cluster.scheduler_address)
    try:
        while not list(out.glob("*/.*staging*")) and proc.poll() is None:
            time.sleep(0.2)  # polling until a worker is writing a report (the run ends by itself otherwise)
        busy = [w for w, tasks in client.processing().items() if tasks]
        if busy and proc.poll() is None:
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)  # the worker dies mid-report
        output, _ = proc.communicate()
    finally:
        client.close()
    text = output.decode("utf-8", "replace")
    # every report either completed (on another worker) or was reported failed; none half-written
    for plan in PLANS:
        finals = [p for p in (out / plan).iterdir() if not p.name.startswith(".")] if (out / plan).exists() else []
        for folder in finals:
            assert folder.name.endswith(".failed") or _complete(folder), (folder, text)
        assert finals or plan in text, text
    assert proc.returncode in (0, 1), text
