"""`halfbuilt demo`: a ready-to-try product on this machine — data directory, database, reference data, a
demo campaign, one account per role — then the web server and the task worker."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import unicodedata

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

from halfbuilt.audit import chain as audit_chain
from halfbuilt.demo import administration, campaign, deployment
from halfbuilt.demo import circulars as demo_circulars
from halfbuilt.demo import greenchannel as demo_green
from halfbuilt.demo import publicity as demo_publicity
from halfbuilt.demo import tipoffs as demo_tipoffs
from halfbuilt.demo.accounts import Cast, ensure_demo_accounts
from halfbuilt.ledger.models import Project
from halfbuilt.supervision.dashboard import cube as dashboard_cube
from halfbuilt.supervision.dashboard.assets import all_present
from halfbuilt.supervision.lights import hooks as lights_hook

ROLE_LABELS = {
    "office": "领导小组办公室", "department": "行业主管部门", "region": "盟市/旗县", "unit": "责任单位",
    "authority": "审批部门", "sysadmin": "系统管理员", "secadmin": "安全管理员", "auditor": "安全审计员",
}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: list[list[str]]) -> str:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "创建演示数据（可重复执行）并在 http://127.0.0.1:PORT 启动系统"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务（测试与 CI 用）")

    def handle(self, *args, port: int, no_serve: bool, **options) -> None:
        if not 1 <= port <= 65535:
            raise CommandError(f"端口 {port} 无效，应在 1–65535 之间")
        if not no_serve:
            self._check_port(port)  # before any work, so a busy port fails fast
        started = time.monotonic()
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("init", stdout=self.stdout)
        accounts = ensure_demo_accounts()
        administration.build()  # the system administrator's own work: an account opened
        with lights_hook.paused():  # the build recomputes every light once, at its end, not after its commit
            built = campaign.build()  # after the accounts: they act in it
            deployed = deployment.build(Cast())  # the 部署阶段: criteria and 实施方案
            demo_green.build(Cast())  # 绿色通道: requests on projects in disposal, items in every state
        dashboard_cube.rebuild()  # the dashboard's figures, whatever wrote the demo's rows
        demo_circulars.build(Cast())  # after the cube: a circular's figures are the dashboard's
        demo_publicity.build(Cast())  # the portal's photos, public 督办 and stories, once the rest is there
        demo_tipoffs.build(Cast())  # citizens' tip-offs in every state, one linked to a public project
        audit_chain.seal()  # the story dated its entries in the past: sealed now, before anything newer is
        self._assets()
        accounts_file = settings.DATA_DIR / "demo-accounts.json"
        accounts_file.write_text(json.dumps(accounts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        accounts_file.chmod(0o600)

        total = Project.objects.count()
        elapsed = time.monotonic() - started
        if built["created"]:
            self.stdout.write(f"已创建 {built['created']} 个演示项目（共 {total} 个项目）。")
            self.stdout.write(
                f"已创建处置演示数据：{built['plans']} 个处置方案、{built['reports']} 份月度进展、"
                f"{built['closures']} 份销号申请和一次回头看抽样。"
            )
            self.stdout.write(f"用时 {elapsed:.1f} 秒。")
        if deployed["criteria"] or deployed["filings"]:
            self.stdout.write(f"已创建部署阶段演示数据：{deployed['criteria']} 个行业标准版本、"
                              f"{deployed['filings']} 份实施方案。")
        else:
            self.stdout.write(f"演示数据已存在（{built['present']} 个演示项目），未重复创建；演示账户密码已重置。")
        rows = [["用户名", "密码", "角色", "所属组织"]]
        rows += [[a["username"], a["password"], ROLE_LABELS[a["role"]], a["organization"]] for a in accounts]
        self.stdout.write("\n演示账户：\n" + table(rows))
        self.stdout.write(f"\n账户清单已写入 {accounts_file}")
        if no_serve:
            return
        self._serve(port)

    def _assets(self) -> None:
        """The dashboard's charts and map need ECharts and the geometry from npm; without npm (an offline machine)
        the page shows its tables alone, so a failure here is told, not fatal."""
        if all_present():
            return
        try:
            call_command("assets", stdout=self.stdout)
        except (CommandError, subprocess.CalledProcessError) as error:
            self.stdout.write(f"未能安装前端资源（{error}）：调度看板只显示表格，不显示图表。")

    def _check_port(self, port: int) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError as exc:
                raise CommandError(f"端口 {port} 已被占用，请用 --port 指定其他端口") from exc

    def _serve(self, port: int) -> None:
        # The worker runs background imports; it lives exactly as long as the server.
        worker = subprocess.Popen([sys.executable, "-m", "halfbuilt", "run_huey"], env=os.environ.copy())
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            self.stdout.write(f"\n请在浏览器中打开 http://127.0.0.1:{port}/ （按 Ctrl+C 停止）\n")
            serve_wsgi(port)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


def serve_wsgi(port: int) -> None:
    """waitress, a production WSGI server, with a fixed pool of threads: each keeps at most one database
    connection, so the connections stay bounded however many browsers come (Django's development server opened
    one per request thread and kept them)."""
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    # Static files come through WhiteNoise in the application (WHITENOISE_USE_FINDERS), as in production.
    serve(get_wsgi_application(), host="127.0.0.1", port=port, threads=settings.WEB_THREADS, ident="halfbuilt",
          connection_limit=settings.WEB_THREADS * 25, channel_timeout=60)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
