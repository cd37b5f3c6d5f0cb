from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "trellis.recommend"
    label = "recommend"
