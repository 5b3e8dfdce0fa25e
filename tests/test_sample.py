"""Tests of the sample-data generator (hzsample.generate)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hzlib.contracts import LEDGER_COLUMNS, PROGRESS_COLUMNS
from hzsample import (
    SAMPLE_PLAN_IDS,
    SYNTHETIC_SOURCE,
    SampleSpec,
    generate_ledger,
    generate_sample,
    write_sample,
)


@pytest.fixture(scope="module")
def samples():
    return {p: generate_sample(p) for p in SAMPLE_PLAN_IDS}


def _digest(folder: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


@pytest.mark.parametrize("plan", SAMPLE_PLAN_IDS)
def test_same_seed_same_bytes(plan, tmp_path):
    a = write_sample(plan, tmp_path / "a")
    b = write_sample(plan, tmp_path / "b")
    assert _digest(a) == _digest(b)
    assert {"ledger.csv", "progress.csv", "indicators.csv", "profiles.csv", "README.md"} <= set(_digest(a))
    assert sum(f.stat().st_size for f in a.iterdir()) < 300_000


def test_different_seed_differs():
    spec = SampleSpec.load("xian-port-2023")
    other = SampleSpec.load("xian-port-2023")
    other.seed += 1
    a = generate_sample(spec).ledger
    b = generate_sample(other).ledger
    assert not a["annual_plan"].equals(b["annual_plan"])


def test_contract_columns(samples):
    for data in samples.values():
        assert list(data.ledger.columns) == [c.id for c in LEDGER_COLUMNS]
        assert list(data.progress.columns) == [c.id for c in PROGRESS_COLUMNS]
        assert data.ledger["project_id"].is_unique
        assert data.ledger["name"].is_unique
        assert (data.ledger["total_investment"] >= data.ledger["annual_plan"]).all()


@pytest.mark.parametrize("plan", SAMPLE_PLAN_IDS)
def test_counts_per_unit_match_spec(samples, plan):
    data = samples[plan]
    key = data.ledger
    if data.spec.extra_batches:  # 四个一批 谋划/储备 rows are outside the key-project list
        key = key[~key["batch"].isin(["plan", "reserve"])]
    got = key.groupby("unit").agg(n=("project_id", "size"), new=("is_new_start", "sum"), plan=("annual_plan", "sum"))
    for u in data.spec.units:
        assert got.loc[u.unit, "n"] == u.projects, u.unit
        if u.new_starts is not None:
            assert got.loc[u.unit, "new"] == u.new_starts, u.unit
        if u.annual_plan is not None:
            assert got.loc[u.unit, "plan"] == pytest.approx(u.annual_plan, abs=1e-6), u.unit
    for lv in data.spec.levels:
        sub = key[key["level"] == lv.level]
        if lv.projects is not None:
            assert len(sub) == lv.projects
            assert int(sub["is_new_start"].sum()) == lv.new_starts
        if lv.annual_plan is not None:
            assert sub["annual_plan"].sum() == pytest.approx(lv.annual_plan, abs=1e-6)
        if lv.new_start_annual_plan is not None:
            assert sub.loc[sub["is_new_start"], "annual_plan"].sum() == pytest.approx(lv.new_start_annual_plan, abs=1e-6)


def test_ankang_real_figures_exact(samples):
    data = samples["ankang-2019"]
    led, prog = data.ledger, data.progress
    assert len(led) == 200 and int(led["is_new_start"].sum()) == 87
    assert led["annual_plan"].sum() == 4900882
    h1 = prog.loc[prog["month"] == "2019-06", "completed_cum"]
    assert abs(round(float(h1.sum()), 2) - 2392000) <= 0.005
    new = led[led["is_new_start"]]
    assert int(new["actual_start"].isna().sum()) == 17
    assert (new["actual_start"].dropna() <= pd.Timestamp("2019-06-30")).all()
    ind = data.indicators
    real = ind[(ind["jurisdiction"] == "安康市") & (ind["period"] == "2019-06") & (ind["indicator"] == "fai")]
    assert len(real) == 1 and real["cum_yoy"].iloc[0] == pytest.approx(0.092)
    assert real["source"].iloc[0] == "安政办发〔2019〕36号"
    assert (ind.drop(real.index)["source"] == SYNTHETIC_SOURCE).all()


def test_ankang_file_real_figures(tmp_path):
    folder = write_sample("ankang-2019", tmp_path)
    raw = (folder / "ledger.csv").read_bytes()
    text = raw.decode("gbk")
    assert text.splitlines()[0].startswith("2019年安康市市级重点项目台账")
    led = pd.read_csv(folder / "ledger.csv", encoding="gbk", skiprows=1, dtype=str)
    assert len(led) == 200
    prog = pd.read_csv(folder / "progress.csv", dtype={"月份": str})
    assert abs(prog.loc[prog["月份"] == "2019-06", "累计完成投资（万元）"].sum() - 2392000) < 0.005
    ind = pd.read_csv(folder / "indicators.csv", dtype={"期别": str})
    row = ind[(ind["地区"] == "安康市") & (ind["期别"] == "2019-06") & (ind["指标"] == "fai")]
    assert row["累计同比增速（%）"].iloc[0] == 9.2
    assert "示意数据，非真实统计" in (folder / "README.md").read_text(encoding="utf-8")


def test_progress_non_decreasing_and_zero_before_start(samples):
    for data in samples.values():
        led, prog = data.ledger, data.progress
        m = prog["completed_cum"].to_numpy().reshape(len(led), -1)
        assert (np.diff(m, axis=1) >= -1e-9).all()
        assert (m >= 0).all()
        not_started = led["actual_start"].isna().to_numpy()
        assert (m[not_started] == 0).all()
        start = led["actual_start"]
        this_year = (start.dt.year == data.spec.year).to_numpy()
        months = np.arange(1, m.shape[1] + 1)
        before = this_year[:, None] & (months[None, :] < start.dt.month.fillna(13).to_numpy()[:, None])
        assert (m[before] == 0).all()


def test_hanzhong_2022_five_classes(samples):
    led = samples["hanzhong-2022"].ledger
    assert set(led["batch"]) == {"plan", "reserve", "start", "advance", "complete"}
    y = 2022
    sy, cy = led["planned_start"].dt.year, led["planned_completion"].dt.year
    b = led["batch"]
    assert sy[b == "plan"].between(y + 2, y + 3).all()
    assert (sy[b == "reserve"] == y + 1).all()
    assert (sy[b == "start"] == y).all()
    # new starts planned to complete within the year belong to 开工 and 竣工 at once (spec: 2 of them)
    assert (cy[b == "start"] == y).sum() == 2 and (cy[b == "start"] >= y).all()
    assert (sy[b == "advance"] < y).all() and (cy[b == "advance"] > y).all()
    assert (cy[b == "complete"] == y).all() and (sy[b == "complete"] < y).all()
    assert (led["total_investment"] < 10000).sum() >= 2
    # the three foreign projects of the spec carry their 万美元 amount in its own column
    usd = led.loc[led["total_investment_usd"].notna()]
    assert (usd["ownership"] == "foreign").all()
    assert {6000.0, 3000.0, 1200.0} <= set(usd["total_investment_usd"])
    assert (usd["total_investment"] == (usd["total_investment_usd"] * 6.7).round(2)).sum() >= 3
    assert "汉中城固机场二期" in set(led["name"])


def test_zhenba_and_hanzhong_2023_shape(samples):
    z = samples["zhenba-2024"].ledger
    assert (z["batch"] == "plan").sum() == 50 and (z["batch"] == "reserve").sum() == 30
    assert (z["batch"] == "complete").sum() == 16
    signed = z[z["is_signed"].fillna(False).astype(bool)]
    assert 0.75 <= signed["land_approved"].astype(bool).mean() <= 0.85
    h = samples["hanzhong-2023"].ledger
    share = h.loc[h["ownership"] == "private", "annual_plan"].sum() / h["annual_plan"].sum()
    assert 0.25 <= share <= 0.4
    assert h["chain"].replace("", np.nan).nunique() == 16 and (h["chain"] == "").any()


def test_generate_100k():
    ledger, progress = generate_ledger(100_000, 2024, seed=7, months=12)
    assert len(ledger) == 100_000 and len(progress) == 1_200_000
    assert ledger["project_id"].is_unique
    m = progress["completed_cum"].to_numpy().reshape(len(ledger), 12)
    assert (np.diff(m, axis=1) >= -1e-9).all()


def test_infrastructure_projects_carry_the_stated_share_of_the_plan(samples):
    """港务区: 基础设施 key projects carry about 7% of the annual plan (the spec), never more, and
    short of it by less than one project; every other sector keeps its projects."""
    spec = SampleSpec.load("xian-port-2023")
    led = samples["xian-port-2023"].ledger
    active = led["annual_plan"] > 0
    infra = led.loc[active & (led["sector"] == "基础设施"), "annual_plan"].sum()
    amount = spec.infrastructure_plan_share * led.loc[active, "annual_plan"].sum()
    assert amount - led.loc[active, "annual_plan"].max() < infra <= amount
    assert set(led.loc[~led["is_industry"], "sector"]) <= {"基础设施", "社会事业", "生态环保"}


def test_rewriting_a_sample_keeps_what_it_replaces_and_undo_brings_it_back(tmp_path, capsys):
    from hzlib.cli import main

    folder = write_sample("xian-port-2023", tmp_path)
    assert not (folder / ".history").exists()  # a new folder: nothing to keep
    edited = (folder / "ledger.csv").read_bytes() + "\n".encode("gbk")
    (folder / "ledger.csv").write_bytes(edited)
    (folder / "mapping.yaml").write_text("headers: {}\n", encoding="utf-8")
    write_sample("xian-port-2023", tmp_path, clean=True)
    assert not (folder / "mapping.yaml").exists() and (folder / "ledger.csv").read_bytes() != edited
    assert main(["import", "--undo", "--plan", "xian-port-2023", "--data", str(folder)]) == 0
    assert (folder / "ledger.csv").read_bytes() == edited
    assert (folder / "mapping.yaml").read_text(encoding="utf-8") == "headers: {}\n"
    write_sample("xian-port-2023", tmp_path)  # the same bytes again are written without a new snapshot
    before = sorted((folder / ".history").iterdir())
    write_sample("xian-port-2023", tmp_path)
    assert sorted((folder / ".history").iterdir()) == before
