"""The product's settings plus what the benchmarks compare against: the Django admin and django-import-export.

The product's URLconf does not expose the admin; the list benchmark needs its changelist on the same data.
"""

from halfbuilt.config.settings import *  # noqa: F403
from halfbuilt.config.settings import ALLOWED_HOSTS, INSTALLED_APPS

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "import_export"]
# Django's test Client talks to "testserver"; the benchmarks time requests in-process with it.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# The benchmarks time pages of signed-in users (Client.force_login), not the sign-in: no second factor asked.
TWO_FACTOR_ROLES: list[str] = []
