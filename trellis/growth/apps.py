from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "trellis.growth"
    label = "growth"
