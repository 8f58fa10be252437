"""The visitors of bench/portal_bench.py: anonymous citizens reading the public portal — home, the project list
(filtered by league, a few pages), a project page, the map's data. HALFBUILT_PORTAL_TARGET=bare sends the same
mix to the bare baseline, which answers each address with the bytes the portal gave for it."""

import json
import os
import random

from locust import FastHttpUser, between, task

from portal_paths import LEAGUES, PAGES

PROJECTS = json.loads(os.environ["HALFBUILT_PORTAL_PROJECTS"])
BARE = os.environ.get("HALFBUILT_PORTAL_TARGET") == "bare"
WAIT = float(os.environ.get("HALFBUILT_PORTAL_WAIT", "1"))


def address(path: str) -> str:
    return "/bench-bare/" + path.replace("/", "~") if BARE else path


class Citizen(FastHttpUser):
    wait_time = between(WAIT * 0.5, WAIT * 1.5)

    @task(2)
    def home(self) -> None:
        self.client.get(address("/gongkai/"), name="home")

    @task(4)
    def project_list(self) -> None:
        league, page = random.choice(LEAGUES), random.choice(PAGES)
        query = f"?region={league}&page={page}" if league else f"?page={page}"
        self.client.get(address(f"/gongkai/projects/{query}"), name="list")

    @task(4)
    def project(self) -> None:
        self.client.get(address(f"/gongkai/projects/{random.choice(PROJECTS)}/"), name="project page")

    @task(1)
    def map_data(self) -> None:
        self.client.get(address("/gongkai/map.json"), name="map data")
