import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from ankommen.algorithms.placement import parse_instance, violations
from ankommen.algorithms.placement_samples import random_instance

EXAMPLE = {
    "weights": {"psychosocial": 60, "childcare": 25, "language_course": 10},
    "facilities": [
        {
            "id": "GU-BSK",
            "features": ["psychosocial", "language_course"],
            "rooms": [
                {
                    "id": "GU-BSK-101",
                    "free_beds": 4,
                    "occupied_by": None,
                    "barrier_free": True,
                    "women_only": False,
                }
            ],
        }
    ],
    "households": [
        {
            "id": "H-17",
            "needs": ["psychosocial"],
            "members": [
                {"id": "P-1", "sex": "w", "age": 31, "needs": ["wheelchair"]},
                {"id": "P-2", "sex": "m", "age": 4, "needs": []},
            ],
        }
    ],
}


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [
            sys.executable,
            str(root / "manage.py"),
            "place",
            "--instance",
            str(path),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_cli_prints_only_json_on_stdout_and_exits_0(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(EXAMPLE))
    completed = _run(path)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["objective"] == 2060
    assert result["status"] == "optimal"
    assert "Solver" in completed.stderr


def test_cli_rejects_an_invalid_instance_with_exit_2(tmp_path):
    broken = json.loads(json.dumps(EXAMPLE))
    broken["facilities"][0]["rooms"][0]["free_beds"] = -3
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(broken))
    completed = _run(path)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "free_beds" in completed.stderr
    assert "negativ" in completed.stderr


@pytest.mark.parametrize("content", ["{not json", ""])
def test_unreadable_files_exit_2(tmp_path, content):
    path = tmp_path / "instance.json"
    path.write_text(content)
    with pytest.raises(SystemExit) as exit_info:
        call_command("place", "--instance", str(path), "--format", "json")
    assert exit_info.value.code == 2


def test_missing_file_exits_2(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        call_command("place", "--instance", str(tmp_path / "nope.json"))
    assert exit_info.value.code == 2


def test_every_household_appears_once_and_the_plan_keeps_the_rules(tmp_path, capsys):
    data = random_instance(7, households=120, facilities=6, rooms=80, beds_per_person=0.7)
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    call_command("place", "--instance", str(path), "--format", "json")
    output = json.loads(capsys.readouterr().out)
    ids = [p["household"] for p in output["placements"]] + [
        u["household"] for u in output["unplaced"]
    ]
    assert sorted(ids) == sorted(h["id"] for h in data["households"])
    assert output["bound"] >= output["objective"]
    assert (output["bound"] - output["objective"]) <= 0.005 * output["bound"]
    instance = parse_instance(data)
    from ankommen.algorithms.placement import Placement, Result, RoomAssignment, Unplaced

    result = Result(
        output["objective"],
        output["bound"],
        output["status"],
        [
            Placement(
                p["household"],
                p["facility"],
                [RoomAssignment(r["room"], r["members"]) for r in p["rooms"]],
                p["reasons"],
            )
            for p in output["placements"]
        ],
        [Unplaced(u["household"], u["reason"]) for u in output["unplaced"]],
    )
    assert violations(instance, result) == []
