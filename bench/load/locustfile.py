"""Locust scenario: caseworkers of a county at work. Started by ``bench/load/run.py``, which
seeds the data and writes the plan (accounts, households and names each account may see).

Every locust user works in a logged-in session of one of the plan's accounts, and mixes person
search, household pages, dashboards (home and field pages) and API reads, pausing between
requests like a person does (``ANKOMMEN_LOAD_WAIT``, seconds, default 1,3). Any answer other
than 200 counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["ANKOMMEN_LOAD_PLAN"]).read_text())
SEATS = itertools.cycle(PLAN["seats"])
WAIT = [float(part) for part in os.environ.get("ANKOMMEN_LOAD_WAIT", "1,3").split(",")]


class Caseworker(HttpUser):
    wait_time = between(WAIT[0], WAIT[1])

    def on_start(self) -> None:
        # A session made by run.py (as after a form login): fifty Argon2 logins in the first
        # seconds would measure a login storm, not a working day.
        seat = next(SEATS)
        self.account = PLAN["accounts"][seat["account"]]
        self.client.cookies.set(PLAN["session_cookie"], seat["session"])
        self.api = {"Authorization": f"Token {self.account['token']}"}

    def _get(self, path: str, name: str, **kwargs: Any) -> None:
        with self.client.get(path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/konto/anmelden/" in response.url:
                response.failure("session lost: sent back to the login page")

    @task(30)
    def search(self) -> None:
        self._get("/suche/", "search", params={"q": random.choice(self.account["queries"])})

    @task(25)
    def household(self) -> None:
        self._get(f"/haushalte/{random.choice(self.account['households'])}/", "household")

    @task(10)
    def home(self) -> None:
        self._get("/", "home")

    @task(8)
    def field_page(self) -> None:
        self._get(f"/bereiche/{random.choice(PLAN['fields'])}/", "field")

    @task(12)
    def api_persons(self) -> None:
        offset = random.randrange(max(1, min(self.account["persons"], 5000)))
        self._get(f"/api/v1/persons/?limit=50&offset={offset}", "api persons", headers=self.api)

    @task(8)
    def api_household(self) -> None:
        household = random.choice(self.account["households"])
        self._get(f"/api/v1/households/{household}/", "api household", headers=self.api)

    @task(7)
    def api_search(self) -> None:
        query = random.choice(self.account["queries"])
        self._get("/api/v1/search/", "api search", params={"q": query}, headers=self.api)
