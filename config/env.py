"""Small, dependency-free readers for configuration from environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string setting; `NAME_FILE` (a path) wins over `NAME`, for secrets mounted as files."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def email_settings(url: str) -> dict[str, object]:
    """Translate an EMAIL_URL into Django's EMAIL_* settings.

    Schemes: `console://`, `locmem://`, `dummy://`, `smtp://user:pass@host:port`
    (`?tls=true` for STARTTLS) and `smtps://…` (implicit TLS).
    """
    parsed = urlparse(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ValueError(
            f"EMAIL_URL scheme {parsed.scheme!r} is not supported; use one of {sorted(backends)}"
        )
    settings: dict[str, object] = {"EMAIL_BACKEND": backends[parsed.scheme]}
    if parsed.scheme in {"smtp", "smtps"}:
        query = parse_qs(parsed.query)
        settings.update(
            EMAIL_HOST=parsed.hostname or "localhost",
            EMAIL_PORT=parsed.port or (465 if parsed.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", ["false"])[0].lower() in TRUE_WORDS,
        )
        if settings["EMAIL_USE_SSL"] and settings["EMAIL_USE_TLS"]:
            # Django's SMTP backend refuses both at the first send; say so at start-up instead.
            raise ValueError(
                "EMAIL_URL: smtps:// already uses implicit TLS; drop ?tls=true "
                "(or use smtp://…?tls=true for STARTTLS)"
            )
    return settings
