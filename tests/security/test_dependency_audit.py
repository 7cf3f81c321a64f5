"""The dependency audit passes, fails and — without network — skips, saying so."""

import json
import subprocess
from pathlib import Path

from tests.security import dependency_audit
from tests.security.dependency_audit import audit, judge


def finished(stdout: str = "", stderr: str = "", code: int = 0):  # type: ignore[no-untyped-def]
    return subprocess.CompletedProcess(["pip-audit"], code, stdout, stderr)


def report(*packages: dict) -> str:
    return json.dumps({"dependencies": list(packages), "fixes": []})


NOT_FOUND = {
    "name": "django",
    "skip_reason": "Dependency not found on PyPI and could not be audited",
}


def test_nothing_looked_up_is_a_skip_not_a_pass():
    # pip-audit itself says "No known vulnerabilities found" here and exits 0.
    outcome = judge(finished(report(NOT_FOUND, {**NOT_FOUND, "name": "pytest"})))
    assert outcome.code == 0
    assert "SKIPPED" in outcome.message
    assert "none of 2 packages could be looked up" in outcome.message


def test_no_connection_is_a_skip():
    stderr = "requests.exceptions.ConnectionError: Max retries exceeded with url: /pypi/django"
    outcome = judge(finished(stderr=stderr, code=1))
    assert outcome.code == 0
    assert "SKIPPED" in outcome.message


def test_a_known_vulnerability_fails_naming_package_and_advisory():
    vulnerable = {
        "name": "django",
        "version": "5.2.0",
        "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.1"]}],
    }
    outcome = judge(finished(report(vulnerable, {"name": "pytest", "version": "9.0", "vulns": []})))
    assert outcome.code == 1
    assert "django 5.2.0: PYSEC-2099-1 (fixed in 5.2.1)" in outcome.message


def test_a_clean_audit_passes():
    outcome = judge(finished(report({"name": "django", "version": "5.2.19", "vulns": []})))
    assert outcome == dependency_audit.Outcome(
        0, "pip-audit: no known vulnerabilities in 1 packages."
    )


def test_pip_audit_breaking_for_another_reason_fails():
    outcome = judge(finished(stderr="ValueError: bad requirement line", code=2))
    assert outcome.code == 1


def test_an_unreachable_probe_skips_without_auditing_every_package(tmp_path: Path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("Django==5.2.19\npytest==9.2.0\n")
    seen = []

    def runner(requirements: Path):  # type: ignore[no-untyped-def]
        seen.append(requirements.read_text())
        return finished(report(NOT_FOUND))

    outcome = audit(lock, runner)
    assert "SKIPPED" in outcome.message
    assert seen == ["Django==5.2.19\n"], "only the probe was looked up"


def test_a_reachable_database_audits_the_whole_lock_file(tmp_path: Path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("Django==5.2.19\npytest==9.2.0\n")
    seen = []

    def runner(requirements: Path):  # type: ignore[no-untyped-def]
        seen.append(requirements)
        return finished(report({"name": "django", "version": "5.2.19", "vulns": []}))

    assert audit(lock, runner).code == 0
    assert seen[-1] == lock
