"""Test settings: the real settings plus fast hashing, immediate tasks and an in-memory mailbox."""

import os

os.environ.setdefault("TRELLIS_TESTING", "true")
os.environ.setdefault("EMAIL_URL", "locmem://")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email"],
    }
}
# WhiteNoise warns when STATIC_ROOT is missing (collectstatic is a production step).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
