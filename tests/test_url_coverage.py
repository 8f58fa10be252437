"""The check that every URL pattern is requested (tests/url_coverage.py), run on a small Django project of its own:
a whole run that never requests a pattern fails and names it, in one process and under pytest-xdist (where each
worker requested only part of the patterns); a run of some files or some tests is not failed for it."""

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
REPO = Path(__file__).resolve().parent.parent
URLS = """
from django.http import HttpResponse
from django.urls import path


def ok(request, **kwargs):
    return HttpResponse("ok")


urlpatterns = [path("asked/", ok), path("never/", ok), path("items/<int:pk>/", ok)]
"""
SETTINGS = """
SECRET_KEY = "only-for-this-test"
ROOT_URLCONF = "mini_urls"
DATABASES = {}
INSTALLED_APPS = []
MIDDLEWARE = []
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True
"""


def requesting(*paths: str) -> str:
    asked = ", ".join(repr(p) for p in paths)
    return f"""
from django.test import Client


def test_requests():
    for path in ({asked},):
        assert Client().get(path).status_code == 200
"""


@pytest.fixture
def project(pytester, monkeypatch):
    """A Django project with three patterns; first.py requests two of them, second.py is given by each test."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "mini_settings")  # pytest-django set this run's in the environment
    pytester.makeini("[pytest]\npythonpath = .\n")
    pytester.makepyfile(mini_urls=URLS, mini_settings=SETTINGS, test_first=requesting("/asked/", "/items/7/"))

    def run(second: str, *args: str):
        pytester.makepyfile(test_second=second)
        return pytester.runpytest_subprocess("-p", "tests.url_coverage", "-p", "no:cacheprovider", *args)

    return run


def test_a_pattern_no_test_requests_fails_the_whole_run_and_is_named(project):
    result = project(requesting("/asked/"))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*URL patterns that no test requested*", "  /never/",
                                 "*2 passed, 1 URL patterns never requested*"])
    assert "/asked/" not in result.stdout.str().split("URL patterns that no test requested")[1]


def test_under_xdist_the_controller_fails_the_run(project):
    result = project(requesting("/asked/"), "-n", "2", "--dist", "loadfile")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*URL patterns that no test requested*", "  /never/"])


def test_under_xdist_what_each_worker_requested_counts(project):
    result = project(requesting("/never/"), "-n", "2", "--dist", "loadfile")  # the other worker asks the rest
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize("selection", [["test_first.py"], ["-k", "first"], ["--deselect", "test_second.py"]])
def test_a_run_of_some_files_or_tests_is_not_failed_for_it(project, selection):
    result = project(requesting("/asked/"), *selection)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert "never requested" not in result.stdout.str()
