"""`halfbuilt opendata export PATH`: the public projects as open data, by the file's extension — .json an OC4IDS
project package, .csv the list for Excel. Exactly what /open-data/ serves (the same public selector). Exit 0 when
written, 2 on a usage error (an extension it does not write, a folder that does not exist)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.public import oc4ids
from halfbuilt.public.selectors import public_projects

FORMATS = (".json", ".csv")


class Command(BaseCommand):
    help = gettext_lazy("开放数据：导出公开项目（.json 为 OC4IDS 项目数据包，.csv 为项目名单）")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{export}")
        exp = sub.add_parser("export", help=_("按扩展名导出：.json（OC4IDS）或 .csv"))
        exp.add_argument("path")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if path.suffix.lower() not in FORMATS:
            self.stderr.write(_("不支持的扩展名“{ext}”：请用 .json 或 .csv").format(ext=path.suffix))
            sys.exit(2)
        if not path.parent.is_dir():
            self.stderr.write(_("目录不存在：{folder}").format(folder=path.parent))
            sys.exit(2)
        if path.suffix.lower() == ".json":
            package = oc4ids.package()
            path.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
            count = len(package["projects"])
        else:
            path.write_text(oc4ids.csv_text(), encoding="utf-8")
            count = public_projects().count()
        self.stdout.write(_("已导出 {n} 个公开项目到 {path}").format(n=count, path=path))
