from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.setup import ensure_base_organizations
from halfbuilt.regions.loader import load_reference_data


class Command(BaseCommand):
    help = gettext_lazy("创建或升级数据库并加载参考数据（可重复执行）")

    def handle(self, *args, **options) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        counts = load_reference_data()
        ensure_base_organizations()
        ready = _("数据库已就绪：{regions} 个行政区划，{categories} 个项目类别，{departments} 个行业主管部门。"
                  "数据目录：{path}")
        self.stdout.write(ready.format(path=settings.DATA_DIR, **counts))
