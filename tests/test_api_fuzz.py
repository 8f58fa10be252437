"""schemathesis against the API's own OpenAPI schema, through the WSGI application (no server): every operation,
with every demo role's token, every built-in check. No answer may be a server error, and every answer must match
the schema (status declared, body of its shape). Budget: MAX_EXAMPLES per operation keeps a run under a minute."""

import itertools
import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from halfbuilt.accounts.models import ApiToken
from halfbuilt.api.api import api

# The demo's roles: 领导小组办公室, 行业主管部门, 盟市 (and a county), 责任单位, the three administrators.
ROLES = ["office", "department", "region", "county", "unit", "sysadmin", "secadmin", "auditor"]
MAX_EXAMPLES = 2
_turns = itertools.count()


# A request the schema admits may still break a business rule the schema cannot state (a region that exists, a
# project in the ledger, a plan's method facts): those answer 400 or 422 with the rule in Chinese, by design.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", 400, 401, 403, 404, 409, 422]}}})
# Loaded when the module is collected, from the code that generates it (its address needs a signed-in user, and
# there is no database yet to hold one); the cases are then sent to the WSGI application.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), default=str)), config=CONFIG)
schema.app = get_wsgi_application()
schema.location = "/api/v1/openapi.json"


@pytest.fixture(autouse=True)
def _requests_keep_the_test_transaction():
    """As Django's test client does: the WSGI handler closes the connection after each request, which would end
    the test's transaction (on PostgreSQL; SQLite's in-memory database ignores it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(users, disposal_projects) -> dict[str, str]:
    return {role: ApiToken.issue(users[role]) for role in ROLES}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck), database=None)
def test_no_server_error_and_answers_match_the_schema(case, tokens):
    # The roles take turns, case by case: each operation's cases (its coverage phase gives it a dozen or more)
    # reach it with every role's token, at an eighth of the requests of sending each case as every role.
    role = ROLES[next(_turns) % len(ROLES)]
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"})
