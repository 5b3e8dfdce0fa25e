"""Reproducible to the byte: two renders of the same inputs give the same bytes in every file
(executed notebooks, every HTML page, the PDF, the Excel workbook, the index, the cache records);
``manifest.json`` differs only in its run times (the ``run`` field, see :mod:`hzlib.manifest`).
``hz rerun MANIFEST`` renders a report again and says whether every byte matched."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from hzlib.cli import main
from hzlib.cli.rerun import FileMatch, compare_folders, input_changes
from hzlib.manifest import RUN_FIELD, FileDigest, Software, build_manifest, comparable
from hzlib.paths import project
from hzlib.render.pdf import pdf_available
from hzlib.run import main_run
from hzlib.runner.kernel import parameters_cell_id
from hzlib.runner.keys import InputDigest, digest_inputs

PLAN, QUARTER = "ankang-2019", "2019Q2"
FORMATS = ("html", "pdf", "xlsx") if pdf_available() else ("html", "xlsx")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` → its sha256 (a manifest: the sha256 of its content without run times)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        if p.name == "manifest.json":
            text = json.dumps(comparable(json.loads(p.read_text(encoding="utf-8"))), sort_keys=True)
            out[p.relative_to(folder).as_posix()] = hashlib.sha256(text.encode()).hexdigest()
        else:
            out[p.relative_to(folder).as_posix()] = _sha(p)
    return out


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    a, b = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    for out in (a, b):
        assert main_run([PLAN], QUARTER, out, FORMATS, None, jobs=1, force=True) == 0
    return a, b


def test_two_renders_give_the_same_bytes_in_every_file(renders: tuple[Path, Path]) -> None:
    a, b = renders
    ta, tb = _tree(a), _tree(b)
    report = f"{PLAN}/{QUARTER}"
    expected = {
        "index.html",
        f"{report}/manifest.json",
        f"{report}/bulletin.html",
        f"{report}/bulletin.xlsx",
        f"{report}/quarterly_report.ipynb",
        f"{report}/01_targets.html",
        f"{report}/04_scoring.ipynb",
    }
    assert expected <= set(ta)
    assert sorted(ta) == sorted(tb)
    differ = [name for name in ta if ta[name] != tb[name]]
    assert differ == []
    # the run times are the only difference, and they are in the manifest
    ma = json.loads((a / report / "manifest.json").read_text(encoding="utf-8"))
    mb = json.loads((b / report / "manifest.json").read_text(encoding="utf-8"))
    assert set(ma[RUN_FIELD]) == {"started", "finished", "seconds"} and comparable(ma) == comparable(mb)


@pytest.mark.skipif(not pdf_available(), reason="no PDF engine (WeasyPrint or Chromium): the PDF is not rendered")
def test_two_renders_give_the_same_pdf(renders: tuple[Path, Path]) -> None:
    a, b = renders
    pdf = Path(PLAN) / QUARTER / "bulletin.pdf"
    assert (a / pdf).read_bytes()[:5] == b"%PDF-"
    assert _sha(a / pdf) == _sha(b / pdf)
    assert b"CreationDate (D:2026" not in (a / pdf).read_bytes()


def test_the_injected_parameters_cell_id_is_derived_from_the_parameters(renders: tuple[Path, Path]) -> None:
    a, _ = renders
    folder = a / PLAN / QUARTER
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    nb = nbformat.read(folder / "01_targets.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and injected[0].id == parameters_cell_id(manifest["parameters"])
    assert nb.metadata.papermill.input_path == "notebooks/01_targets.ipynb"  # no machine path
    html = (folder / "01_targets.html").read_text(encoding="utf-8")
    assert f'id="cell-id={injected[0].id}"' in html


def test_the_manifest_records_the_lock_file_the_version_and_the_inputs(renders: tuple[Path, Path]) -> None:
    a, _ = renders
    m = json.loads((a / PLAN / QUARTER / "manifest.json").read_text(encoding="utf-8"))
    lock = project().root / "requirements.lock"
    assert m["lock"] == {"file": "requirements.lock", "sha256": _sha(lock)}
    assert m["hzlib_version"] == m["versions"]["hzlib"]
    assert m["inputs"]["data/ledger"] == {"file": "ledger.csv", "sha256": _sha(project().data_dir / PLAN / "ledger.csv")}
    assert m["inputs"]["notebooks/quarterly_report.ipynb"]["sha256"] == _sha(project().notebook_dir / "quarterly_report.ipynb")
    assert m["quarter_asked"] == QUARTER and len(m["key"]) == 64


def test_the_manifest_is_a_pure_function_of_its_arguments() -> None:
    plan = SimpleNamespace(title="某计划", jurisdiction="某县")
    period = SimpleNamespace(label=lambda: "2024Q2")
    model = SimpleNamespace(
        period=period,
        coverage=SimpleNamespace(end=None),
        partial=False,
        assumed=False,
        overall_status="met",
        summary={"met": 1},
        illustrative=True,
        monthly=None,
    )
    args = dict(
        plan_id="p",
        plan=plan,
        model=model,
        quarter="2024Q2",
        quarter_asked="latest",
        scenario=None,
        parameters={"plan": "p"},
        formats=("html",),
        key=None,
        inputs={"plan": FileDigest("p.yaml", "ab")},
        data_folder="p",
        software=Software("1.0", {"hzlib": "1.0"}, "cd", None),
        started=dt.datetime(2024, 7, 1, 8, 0, 0, tzinfo=dt.UTC),
        finished=dt.datetime(2024, 7, 1, 8, 0, 12, 500000, tzinfo=dt.UTC),
    )
    m = build_manifest(**args)  # type: ignore[arg-type]
    assert m == build_manifest(**args)  # type: ignore[arg-type]
    assert m["run"] == {"started": "2024-07-01T08:00:00+00:00", "finished": "2024-07-01T08:00:12+00:00", "seconds": 12.5}
    assert m["lock"] == {"file": "requirements.lock", "sha256": "cd"} and m["inputs"] == {"plan": {"file": "p.yaml", "sha256": "ab"}}
    assert build_manifest(**(args | {"software": Software("1.0")}))["lock"] is None  # type: ignore[arg-type]


def test_input_changes_name_each_changed_missing_and_new_file(tmp_path: Path) -> None:
    digest = InputDigest({"plan": tmp_path / "p.yaml", "mapping": tmp_path / "mapping.yaml"}, {"plan": "new", "mapping": "m"}, {"01_targets.ipynb": "n1"})
    recorded = {
        "plan": {"file": "p.yaml", "sha256": "old"},
        "data/ledger": {"file": "ledger.csv", "sha256": "l"},
        "notebooks/01_targets.ipynb": {"file": "01_targets.ipynb", "sha256": "n1"},
    }
    assert input_changes(recorded, digest) == [
        "data/ledger（ledger.csv）：文件已不存在",
        "mapping（mapping.yaml）：manifest 中没有记录，是新增的输入文件",
        "plan（p.yaml）：内容已变化",
    ]
    same = {"plan": {"file": "p.yaml", "sha256": "new"}, "mapping": {"file": "mapping.yaml", "sha256": "m"}}
    assert input_changes(same, digest) == []


def test_compare_folders_names_what_differs(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.html").write_text("1")
    (b / "x.html").write_text("1")
    (a / "y.pdf").write_text("1")
    (b / "y.pdf").write_text("2")
    (a / "only.xlsx").write_text("1")
    (a / "manifest.json").write_text(json.dumps({"plan": "p", "run": {"started": "x"}}))
    (b / "manifest.json").write_text(json.dumps({"plan": "p", "run": {"started": "y"}}))
    assert compare_folders(a, b) == [
        FileMatch("manifest.json", True),
        FileMatch("only.xlsx", False, "重新生成的通报中没有此文件"),
        FileMatch("x.html", True),
        FileMatch("y.pdf", False),
    ]
    (b / "manifest.json").write_text(json.dumps({"plan": "q", "run": {}}))
    assert compare_folders(a, b)[0] == FileMatch("manifest.json", False, "字段 plan 不同")


def test_rerun_reproduces_the_report_byte_for_byte(renders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, _ = renders
    manifest = a / PLAN / QUARTER / "manifest.json"
    assert main(["rerun", str(manifest), "--output", str(tmp_path / "again")]) == 0
    out = capsys.readouterr().out
    assert "输入未变化" in out and "✗" not in out
    assert "✓ 相同  bulletin.html" in out and "✓ 相同  bulletin.xlsx" in out
    assert "与原通报逐字节相同" in out
    assert _tree(tmp_path / "again" / PLAN / QUARTER) == _tree(a / PLAN / QUARTER)


def test_rerun_names_changed_inputs_and_renders_nothing(renders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, _ = renders
    copy = tmp_path / "reports" / PLAN / QUARTER
    shutil.copytree(a / PLAN / QUARTER, copy)
    m = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    m["inputs"]["data/ledger"]["sha256"] = "0" * 64
    (copy / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    assert main(["rerun", str(copy / "manifest.json")]) == 1
    out = capsys.readouterr().out
    assert "data/ledger（ledger.csv）：内容已变化" in out and "--allow-changed-inputs" in out
    assert not (tmp_path / "reports" / ".rerun").exists()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("not json", "不是 manifest.json（第 1 行不是有效的 JSON）"),
        ("[1]", "应为 JSON 对象"),
        ('{"plan": "x"}', "缺少字段 quarter、parameters、formats、inputs"),
        (
            '{"plan": "x", "quarter": "2024Q2", "parameters": {"plan": "nosuch", "quarter": "2024Q2"}, "formats": ["html"], "inputs": {}}',
            "本项目没有计划 'nosuch'",
        ),
    ],
)
def test_rerun_of_a_bad_manifest_is_one_message_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(text, encoding="utf-8")
    assert main(["rerun", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert main(["rerun", str(tmp_path / "nothing")]) == 2
    assert "找不到" in capsys.readouterr().err


def test_rerun_refuses_to_overwrite_the_original(renders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, _ = renders
    assert main(["rerun", str(a / PLAN / QUARTER / "manifest.json"), "--output", str(a)]) == 2
    assert "会覆盖原通报" in capsys.readouterr().err


def test_importing_the_runner_and_the_papermill_plugin_changes_nothing() -> None:
    code = (
        "import sys; sys.argv[0] = 'papermill'; import hzlib.papermill_plugin, hzlib.runner.kernel, hzlib.run; "
        "print(sys.excepthook is sys.__excepthook__, 'rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]
    # the hzpdf exporter: importing it (as nbconvert's entry points do) leaves the hook alone; the
    # exporter nbconvert makes sets it, so that an hzlib error is one line in that command
    code = (
        "import sys; sys.argv[0] = 'jupyter-nbconvert'; import hzlib.render.exporter as e; a = sys.excepthook is sys.__excepthook__; "
        "e.BulletinPDFExporter(); print(a, sys.excepthook is sys.__excepthook__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]


def test_the_digest_hashes_what_the_key_and_the_manifest_use() -> None:
    d = digest_inputs(PLAN)
    assert d.sha256["plan"] == _sha(d.files["plan"]) and set(d.sha256) == set(d.files)
    assert "quarterly_report.ipynb" in d.notebooks
