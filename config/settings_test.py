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

# Uploaded files from tests (evidence, images, the demo seed's PDFs) go to a temporary folder
# per test process, removed when it exits; never into var/media.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

_TEST_MEDIA = tempfile.mkdtemp(prefix="trellis-test-media-")
atexit.register(shutil.rmtree, _TEST_MEDIA, ignore_errors=True)
STORAGES["default"]["OPTIONS"]["location"] = _TEST_MEDIA  # noqa: F405
