"""Settings read the environment through typed helpers that fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.email_url import parse_email_url
from config.env import env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]


def test_env_bool_accepts_common_spellings_and_rejects_others(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG", default=False)


def test_env_int_rejects_words_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("N", 1)
    monkeypatch.setenv("N", "-3")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("N", 1, minimum=0)


def test_env_str_reads_secrets_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n", encoding="utf-8")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_str("TOKEN") == "s3cr3t"
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("TOKEN")


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("MODE", "turbo")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("MODE", "a", ("a", "b"))


def test_email_url_builds_an_smtp_mailer():
    mailer = parse_email_url("smtp+tls://user%40x:p%3Ass@mail.example.org:587")
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] | {} == {
        "host": "mail.example.org",
        "port": 587,
        "username": "user@x",
        "password": "p:ss",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("carrier-pigeon://x", "not supported"),
        ("smtp://", "needs a host"),
        ("smtp://h:99999", "bad port"),
    ],
)
def test_email_url_rejects_unusable_values(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_email_url(url)


def _check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANCRAGE_", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_production_profile_refuses_to_start_without_a_secret_key():
    result = _check({"ANCRAGE_PROFILE": "production", "ALLOWED_HOSTS": "x.example"})
    assert result.returncode != 0
    assert "Set SECRET_KEY or SECRET_KEY_FILE in production" in result.stderr


def test_production_profile_passes_check_deploy():
    result = _check(
        {
            "ANCRAGE_PROFILE": "production",
            "SECRET_KEY": "".join(chr(48 + i % 70) for i in range(64)),
            "ALLOWED_HOSTS": "ancrage.example.org",
            "EMAIL_URL": "smtp+tls://mail.example.org:587",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr


def test_a_typo_in_the_environment_stops_start_up():
    result = _check({"DEBUG": "ture"})
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr
