"""Configuration readers in `config/env.py`.

`config` is the top layer and `trellis.core` the bottom one, so a static import here would break
the import-linter layers contract (which also covers test modules); the module under test is
loaded by name instead.
"""

from __future__ import annotations

import importlib

import pytest

env = importlib.import_module("config.env")

SMTP = "django.core.mail.backends.smtp.EmailBackend"


# --- env_str ------------------------------------------------------------------------------------


def test_env_str_reads_the_variable_or_the_default(monkeypatch):
    monkeypatch.delenv("TRELLIS_X", raising=False)
    monkeypatch.delenv("TRELLIS_X_FILE", raising=False)
    assert env.env_str("TRELLIS_X") == ""
    assert env.env_str("TRELLIS_X", "fallback") == "fallback"

    monkeypatch.setenv("TRELLIS_X", " kept as is ")
    assert env.env_str("TRELLIS_X", "fallback") == " kept as is "


def test_env_str_prefers_a_mounted_secret_file_and_trims_it(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("TRELLIS_X", "from-the-variable")
    monkeypatch.setenv("TRELLIS_X_FILE", str(secret))

    assert env.env_str("TRELLIS_X") == "from-the-file"


# --- env_bool -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "On"])
def test_env_bool_reads_true_words(monkeypatch, raw):
    monkeypatch.setenv("TRELLIS_FLAG", raw)
    assert env.env_bool("TRELLIS_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "OFF", "", "  "])
def test_env_bool_reads_false_words_and_blank_as_false(monkeypatch, raw):
    monkeypatch.setenv("TRELLIS_FLAG", raw)
    assert env.env_bool("TRELLIS_FLAG", default=True) is False


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("TRELLIS_FLAG", raising=False)
    assert env.env_bool("TRELLIS_FLAG") is False
    assert env.env_bool("TRELLIS_FLAG", default=True) is True


@pytest.mark.parametrize("raw", ["maybe", "tru", "2", "y"])
def test_env_bool_refuses_other_words_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("TRELLIS_FLAG", raw)

    with pytest.raises(ValueError, match=r"^TRELLIS_FLAG must be one of") as caught:
        env.env_bool("TRELLIS_FLAG")

    assert str(caught.value) == f"TRELLIS_FLAG must be one of true/false/1/0/yes/no, not {raw!r}"


# --- env_int and env_list -----------------------------------------------------------------------


def test_env_int_reads_whole_numbers_and_defaults_when_unset_or_blank(monkeypatch):
    monkeypatch.delenv("TRELLIS_N", raising=False)
    assert env.env_int("TRELLIS_N", 7) == 7
    monkeypatch.setenv("TRELLIS_N", " ")
    assert env.env_int("TRELLIS_N", 7) == 7
    monkeypatch.setenv("TRELLIS_N", "-42")
    assert env.env_int("TRELLIS_N", 7) == -42


@pytest.mark.parametrize("raw", ["ten", "1.5", "3s"])
def test_env_int_refuses_other_text_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("TRELLIS_N", raw)

    with pytest.raises(ValueError, match="whole number") as caught:
        env.env_int("TRELLIS_N", 7)

    assert str(caught.value) == f"TRELLIS_N must be a whole number, not {raw!r}"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("TRELLIS_L", " a.example, b.example ,, ,c.example ")
    assert env.env_list("TRELLIS_L") == ["a.example", "b.example", "c.example"]
    monkeypatch.setenv("TRELLIS_L", "")
    assert env.env_list("TRELLIS_L", ["x"]) == []


def test_env_list_default_is_a_fresh_copy(monkeypatch):
    monkeypatch.delenv("TRELLIS_L", raising=False)
    default = ["x"]

    found = env.env_list("TRELLIS_L", default)
    found.append("y")

    assert default == ["x"]
    assert env.env_list("TRELLIS_L") == []


# --- email_settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
        ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
    ],
)
def test_local_mail_backends_need_no_server_settings(url, backend):
    assert env.email_settings(url) == {"EMAIL_BACKEND": backend}


def test_plain_smtp_defaults_to_port_25_without_tls():
    assert env.email_settings("smtp://localhost:25") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": False,
    }
    assert env.email_settings("smtp://")["EMAIL_HOST"] == "localhost"


def test_smtp_with_starttls_and_escaped_credentials():
    assert env.email_settings(
        "smtp://pd%40district.org:p%3Ass%2Fw@mail.example.org:587?tls=true"
    ) == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "pd@district.org",
        "EMAIL_HOST_PASSWORD": "p:ss/w",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


@pytest.mark.parametrize(("query", "tls"), [("?tls=1", True), ("?tls=no", False), ("", False)])
def test_the_tls_flag_reads_the_usual_words(query, tls):
    assert env.email_settings(f"smtp://mail.example.org{query}")["EMAIL_USE_TLS"] is tls


def test_smtps_uses_implicit_tls_on_port_465():
    settings = env.email_settings("smtps://user:secret@mail.example.org")

    assert settings["EMAIL_PORT"] == 465
    assert (settings["EMAIL_USE_SSL"], settings["EMAIL_USE_TLS"]) == (True, False)
    assert (settings["EMAIL_HOST_USER"], settings["EMAIL_HOST_PASSWORD"]) == ("user", "secret")
    assert env.email_settings("smtps://mail.example.org:2465")["EMAIL_PORT"] == 2465


def test_smtps_with_starttls_as_well_is_refused_at_start_up():
    with pytest.raises(ValueError, match="implicit TLS") as caught:
        env.email_settings("smtps://mail.example.org?tls=true")

    assert str(caught.value) == (
        "EMAIL_URL: smtps:// already uses implicit TLS; drop ?tls=true "
        "(or use smtp://…?tls=true for STARTTLS)"
    )


@pytest.mark.parametrize(("url", "scheme"), [("sendmail://", "sendmail"), ("", ""), ("x", "")])
def test_an_unknown_mail_scheme_is_refused_with_the_choices(url, scheme):
    with pytest.raises(ValueError, match="not supported") as caught:
        env.email_settings(url)

    assert str(caught.value) == (
        f"EMAIL_URL scheme {scheme!r} is not supported; "
        "use one of ['console', 'dummy', 'locmem', 'smtp', 'smtps']"
    )
