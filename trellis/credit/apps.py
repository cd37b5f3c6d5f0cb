from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "trellis.credit"
    label = "credit"
