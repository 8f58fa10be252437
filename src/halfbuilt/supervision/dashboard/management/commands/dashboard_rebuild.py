"""`halfbuilt dashboard_rebuild [--check]`: recompute the dashboard's cube from the projects and print the drift.

Exit code 0 when the cube had not drifted, 1 when it had (with --check nothing is written)."""

import sys

from django.core.management.base import BaseCommand

from halfbuilt.supervision.dashboard import cube


class Command(BaseCommand):
    help = "Recompute the dashboard's figures from the projects; report how far they had drifted."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only compare, write nothing")

    def handle(self, *args, check: bool = False, **options):
        drift = cube.rebuild(dry_run=check)
        if drift.none:
            self.stdout.write("dashboard: no drift")
            return
        self.stdout.write(f"dashboard: drift in {drift.cells} cells, {drift.projects} projects"
                          + ("" if check else " (rebuilt)"))
        for key in drift.examples:
            self.stdout.write(f"  {key}")
        sys.exit(1)
