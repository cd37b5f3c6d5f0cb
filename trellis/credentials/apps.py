from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trellis.credentials"
    verbose_name = "Verifiable credentials"

    def ready(self) -> None:
        from trellis.credentials import sealing  # noqa: F401  (registers the KEK system check)
