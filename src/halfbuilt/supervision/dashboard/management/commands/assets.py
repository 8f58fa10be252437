"""`halfbuilt assets`: install the front-end packages of package.json with `npm ci` and place the files the
pages use (ECharts) where Django's staticfiles serve them. Nothing is fetched from a CDN at run time."""

import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from halfbuilt.supervision.dashboard.assets import ASSETS, VENDOR_DIR


def project_root() -> Path:
    """The checkout holding package.json (the package lives in src/halfbuilt)."""
    return Path(__file__).resolve().parents[6]


class Command(BaseCommand):
    help = "Install the front-end assets from npm (package-lock.json) into the static folder."

    def add_arguments(self, parser):
        parser.add_argument("--root", type=Path, default=None, help="directory with package.json")

    def handle(self, *args, root: Path | None = None, **options):
        root = root or project_root()
        if not (root / "package-lock.json").is_file():
            raise CommandError(f"no package-lock.json in {root}")
        npm = shutil.which("npm")
        if npm is None:
            raise CommandError("npm is not installed (Debian: apt-get install nodejs npm)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
        for source, target in ASSETS.items():
            destination = VENDOR_DIR / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "node_modules" / source, destination)
            self.stdout.write(f"{destination.relative_to(VENDOR_DIR.parent)}")
