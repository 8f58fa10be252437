"""The browsers of bench/load_bench.py: demo accounts signing in and reading what their work is (home, the ledger
list and a project, the dashboard, the API). Each simulated user signs in once with its own session."""

import json
import os
import random

from locust import HttpUser, between, task

ACCOUNTS = json.loads(os.environ["HALFBUILT_LOAD_ACCOUNTS"])
READERS = [a for a in ACCOUNTS if a["role"] in {"office", "department", "region", "unit"}]


class Clerk(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        account = random.choice(READERS)
        self.client.get("/accounts/login/", name="sign-in page")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post("/accounts/login/", {"username": account["username"], "password": account["password"],
                                              "csrfmiddlewaretoken": token}, name="sign in",
                         headers={"Referer": self.host + "/accounts/login/"})
        self.dashboard = account["role"] in {"office", "department", "region"}

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(5)
    def ledger(self) -> None:
        page = self.client.get("/ledger/", name="ledger list")
        ids = [part.split("/")[0] for part in page.text.split('href="/ledger/')[1:] if part[:1].isdigit()]
        if ids:
            self.client.get(f"/ledger/{random.choice(ids)}/", name="project page")

    @task(2)
    def dashboard(self) -> None:
        if self.dashboard:
            self.client.get("/dashboard/", name="dashboard")

    @task(2)
    def api(self) -> None:
        self.client.get("/api/v1/projects?limit=50", name="api projects")
