"""Security checks that run with the tests: Django's deploy check in production mode, bandit,
and a Content-Security-Policy that inline code cannot get around."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((REPO / "src" / "ankommen").glob("**/templates/**/*.html"))


def production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ANKOMMEN_", "DATABASE_", "SECURE_", "DEBUG"))
    }
    env.update(
        PYTHONPATH=str(REPO / "src"),
        DJANGO_SETTINGS_MODULE="ankommen.settings",
        ANKOMMEN_MODE="production",
        SECRET_KEY=Fernet.generate_key().decode() + "-deploy-check-only-" + os.urandom(16).hex(),
        ANKOMMEN_FIELD_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="ankommen.example",
        DATABASE_URL="sqlite:///:memory:",
        **extra,
    )
    return env


def deploy_check(**extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(
        command, env=production_env(**extra), capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_deploy_check_passes_in_production_mode():
    result = deploy_check()
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_deploy_check_fails_on_a_weakened_production_setting():
    """The check has teeth: turning off the HTTPS redirect is reported and fails."""
    result = deploy_check(SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


@pytest.mark.slow
def test_bandit_finds_no_issue_in_the_source(tmp_path: Path):
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent))
    if bandit is None:
        pytest.skip("bandit is not installed (make install)")
    report = tmp_path / "bandit.json"
    config = str(REPO / "pyproject.toml")
    command = [bandit, "-q", "-c", config, "-r", str(REPO / "src"), "-f", "json", "-o", str(report)]
    subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    findings = json.loads(report.read_text())["results"]
    assert findings == [], "\n".join(
        f"{f['filename']}:{f['line_number']} {f['test_id']} {f['issue_text']}" for f in findings
    )


def test_content_security_policy_allows_no_inline_code():
    directives = {
        part.split()[0]: part.split()[1:]
        for part in settings.CONTENT_SECURITY_POLICY.split(";")
        if part.strip()
    }
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for sources in directives.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources


@pytest.mark.django_db
def test_every_response_carries_the_policy(client):
    for path in (reverse("web:login"), "/gibt-es-nicht/", "/api/v1/persons/"):
        assert client.get(path)["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


class InlineCodeFinder(HTMLParser):
    """Finds what the policy would block: script bodies, event handler and style attributes,
    style elements, javascript: links and htmx's eval-based hx-on attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            self._in_script = True
            if "src" not in names:
                self.found.append(f"line {line}: <script> without src")
        if tag == "style":
            self.found.append(f"line {line}: <style> element")
        for name, value in names.items():
            if name.startswith(("on", "hx-on")):
                self.found.append(f"line {line}: event handler attribute {name}")
            if name == "style":
                self.found.append(f"line {line}: style attribute")
            if value.strip().lower().startswith("javascript:"):
                self.found.append(f"line {line}: javascript: URL in {name}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"line {self.getpos()[0]}: inline script body")


_TEMPLATE_COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def inline_code(text: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(_TEMPLATE_COMMENTS.sub("", text))
    finder.close()
    return finder.found


def test_the_template_scan_finds_inline_code():
    sample = """<p style="color:red" onclick="go()"><a href="javascript:go()">x</a></p>
    <script>alert(1)</script><script src="/static/x.js"></script><style>p{}</style>
    <button hx-on:click="go()">y</button>"""
    assert len(inline_code(sample)) == 7


def test_templates_hold_no_inline_code():
    assert len(TEMPLATES) >= 10
    problems = [
        f"{template.relative_to(REPO)} {problem}"
        for template in TEMPLATES
        for problem in inline_code(template.read_text())
    ]
    assert problems == []
