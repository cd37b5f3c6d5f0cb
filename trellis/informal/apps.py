from django.apps import AppConfig


class InformalConfig(AppConfig):
    name = "trellis.informal"
    label = "informal"
