from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gonghui.orgs"
    label = "orgs"
    verbose_name = "组织"

    def ready(self):
        # Register this app's metrics and reminders in the core registries.
        from . import demo, metrics, reminders  # noqa: F401
