"""Settings come from the environment: production mode passes `check --deploy`, DATABASE_URL selects
PostgreSQL, everything else lives under HALFBUILT_DATA_DIR."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

PRODUCTION = {
    "HALFBUILT_MODE": "production",
    "HALFBUILT_SECRET_KEY": "k7#Qv9!mZ2@xP4$wL8^rT1&yN6*bC3(dF5)hJ0-sG9+eU2=aK7",
    "HALFBUILT_ALLOWED_HOSTS": "ledger.example.gov.cn",
    "HALFBUILT_FIELD_KEY": "5f" * 32,
}


def halfbuilt(tmp_path, *args: str, env: dict | None = None, code: str | None = None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("HALFBUILT_", "DATABASE_URL", "DJANGO_"))}
    environ.update({"HALFBUILT_DATA_DIR": str(tmp_path / "data"), **(env or {})})
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "halfbuilt", *args]
    return subprocess.run(command, env=environ, cwd=tmp_path, capture_output=True, text=True, timeout=120)


SHOW = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "halfbuilt.config.settings"
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
                  "retention": settings.AUDIT_RETENTION_DAYS, "debug": settings.DEBUG,
                  "data_dir": str(settings.DATA_DIR), "huey": settings.HUEY.get("filename", "")}))
"""


def show(tmp_path, env=None) -> dict:
    result = halfbuilt(tmp_path, env=env, code=SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_mode_passes_check_deploy(tmp_path):
    result = halfbuilt(tmp_path, "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_development_mode_would_fail_check_deploy(tmp_path):
    """The test above proves something: without the production profile the deploy checks complain."""
    result = halfbuilt(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = halfbuilt(tmp_path, "check", env={"HALFBUILT_MODE": "production"})
    assert result.returncode != 0
    assert "HALFBUILT_SECRET_KEY" in result.stderr


def test_default_database_is_sqlite_under_the_data_directory(tmp_path):
    values = show(tmp_path)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str((tmp_path / "data" / "halfbuilt.sqlite3").resolve())
    assert values["huey"].startswith(str((tmp_path / "data").resolve()))
    assert values["debug"] is False


def test_database_url_selects_postgresql(tmp_path):
    values = show(tmp_path, env={"DATABASE_URL": "postgres://ledger@db.example:5432/halfbuilt"})
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"]) == ("halfbuilt", "db.example")


def test_audit_retention_is_never_below_190_days(tmp_path):
    assert show(tmp_path)["retention"] == 190
    assert show(tmp_path, env={"HALFBUILT_AUDIT_RETENTION_DAYS": "30"})["retention"] == 190
    assert show(tmp_path, env={"HALFBUILT_AUDIT_RETENTION_DAYS": "400"})["retention"] == 400


def test_every_environment_variable_is_documented():
    """README.md and docs/configuration.md list every variable settings.py reads (keep the docs true)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    source = (root / "src/halfbuilt/config/settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"\b(HALFBUILT_[A-Z_]+|DATABASE_URL)\b", source))
    assert len(names) > 15
    for doc in ("README.md", "docs/configuration.md"):
        text = (root / doc).read_text(encoding="utf-8")
        assert not {n for n in names if f"`{n}`" not in text}, doc


def test_every_shipped_asset_is_served_locally(client):
    """No CDN: the pages' CSS and JS come from the package, served by WhiteNoise without collectstatic."""
    from pathlib import Path

    import halfbuilt

    static = Path(halfbuilt.__file__).resolve().parent / "static"
    assets = [p for p in static.rglob("*") if p.is_file()]
    assert assets
    for asset in assets:
        response = client.get(f"/static/{asset.relative_to(static).as_posix()}")
        assert response.status_code == 200, asset


def test_production_refuses_to_start_without_the_field_key(tmp_path):
    """The key of the encrypted personal fields must be given, not made beside the data (core/crypto.py)."""
    env = {key: value for key, value in PRODUCTION.items() if key != "HALFBUILT_FIELD_KEY"}
    result = halfbuilt(tmp_path, "check", env=env)
    assert result.returncode != 0
    assert "HALFBUILT_FIELD_KEY" in result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """JIT compiled the dashboard's small queries for 100 ms each (docs/performance.md, "Dashboard")."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
