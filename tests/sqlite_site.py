"""A site on a SQLite file of its own, for tests that run `halfbuilt` commands in processes of their own (the
in-memory test database cannot be shared between processes): `halfbuilt init` once per test process, then a copy
of its data directory for each test."""

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


def command_env(data: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the SQLite file under `data`
    return {**env, "HALFBUILT_DATA_DIR": str(data), **extra}


def initialise(data: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "halfbuilt", "init"], env=command_env(data), capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return data


@dataclass(frozen=True)
class SqliteSite:
    data: Path

    @classmethod
    def copy_of(cls, initialised: Path, data: Path) -> "SqliteSite":
        shutil.copytree(initialised, data)
        return cls(data)

    @property
    def database(self) -> Path:
        return self.data / "halfbuilt.sqlite3"

    def env(self, **extra: str) -> dict:
        return command_env(self.data, **extra)

    def count(self, sql: str, *args) -> int:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, args).fetchone()[0]
