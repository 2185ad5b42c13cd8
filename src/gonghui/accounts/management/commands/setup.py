"""`gonghui setup`: the first start of a production install (the root federation and its first
administrator), run once on an empty database instead of demo data.

    gonghui setup --root-code 430121 --root-name 长沙县总工会 --admin sysadmin

The administrator gets the built-in 系统管理员 role on the root, which covers the whole tree. The
password is typed at a prompt (twice, checked by the same rules as any password), or generated
and printed once (`--generate-password`, and always when no terminal is attached, e.g. in a
container); either way it must be changed at the first login.
"""

import getpass
import secrets
import string
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gonghui.core import audit
from gonghui.core.errors import ServiceError, join_messages
from gonghui.orgs.models import Org, OrgType
from gonghui.orgs.services import org_create_root

from ...models import Role
from ...services import ensure_builtin_roles, grant_create, user_create

ADMIN_ROLE = "系统管理员"  # the built-in role holding every permission (core.workline.ADMIN)
PROMPT_ATTEMPTS = 3


def generated_password(length: int = 16) -> str:
    """Random, and meeting every password rule (length, three character classes)."""
    alphabet = string.ascii_letters + string.digits + "@#%+=-_"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if (any(c.islower() for c in password) and any(c.isupper() for c in password)
                and any(c.isdigit() for c in password) and any(not c.isalnum() for c in password)):
            return password


class Command(BaseCommand):
    help = "初始化生产环境：在空数据库中建立根组织（本级总工会）和第一个系统管理员账号（只运行一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--root-code", required=True, help="根组织编码，如行政区划代码 430121")
        parser.add_argument("--root-name", required=True, help="根组织名称，如 长沙县总工会")
        parser.add_argument("--root-type", default=OrgType.COUNTY, choices=OrgType.values,
                            help="根组织类型（默认 county：县(市、区)总工会）")
        parser.add_argument("--admin", required=True, help="系统管理员的用户名")
        parser.add_argument("--admin-name", default="系统管理员", help="系统管理员的姓名（显示用）")
        parser.add_argument("--generate-password", action="store_true",
                            help="自动生成初始密码并只显示这一次（不提示输入）")

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        existing = Org.objects.order_by("depth", "path").first()
        if existing is not None:
            raise CommandError(f"数据库中已有组织（根组织“{existing.name}”），setup 只能在空数据库上运行一次；"
                               "要再添加系统管理员，请用已有的管理员账号登录后在“账号”页面创建。")
        code, name, username = opts["root_code"].strip(), opts["root_name"].strip(), opts["admin"].strip()
        if not (code and name and username):
            raise CommandError("根组织编码、根组织名称和管理员用户名都不能为空。")
        generate = opts["generate_password"] or not sys.stdin.isatty()
        password = generated_password() if generate else self.prompt_password(username)
        try:
            with transaction.atomic(), audit.context(source="cli"):
                root = org_create_root(actor=None, name=name, org_type=opts["root_type"], code=code)
                ensure_builtin_roles()
                admin = user_create(actor=None, username=username, display_name=opts["admin_name"],
                                    password=password, home_org=root, must_change_password=True)
                grant_create(actor=None, user=admin, org=root, role=Role.objects.get(name=ADMIN_ROLE))
        except ServiceError as exc:
            raise CommandError(join_messages(exc.messages)) from exc
        self.stdout.write(f"已建立根组织“{root.name}”（编码 {root.code}）和系统管理员账号“{admin.username}”。")
        if generate:
            self.stdout.write(f"初始密码：{password}")
            self.stdout.write("该密码只显示这一次，请立即妥善保存。")
        self.stdout.write("首次登录后须修改密码。现在可以运行 gonghui run 启动服务。")

    def prompt_password(self, username: str) -> str:
        """Typed twice at a prompt; the password rules are checked at once, so a weak password is
        refused here with the reason rather than after the organisation was created."""
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        from ...models import User

        for _ in range(PROMPT_ATTEMPTS):
            first = getpass.getpass(f"为 {username} 设置初始密码：")
            if first != getpass.getpass("再输入一次："):
                self.stderr.write("两次输入的密码不一致，请重新输入。")
                continue
            try:
                validate_password(first, User(username=username))
            except ValidationError as exc:
                self.stderr.write("密码不符合要求：" + join_messages(exc.messages))
                continue
            return first
        raise CommandError("没有设置好密码，未做任何更改。可以加 --generate-password 自动生成初始密码。")
