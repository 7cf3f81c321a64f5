"""German is the source language of the UI; English is complete and selectable.

If a test here fails after you added or changed a UI string: run ``make messages-update``,
translate every new (empty) or ``#, fuzzy`` entry in ``src/ankommen/locale/en/LC_MESSAGES/
django.po``, remove the fuzzy mark once the translation is right, and commit the .po file
(never the .mo file; ``make install`` compiles it).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import MembershipFactory

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "src" / "ankommen"
CATALOGUE = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
HOW_TO_FIX = (
    "Run `make messages-update`, then translate these entries in "
    "src/ankommen/locale/en/LC_MESSAGES/django.po (and drop their '#, fuzzy' mark)."
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def read_catalogue(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete ``#~`` entries and the header left out)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, started, target
        if started and entry.msgid:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry.fuzzy = "fuzzy" in [flag.strip() for flag in line[2:].split(",")]
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            rest, keyword = line, ""
        elif keyword.startswith("msgstr["):
            target = ("msgstr", int(keyword[7:-1]))
        elif keyword in ("msgid", "msgid_plural", "msgctxt", "msgstr"):
            target = (keyword, 0)
        else:
            raise ValueError(f"{path}: cannot read line {raw!r}")
        started = True
        text = ast.literal_eval(rest)
        assert target is not None, f"{path}: continuation without keyword: {raw!r}"
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)
    finish()
    return entries


def test_every_message_has_an_english_translation():
    entries = read_catalogue(CATALOGUE)
    assert len(entries) > 100  # the parser read the catalogue, not an empty file

    untranslated = [
        entry.msgid
        for entry in entries
        if entry.fuzzy
        or not entry.msgstr
        or not all(text.strip() for text in entry.msgstr.values())
        or (entry.msgid_plural is not None and len(entry.msgstr) < 2)
    ]

    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated}. {HOW_TO_FIX}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_the_catalogue_holds_every_string_marked_in_the_code(tmp_path, settings, monkeypatch):
    """Extract the strings again from a copy of the code and compare with the committed file."""
    copy = tmp_path / "ankommen"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.mo"),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    call_command("makemessages", locale=["en"], add_location="never", verbosity=0)

    in_code = {entry.key for entry in read_catalogue(copy / "locale/en/LC_MESSAGES/django.po")}
    committed = {entry.key for entry in read_catalogue(CATALOGUE)}
    missing = sorted(msgid for _, msgid in in_code - committed)
    assert not missing, f"Not yet in the English catalogue: {missing}. {HOW_TO_FIX}"


@pytest.fixture
def english(tmp_path, settings):
    """Compile the committed catalogue (checking placeholders) and use it, so the test does not
    depend on a stale .mo file from an earlier ``make install``."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext (msgfmt) is not installed: apt-get install gettext")
    target = tmp_path / "locale" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(target / "django.mo"), str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt --check failed:\n{result.stderr}"
    settings.LOCALE_PATHS = [tmp_path / "locale"]


@pytest.mark.django_db
def test_german_is_the_default(client, english):
    body = client.get(reverse("web:login")).content.decode()

    assert '<html lang="de">' in body
    assert "<h1>Anmelden</h1>" in body
    assert "Benutzername" in body


@pytest.mark.django_db
def test_switching_to_english_translates_login_and_home(client, english):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("web:login")}
    )
    assert response.status_code == 302

    login = client.get(reverse("web:login")).content.decode()
    assert '<html lang="en">' in login
    assert "<h1>Log in</h1>" in login
    assert "Username" in login
    assert "Anmelden" not in login

    admin = MembershipFactory()
    client.force_login(admin.user)
    home = client.get(reverse("web:home")).content.decode()
    assert "<h1>Overview</h1>" in home
    assert "Fields of action of the integration concept" in home
    assert "Shared accommodation, places" in home
    assert "You can see 0 households" in home
    assert "Übersicht" not in home
    assert "County administration – administrator" in home  # the role in the header


@pytest.mark.django_db
def test_switching_back_to_german(client, english):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "de", "next": "/"})

    body = client.get(reverse("web:login")).content.decode()

    assert "<h1>Anmelden</h1>" in body
