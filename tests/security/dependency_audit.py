"""Known vulnerabilities in the pinned dependencies (pip-audit), tolerant of having no network.

Run as ``python -m tests.security.dependency_audit`` (``make audit-deps``, part of
``make check``). Exit 1 when a pinned package has a known vulnerability. When the advisory
database cannot be reached, the audit is SKIPPED with a message and exit 0: pip-audit itself
reports "no known vulnerabilities" when it could look nothing up, which would be a false pass.

To keep traffic small, one package (Django) is looked up first; only if that works is the whole
lock file audited.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "requirements.lock"
PROBE_PACKAGE = "django"
_NETWORK_TROUBLE = re.compile(
    r"ConnectionError|Max retries exceeded|NameResolution|Name or service not known|"
    r"Temporary failure in name resolution|timed out|Failed to establish|SSLError|"
    r"ProxyError|Could not resolve|Network is unreachable",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Outcome:
    code: int  # process exit code: 0 pass or skipped, 1 vulnerable or broken
    message: str


Runner = Callable[[Path], "subprocess.CompletedProcess[str]"]


def run_pip_audit(requirements: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(requirements),
        "--no-deps",  # the lock file pins every package already
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--timeout",
        "15",
        "--format",
        "json",
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def judge(result: subprocess.CompletedProcess[str]) -> Outcome:
    """Read pip-audit's JSON report (or its failure) into pass, skip or fail."""
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        if _NETWORK_TROUBLE.search(result.stderr):
            return Outcome(0, _skipped("pip-audit could not connect: " + _last_line(result)))
        return Outcome(1, f"pip-audit failed (exit {result.returncode}): {_last_line(result)}")
    packages = report.get("dependencies", [])
    audited = [p for p in packages if "skip_reason" not in p]
    vulnerable = [p for p in audited if p.get("vulns")]
    if vulnerable:
        lines = [
            f"  {p['name']} {p['version']}: "
            + ", ".join(
                f"{v['id']} (fixed in {', '.join(v.get('fix_versions', [])) or '–'})"
                for v in p["vulns"]
            )
            for p in vulnerable
        ]
        return Outcome(
            1, "pip-audit: known vulnerabilities in pinned packages:\n" + "\n".join(lines)
        )
    if packages and not audited:
        reason = packages[0]["skip_reason"]
        return Outcome(
            0, _skipped(f"none of {len(packages)} packages could be looked up ({reason})")
        )
    unaudited = len(packages) - len(audited)
    note = f"; {unaudited} not looked up" if unaudited else ""
    return Outcome(0, f"pip-audit: no known vulnerabilities in {len(audited)} packages{note}.")


def _skipped(reason: str) -> str:
    return (
        "pip-audit: SKIPPED - the vulnerability database is unreachable from here: "
        f"{reason}. Run `make audit-deps` where the internet is reachable."
    )


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1][:300] if lines else "no output"


def audit(lock: Path = LOCK, runner: Runner = run_pip_audit) -> Outcome:
    pins = [line for line in lock.read_text().splitlines() if line and not line.startswith("#")]
    probe = [line for line in pins if line.lower().startswith(f"{PROBE_PACKAGE}==")]
    with tempfile.TemporaryDirectory() as folder:
        if probe:
            probe_file = Path(folder) / "probe.txt"
            probe_file.write_text(probe[0] + "\n")
            outcome = judge(runner(probe_file))
            if "SKIPPED" in outcome.message or outcome.code:
                return outcome
        return judge(runner(lock))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        import pip_audit  # noqa: F401
    except ImportError:
        print("pip-audit: SKIPPED - pip-audit is not installed (make install).")
        return 0
    lock = Path(argv[0]) if argv else LOCK
    outcome = audit(lock)
    print(outcome.message)
    return outcome.code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
