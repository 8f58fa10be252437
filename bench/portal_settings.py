"""The product's settings with bench/portal_urls.py (the portal and its bare baseline on one server)."""

from halfbuilt.config.settings import *  # noqa: F403
from halfbuilt.config.settings import ALLOWED_HOSTS

ROOT_URLCONF = "bench.portal_urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
