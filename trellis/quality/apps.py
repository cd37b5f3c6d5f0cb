from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "trellis.quality"
    label = "quality"
