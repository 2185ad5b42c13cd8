from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gonghui.orgs"
    label = "orgs"
    verbose_name = "组织"

    def ready(self):
        # Register this app's metrics and reminders in the core registries.
        from gonghui.core.audit import register_actions, register_fields

        from . import demo, metrics, reminders  # noqa: F401
        from .models import Employer, Org

        register_fields(Org)
        register_fields(Employer)

        register_actions({
            "orgs.org.founded": "组建", "orgs.org.updated": "修改组织信息", "orgs.org.renamed": "更名",
            "orgs.org.moved": "转移", "orgs.org.reelected": "换届", "orgs.org.type_changed": "升格/变更类型",
            "orgs.org.legal_registered": "法人资格登记", "orgs.org.dissolved": "注销",
            "orgs.employer.created": "登记用人单位", "orgs.employer.updated": "修改用人单位",
            "orgs.coverage.started": "开始覆盖", "orgs.coverage.ended": "终止覆盖",
        })
