import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _series_csv(path: Path, months: int = 60, seed: int = 11) -> Path:
    rng = np.random.default_rng(seed)
    values = np.exp(5 + np.cumsum(rng.normal(0, 0.15, months)))
    rows = ["month,value"] + [
        f"{2017 + i // 12}-{i % 12 + 1:02d},{round(v)}" for i, v in enumerate(values)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "forecast", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def _fail(*args: str) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("forecast", *args, stdout=StringIO(), stderr=err)
    assert caught.value.code == 2
    return err.getvalue()


def test_json_output_is_exactly_the_documented_document(tmp_path):
    completed = _run("--series", str(_series_csv(tmp_path / "s.csv")), "--horizon", "4",
                     "--format", "json")  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)  # stdout holds the JSON and nothing else
    assert set(result) == {"horizon", "method", "forecast", "backtest"}
    assert result["horizon"] == 4
    assert isinstance(result["method"], str)
    assert result["method"]
    assert [m["month"] for m in result["forecast"]] == ["2022-01", "2022-02", "2022-03", "2022-04"]
    for month in result["forecast"]:
        assert set(month) == {"month", "mean", "lo80", "hi80", "lo95", "hi95"}
        assert month["lo95"] <= month["lo80"] <= month["mean"] <= month["hi80"] <= month["hi95"]
    assert set(result["backtest"]) == {"origins", "mase", "mase_naive", "coverage80", "coverage95"}
    assert result["backtest"]["origins"] == 24
    assert all(isinstance(v, int | float) for v in result["backtest"].values())


def test_text_output_shows_naive_and_the_backtest(tmp_path):
    out = StringIO()
    call_command("forecast", "--series", str(_series_csv(tmp_path / "s.csv")),
                 "--horizon", "2", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "naiv" in text
    assert "2022-01" in text
    assert "2022-02" in text
    assert "2022-03" not in text
    assert "Back-Test über 24 Ursprünge: MASE" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("monat,wert\n2020-01,1\n", "Zeile 1: Kopfzeile „month,value“ erwartet"),
        ("month,value\n2020-01,1\n2020-03,2\n", "Zeile 3: Lücke vor 2020-03: es fehlt 2020-02."),
        ("month,value\n2020-01,1\n2020-01,2\n", "Zeile 3: Monat 2020-01 kommt doppelt vor"),
        ("month,value\n2020-01,1\n2020-02,-2\n", "Zeile 3: Wert -2 ist negativ."),
        ("month,value\n2020-01,1\n2020-02,viele\n", "Zeile 3: Wert „viele“ ist keine Zahl."),
        ("month,value\n2020-01,1\n", "Die Reihe hat 1 Monate; für Prognose und Back-Test"),
    ],
)
def test_bad_input_exits_2_naming_the_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    err = _fail("--series", str(path), "--horizon", "3", "--format", "json")
    assert message in err


def test_a_series_too_short_for_the_horizon_exits_2(tmp_path):
    path = _series_csv(tmp_path / "s.csv", months=40)
    err = _fail("--series", str(path), "--horizon", "12")
    assert "Die Reihe hat 40 Monate; für einen Horizont von 12 Monaten sind mindestens 41" in err


def test_missing_file_and_bad_horizon_exit_2(tmp_path):
    assert "gibt es nicht" in _fail("--series", str(tmp_path / "nope.csv"), "--horizon", "3")
    good = str(_series_csv(tmp_path / "s.csv"))
    for horizon in ("0", "25", "sechs"):
        assert "--horizon muss eine ganze Zahl von 1 bis 24 sein" in _fail(
            "--series", good, "--horizon", horizon
        )
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("month,value\n2020-01,1 Ä\n".encode("latin-1"))
    assert "keine lesbare UTF-8-Textdatei" in _fail("--series", str(latin1), "--horizon", "3")


def test_cli_rejects_bad_input_with_exit_2_and_empty_stdout(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("month,value\n2020-01,1\n2020-02,1\n2020-04,3\n", encoding="utf-8")
    completed = _run("--series", str(path), "--horizon", "3", "--format", "json")
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Zeile 4: Lücke vor 2020-04: es fehlt 2020-03." in completed.stderr
