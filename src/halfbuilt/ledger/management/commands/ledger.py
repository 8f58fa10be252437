"""`halfbuilt ledger import|export`: an exact contract that scripts rely on.

import PATH --region CODE [--dry-run] [--json]: as the office acting for region CODE. Exit 0 when imported
(with --dry-run: importable), 1 when the file has errors (nothing written), 2 on usage errors and for a file
that cannot be read at all (its message still printed, as JSON with --json).
export PATH [--region CODE]: every non-classified project (the office's view), by the file's extension.
"""

import json
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.scope import region_q
from halfbuilt.core.errors import ServiceError, busy_as_message
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.intake.plan import ImportContext, build_plan
from halfbuilt.ledger.intake.reader import EXTENSIONS, ReadError, read_workbook
from halfbuilt.ledger.intake.stream import import_sheets
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region

EXPORT_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}


@dataclass(frozen=True)
class CommandLineActor(Actor):
    """The office acting from the command line: no user account, a name for the change log."""

    name: str = "cli:office"

    @property
    def username(self) -> str:
        return self.name


class Command(BaseCommand):
    help = gettext_lazy("台账：导入县区报送的表格（import），导出台账（export）")
    # No system checks: they import the whole URL conf (the API's schemas among it), a third of a second of every
    # run, and tell a script importing a file nothing.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        imp = sub.add_parser("import", help=_("以领导小组办公室的身份，为 --region 指定的地区导入台账文件"))
        imp.add_argument("path", help=_(".xlsx、.xls 或 .csv 文件"))
        imp.add_argument("--region", required=True, help=_("填报地区的行政区划代码，如 150200"))
        imp.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))
        imp.add_argument("--json", action="store_true", help=_("输出一个 JSON 对象"))
        exp = sub.add_parser("export", help=_("导出台账（按扩展名：.xlsx、.csv、.json）"))
        exp.add_argument("path")
        exp.add_argument("--region", help=_("只导出该地区（含下辖地区）的项目"))

    def handle(self, *args, **options):
        if options["action"] == "import":
            self._import(options)
        else:
            self._export(options)

    def _usage(self, message: str):
        self.stderr.write(_("错误：{message}").format(message=message))
        raise SystemExit(2)

    def _region(self, code: str) -> Region:
        region = Region.objects.select_related("parent").filter(code=(code or "").strip()).first()
        if region is None:
            self._usage(_("地区代码“{code}”不存在，应为行政区划代码，如 150200").format(code=code))
        return region

    def _import(self, options) -> None:
        path = Path(options["path"])
        if path.suffix.lower() not in EXTENSIONS:
            self._usage(_("不支持的文件类型“{ext}”，应为 .xlsx、.xls 或 .csv").format(ext=path.suffix or _("无扩展名")))
        if not path.is_file():
            self._usage(_("文件不存在：{path}").format(path=path))
        region = self._region(options["region"])
        ctx = ImportContext(actor=CommandLineActor(user=None, via="cli"), region=region)
        try:
            with busy_as_message():  # another import holding the database past the busy timeout: exit 1, said so
                sheets = read_workbook(path)  # rows are converted as the checks reach them: ReadError may come later
                if options["dry_run"]:
                    plan = build_plan(sheets, ctx)
                else:
                    plan = import_sheets(sheets, ctx, batch=str(uuid.uuid4()))
        except ReadError as exc:  # the file cannot be read at all: a usage error, as the README says (2)
            return self._finish(options, self._failure(str(exc)), code=2)
        except ServiceError as exc:
            return self._finish(options, self._failure(exc.message))
        self._finish(options, plan.summary())

    @staticmethod
    def _failure(message: str) -> dict:
        return {"rows": 0, "created": 0, "updated": 0, "unchanged": 0,
                "errors": [{"sheet": "", "row": 0, "column": "", "message": message}]}

    def _finish(self, options, summary: dict, code: int = 1) -> None:
        """Print the summary (or the JSON object); exit `code` when it holds errors."""
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            verb = _("可导入") if options["dry_run"] else _("已导入")
            if summary["errors"]:
                verb = _("有错误，未写入任何数据")
            self.stdout.write(_("{verb}：共 {rows} 行，新建 {created}，更新 {updated}，未变 {unchanged}").format(
                verb=verb, rows=summary["rows"], created=summary["created"], updated=summary["updated"],
                unchanged=summary["unchanged"]))
            for e in summary["errors"]:
                where = "".join(p for p in (_("工作表“{sheet}”").format(sheet=e["sheet"]) if e["sheet"] else "",
                                            _("第{row}行").format(row=e["row"]) if e["row"] else "",
                                            f"【{e['column']}】" if e["column"] else ""))
                self.stdout.write(f"  {where}{'：' if where else ''}{e['message']}")
        if summary["errors"]:
            sys.stdout.flush()
            raise SystemExit(code)

    def _export(self, options) -> None:
        path = Path(options["path"])
        fmt = EXPORT_EXTENSIONS.get(path.suffix.lower())
        if fmt is None:
            self._usage(_("不支持导出为“{ext}”，应为 .xlsx、.csv 或 .json").format(ext=path.suffix or _("无扩展名")))
        if not path.parent.is_dir():
            self._usage(_("目录不存在：{path}").format(path=path.parent))
        queryset = Project.objects.filter(classified=False)  # the office's view
        if options.get("region"):
            queryset = queryset.filter(region_q(self._region(options["region"])))
        from halfbuilt.ledger.exports import write_export

        count = write_export(queryset.order_by("ledger_no"), path, fmt)
        self.stderr.write(_("已导出 {count} 个项目到 {path}").format(
            count=count if count is not None else queryset.count(), path=path))
