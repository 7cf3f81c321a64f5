"""The documentation stays true to the code: configuration table, links, ADR index."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SETTINGS = REPO / "src" / "ankommen" / "settings.py"
README = REPO / "README.md"
DOCS = sorted([README, *(REPO / "docs").rglob("*.md")])


def _configuration_table() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_readme_documents_every_environment_variable_of_the_settings():
    read = set(re.findall(r"env\.\w+\(\s*\"([A-Z0-9_]+)\"", SETTINGS.read_text(encoding="utf-8")))
    assert "DATABASE_URL" in read  # the pattern matches how settings.py reads the environment
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", _configuration_table(), re.MULTILINE))

    missing = sorted(read - documented)
    stale = sorted(documented - read)
    assert not missing, f"Add to the configuration table in README.md: {missing}"
    assert not stale, f"README.md documents variables settings.py no longer reads: {stale}"


@pytest.mark.parametrize("page", DOCS, ids=lambda page: str(page.relative_to(REPO)))
def test_relative_links_point_to_existing_files(page):
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8"))
    broken = [
        link
        for link in links
        if "://" not in link
        and not link.startswith("mailto:")
        and not (page.parent / link).exists()
    ]
    assert not broken, f"{page.relative_to(REPO)} links to missing files: {broken}"


def test_every_decision_record_is_listed_in_the_index():
    adr = REPO / "docs" / "adr"
    index = (adr / "README.md").read_text(encoding="utf-8")
    records = sorted(path.name for path in adr.glob("[0-9][0-9][0-9][0-9]-*.md"))

    assert records, "no decision records found"
    assert [name for name in records if f"({name})" not in index] == []


def test_the_role_table_in_security_md_is_the_code():
    """docs/security.md lists which role holds which action; it must say what ROLE_ACTIONS says."""
    from ankommen.core.access import ROLE_ACTIONS, Action
    from ankommen.core.models import Role

    text = (REPO / "docs" / "security.md").read_text()
    lines = text.split("Which role holds which action", 1)[1].split("\n\n", 2)[1].splitlines()
    header = [cell.strip().strip("`") for cell in lines[0].strip("|").split("|")][1:]
    assert header == [action.value for action in Action]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    assert len(rows) == len(Role)
    for role, row in zip(Role, rows, strict=True):
        granted = {Action(value) for value, cell in zip(header, row[1:], strict=True) if cell}
        assert granted == set(ROLE_ACTIONS[role]), role
