from django.apps import AppConfig


class MicrocredentialsConfig(AppConfig):
    name = "trellis.microcredentials"
    label = "microcredentials"
