from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trellis.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from trellis.core.security import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="trellis-session-clock")
