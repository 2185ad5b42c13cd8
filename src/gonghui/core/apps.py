from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gonghui.core"
    label = "core"
    verbose_name = "公共"

    def ready(self):
        from .audit import register_actions

        register_actions({"core.calendar.set": "录入节假日调整", "core.calendar.removed": "删除节假日调整"})
