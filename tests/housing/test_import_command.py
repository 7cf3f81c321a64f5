"""The ``ankommen import-allocations`` command, run as a real process: exit codes and a
stdout that holds only JSON with ``--format json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ankommen.algorithms.allocation_samples import sample_rows, to_csv
from tests.housing.allocation_support import csv_file, family, row, to_xlsx

REPO = Path(__file__).resolve().parents[2]
MANAGE = REPO / "manage.py"


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """A migrated SQLite database file with one county and a function running the command."""
    folder = tmp_path_factory.mktemp("cli")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "PYTHONPATH": str(REPO / "src"),
        "ANKOMMEN_MODE": "development",
    }

    def manage(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(MANAGE), *args],
            env=env,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    manage("migrate", "--verbosity", "0")
    manage(
        "shell",
        "-c",
        "from ankommen.core.models import County; "
        "County.objects.create(slug='test-kreis', name='Testkreis', official_key='99999', "
        "state='Brandenburg')",
    )

    def run(
        content: bytes, name: str, *args: str, county: str = "test-kreis"
    ) -> subprocess.CompletedProcess[str]:
        path = folder / name
        path.write_bytes(content)
        return manage("import-allocations", str(path), "--county", county, *args, check=False)

    return run


def test_json_success_then_repeat(cli):
    first = cli(csv_file(), "liste.csv", "--format", "json")
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert result["status"] == "imported"
    assert result["persons_created"] == 4
    assert result["households_created"] == 2
    assert result["errors"] == []

    repeat = cli(csv_file(), "liste.csv", "--format", "json")
    assert repeat.returncode == 0
    again = json.loads(repeat.stdout)
    assert again["status"] == "already_imported"
    assert again["persons_created"] == 0


def test_json_errors_are_a_list_and_exit_1(cli):
    rows = family()
    rows[0]["Geschlecht"] = "q"
    rows[3]["Staatsangehörigkeit"] = "Atlantis"
    done = cli(to_xlsx(rows), "fehler.xlsx", "--format", "json")
    assert done.returncode == 1
    errors = json.loads(done.stdout)
    assert isinstance(errors, list)
    assert [(e["line"], e["column"]) for e in errors] == [
        (2, "Geschlecht"),
        (5, "Staatsangehörigkeit"),
    ]
    assert all(set(e) == {"line", "column", "message"} for e in errors)


def test_dry_run_in_text_format(cli):
    done = cli(csv_file([row(Zuweisungsnummer="T-1", Haushalt="T")]), "t.csv", "--dry-run")
    assert done.returncode == 0
    assert "gültig" in done.stdout
    again = cli(csv_file([row(Zuweisungsnummer="T-1", Haushalt="T")]), "t.csv", "--format", "json")
    assert json.loads(again.stdout)["status"] == "imported"  # the dry run wrote nothing


def test_text_errors_name_line_and_column(cli):
    done = cli(csv_file([row(Zuweisungsnummer="E-1", Ankunft="gestern")]), "e.csv")
    assert done.returncode == 1
    assert "Zeile 2, Spalte Ankunft: „gestern“ ist kein Datum" in done.stdout


def test_unknown_county_exits_2_with_json_on_stdout(cli):
    done = cli(csv_file(), "x.csv", "--format", "json", county="nirgends")
    assert done.returncode == 2
    assert "nirgends" in json.loads(done.stdout)[0]["message"]


def test_large_file_shows_progress_on_stderr_only(cli):
    content = to_csv(sample_rows(2000, seed=11))
    done = cli(content, "gross.csv", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["persons_created"] == 2000
    assert "Import" in done.stderr
    assert "Zeilen" in done.stderr
