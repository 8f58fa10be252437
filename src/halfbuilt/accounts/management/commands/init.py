from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.setup import ensure_base_organizations
from halfbuilt.campaign.loader import load_campaign
from halfbuilt.greenchannel.loader import load_greenchannel
from halfbuilt.regions.loader import load_reference_data


class Command(BaseCommand):
    help = gettext_lazy("创建或升级数据库并加载参考数据（可重复执行）")

    def handle(self, *args, **options) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        counts = load_reference_data()
        ensure_base_organizations()
        load_greenchannel()  # the approval authorities and the procedures' reference table (绿色通道)
        try:
            campaign, _created = load_campaign()
        except FileNotFoundError as missing:  # a province without a campaign file yet: the ledger works without it
            campaign_line = _("未加载起底行动（{reason}）").format(reason=missing)
        except (ValueError, KeyError) as bad:  # the file is there but wrong: say what, change nothing of it
            raise CommandError(_("起底行动数据有误：{problem}").format(problem=bad)) from bad
        else:
            campaign_line = _("当前起底行动：{name}").format(name=campaign.name)
        ready = _("数据库已就绪：{regions} 个行政区划，{categories} 个项目类别，{departments} 个行业主管部门，"
                  "{campaign}。数据目录：{path}")
        self.stdout.write(ready.format(path=settings.DATA_DIR, campaign=campaign_line, **counts))
