"""`gonghui check-config`: every configurable rule in force and where its value came from."""

import json

from django.core.management.base import BaseCommand, CommandError

from gonghui.core import config


def shown(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return json.dumps([list(v) if isinstance(v, tuple) else v for v in value], ensure_ascii=False)
    return str(value)


class Command(BaseCommand):
    requires_system_checks = []  # list bad values here instead of stopping at the check that finds them
    help = "列出各项规则（期限、比率舍入、应建会人数等）当前的取值及来源：default（默认值）、settings 或 environment（环境变量）。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **opts):
        entries = config.entries()
        if opts["json"]:
            self.stdout.write(json.dumps([
                {"group": e.group, "key": e.key, "env": e.env, "value": None if e.error else json.loads(
                    json.dumps(e.value, default=str)), "source": e.source, **({"error": e.error} if e.error else {})}
                for e in entries], ensure_ascii=False, indent=2))
        else:
            width = max(len(e.env) for e in entries)
            group = None
            for e in entries:
                if e.group != group:
                    group = e.group
                    self.stdout.write(f"\n[{group}]")
                value = f"错误：{e.error}" if e.error else shown(e.value)
                self.stdout.write(f"  {e.env:<{width}}  {e.source:<11}  {value}")
            self.stdout.write("\n来源：default 为默认值，settings 为设置文件，environment 为环境变量（优先于设置文件）。")
        errors = [e for e in entries if e.error]
        if errors:
            raise CommandError(f"{len(errors)} 项配置无效，见上表。")
