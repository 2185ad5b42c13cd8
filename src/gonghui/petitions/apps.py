from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "gonghui.petitions"
    label = "petitions"
    verbose_name = "信访与调解"
