"""The `halfbuilt` console command: Django's management commands plus ours (demo, init, ledger, token)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halfbuilt.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["halfbuilt", *sys.argv[1:]])


if __name__ == "__main__":
    main()
