from django.apps import AppConfig


class DistrictsConfig(AppConfig):
    name = "trellis.districts"
    label = "districts"
