"""Shared fixtures: reference data, the world of tests/world.py (one organization and user per role, the
in_scope / elsewhere / classified projects) made for each test, and factories for disposal states.
"""

import itertools
import os

import pytest

from tests import url_coverage, world

os.environ.setdefault("HALFBUILT_TASKS_IMMEDIATE", "1")


def _password_alone() -> None:
    """Two-factor sign-in is required of the office and the administrators by default; the tests that are about
    it set the policy (tests/test_two_factor.py), the others sign in by password alone. (pytest-django has read
    the settings before this module: they are changed in place, for the whole run.)"""
    from django.conf import settings

    settings.TWO_FACTOR_ROLES = []


_password_alone()

PASSWORD = "Halfbuilt#2026"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HUEY.update({"immediate": True})
    # Public pages are kept for a minute in production; tests change the data between two requests of a page.
    settings.PUBLIC_CACHE_SECONDS = 0
    # Hashing cost is not under test; PBKDF2's 1M rounds would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _load_reference() -> None:
    from halfbuilt.accounts.setup import ensure_base_organizations
    from halfbuilt.regions.loader import load_reference_data

    load_reference_data()
    ensure_base_organizations()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is loaded once into the test database; each test's transaction rolls back over it."""
    with django_db_blocker.unblock():
        _load_reference()


@pytest.fixture
def reference(db):
    from halfbuilt.accounts.models import Organization, OrgKind
    from halfbuilt.accounts.setup import ensure_base_organizations
    from halfbuilt.regions.models import Region

    # A transactional test (live server) flushed the database, but for the reference tables (_quick_flush).
    if not Region.objects.exists():
        _load_reference()
    elif not Organization.objects.filter(kind=OrgKind.OFFICE).exists():
        ensure_base_organizations()


# The reference data (GB/T 2260 regions, categories, departments) is loaded once per test database and never
# changed by a test that commits: the flush after each transactional test leaves it.
def kept_by_flush() -> set[str]:
    """Every table of the regions app, its many-to-many tables too (a department's categories)."""
    from django.apps import apps

    return {model._meta.db_table for model in apps.get_app_config("regions").get_models(include_auto_created=True)}


@pytest.fixture(autouse=True, scope="session")
def _quick_flush():
    """The flush after a transactional test empties the tables with DELETE in one transaction (PostgreSQL's
    foreign keys are deferred to its commit) instead of TRUNCATE, which creates every table's files anew: 3 s per
    test on PostgreSQL against a few milliseconds; and it keeps the reference data, which then needs no reload."""
    from django.db import connections

    patched = []
    for connection in connections.all():
        original = connection.ops.sql_flush

        def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False, _ops=connection.ops,
                      _original=original):
            kept = kept_by_flush()
            tables = [t for t in tables if t not in kept]
            if reset_sequences or _ops.connection.vendor != "postgresql":
                return _original(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
            return [f"DELETE FROM {_ops.quote_name(table)};" for table in tables]

        connection.ops.sql_flush = sql_flush
        patched.append((connection.ops, original))
    yield
    for ops, original in patched:
        ops.sql_flush = original


@pytest.fixture
def orgs(reference):
    return world.organizations()


_user_numbers = itertools.count(1)


@pytest.fixture
def make_user(db):
    from halfbuilt.accounts.models import RoleAssignment, User

    def make(role, org, username=None):
        user = User.objects.create_user(username or f"{role}{next(_user_numbers)}", password=PASSWORD)
        RoleAssignment.objects.create(user=user, role=role, organization=org)
        return user

    return make


@pytest.fixture
def users(orgs, make_user):
    """One user per role. 'region' is Baotou's government, 'department' the autonomous region's JYT."""
    return world.users(orgs, make_user)


@pytest.fixture
def make_project(reference):
    return world.project


@pytest.fixture
def projects(make_project, orgs):
    """in_scope, elsewhere and classified: see tests/world.py."""
    return world.projects(orgs)


@pytest.fixture(scope="session")
def _initialised_sqlite_site(tmp_path_factory):
    from tests.sqlite_site import initialise

    return initialise(tmp_path_factory.mktemp("initialised"))


@pytest.fixture
def sqlite_site(_initialised_sqlite_site, tmp_path):
    """A data directory with its own SQLite file after `halfbuilt init`, for commands run in processes of their
    own (tests/sqlite_site.py); whatever database the suite runs on."""
    from tests.sqlite_site import SqliteSite

    return SqliteSite.copy_of(_initialised_sqlite_site, tmp_path / "data")


def pytest_configure(config):
    # Every URL pattern must be requested by some test: checked at the end of a whole run (tests/url_coverage.py).
    url_coverage.install(config)


@pytest.fixture(autouse=True, scope="session")
def _one_middleware_chain_per_process():
    """Each test client builds Django's middleware chain on its first request, and WhiteNoise's part of it walks
    every static file (some 75 ms): build it once per process and per MIDDLEWARE setting, and hand it to every
    client. The chain is made of the middleware objects and the handler's view-calling part, which hold no
    per-request state."""
    from django.conf import settings
    from django.test.client import ClientHandler

    original = ClientHandler.load_middleware
    built: dict = {}

    def load_middleware(self, is_async=False):
        key = (tuple(settings.MIDDLEWARE), is_async)
        first = built.get(key)
        if first is None:
            original(self, is_async)
            built[key] = self
            return
        self._view_middleware = first._view_middleware
        self._template_response_middleware = first._template_response_middleware
        self._exception_middleware = first._exception_middleware
        self._middleware_chain = first._middleware_chain

    ClientHandler.load_middleware = load_middleware
    yield
    ClientHandler.load_middleware = original


@pytest.fixture(autouse=True)
def _huey_immediate():
    """Run background tasks inline. pytest-django imports the settings before this file sets
    HALFBUILT_TASKS_IMMEDIATE, so the huey instance must be switched here."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


# --- closure (销号, 回头看) ---------------------------------------------------------------------------

@pytest.fixture
def closure_stage(db):
    """Put a project in the ledger at a disposal stage (default: disposing), bypassing the plan flow."""
    from halfbuilt.ledger.models import Project

    def move(project, stage="disposing"):
        Project.objects.filter(pk=project.pk).update(status="in_ledger", stage=stage)
        project.refresh_from_db()
        return project

    return move


@pytest.fixture
def closure_evidence(users):
    """An evidence attachment row of a project (as if uploaded earlier through the files service)."""
    from halfbuilt.files.models import Attachment

    def make(project, name="竣工验收证书.pdf"):
        return Attachment.objects.create(
            project=project, kind="evidence", file=f"attachments/{name}", original_name=name,
            content_type="application/pdf", size=64, sha256="0" * 64, uploaded_by=users["office"],
        )

    return make


# --- disposal (plans) ---
@pytest.fixture
def disposal_projects(projects):
    """The three fixture projects put into the ledger (plans need it)."""
    from halfbuilt.ledger.models import Project, Status

    Project.objects.filter(pk__in=[p.pk for p in projects.values()]).update(status=Status.IN_LEDGER)
    for project in projects.values():
        project.refresh_from_db()
    return projects


@pytest.fixture
def disposal_make_plan():
    """A plan written straight to the database (no review flow), for tests that start from a given state."""
    import datetime as dt

    from halfbuilt.disposal.methods import clean_facts
    from halfbuilt.disposal.models import Plan

    def make(project, method="revitalise", facts=None, **fields):
        defaults = {
            "method": method, "lead_unit": "东河区教育局", "responsible_person": "张三",
            "deadline": dt.date(2026, 12, 31), "facts": clean_facts(method, facts or _disposal_facts(method)),
        }
        defaults.update(fields)
        return Plan.objects.create(project=project, **defaults)

    return make


def _disposal_facts(method):
    return {
        "procedures": {"central_approval_needed": False},
        "resume": {"continuing_entity": "某建设公司", "committed_completion_date": "2026-10-01"},
        "revitalise": {"route": "debt_restructuring", "new_funds": "100", "funds_source": "专项债券"},
        "judicial": {"route": "judgment", "court": "东河区人民法院"},
        "demolish": {"cannot_legalise": True},
    }[method]


# --- progress (按月报送) ---

@pytest.fixture
def progress_report(db):
    """A progress report written straight to the database; `submitted_at` decides on time or late."""
    from decimal import Decimal

    from halfbuilt.progress.models import ProgressReport

    def make(project, period, *, submitted_at=None, status="submitted", month="0", cumulative="0", funds="0",
             physical="10"):
        return ProgressReport.objects.create(
            project=project, period=period, progress="按计划推进", physical_progress=Decimal(physical),
            investment_month=Decimal(month), investment_cumulative=Decimal(cumulative), new_funds=Decimal(funds),
            status=status, submitted_at=submitted_at, submitted_by="fixture",
        )

    return make


@pytest.fixture
def office(users):
    """A client signed in as the campaign office."""
    from django.test import Client

    client = Client()
    client.force_login(users["office"])
    return client
