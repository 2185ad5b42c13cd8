"""The `gonghui` command: a stable interface users script.

    gonghui setup | run | demo | stats | import | export | summary | remind | audit verify | check-config
            | backup --out DIR | restore DIR --keys FILE | keys export|check | manage <django command> ...

Each subcommand is a Django management command, so `gonghui manage <cmd>` and
`gonghui <cmd>` are the same thing. User errors print a Chinese message and exit non-zero.
"""

import os
import sys

COMMANDS = {"run", "demo", "stats", "audit", "import", "export", "summary", "remind", "setup", "backup", "restore", "keys"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return
    if argv[0] == "manage":
        execute_from_command_line(["gonghui manage", *argv[1:]])
        return
    if argv[0] == "import":
        argv[0] = "import_data"
    elif argv[0] == "export":
        argv[0] = "export_data"
    elif argv[0] == "check-config":
        argv[0] = "check_config"
    elif argv[0] not in COMMANDS:
        print(f"未知命令：{argv[0]}。可用命令：{', '.join(sorted(COMMANDS | {'check-config'}))}、manage", file=sys.stderr)
        sys.exit(2)
    execute_from_command_line(["gonghui", *argv])


if __name__ == "__main__":
    main()
