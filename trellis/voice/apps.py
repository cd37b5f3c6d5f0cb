from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "trellis.voice"
    label = "voice"
