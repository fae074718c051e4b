"""Where email goes without EMAIL_URL: files under var/mail/ in development (the demo says
where), SMTP on localhost in production; and inline task runs stay quiet in development."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from ancrage.notify.emails import mail_folder

ROOT = Path(__file__).resolve().parents[3]
READ = (
    "import json, config.settings as s; print(json.dumps({'mailer': s.MAILERS['default'], "
    "'tasks': s.LOGGING['loggers'].get('django.tasks')}, default=str))"
)


def _settings(env: dict[str, str]) -> dict[str, object]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANCRAGE_", "EMAIL_", "TASKS_", "SECRET_KEY", "LOG_LEVEL"))
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ],
        env=clean | env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_development_writes_each_email_under_var_mail_and_hides_task_progress(tmp_path):
    found = _settings({"ANCRAGE_VAR_DIR": str(tmp_path)})
    assert found["mailer"] == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(tmp_path / "mail")},
    }
    assert found["tasks"] == {"level": "WARNING"}
    # Both can be chosen again.
    found = _settings({"EMAIL_URL": "console://", "TASKS_LOG_LEVEL": "INFO"})
    assert found["mailer"] == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {},
    }
    assert found["tasks"] == {"level": "INFO"}


def test_production_keeps_smtp_on_localhost_and_every_task_log():
    found = _settings(
        {
            "ANCRAGE_PROFILE": "production",
            "SECRET_KEY": "x" * 64,
            "ALLOWED_HOSTS": "ancrage.example.org",
        }
    )
    mailer = found["mailer"]
    assert isinstance(mailer, dict)
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (mailer["OPTIONS"]["host"], mailer["OPTIONS"]["port"]) == ("localhost", 25)
    assert found["tasks"] is None


def test_mail_folder_names_the_file_mailer_folder_only(tmp_path):
    files = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    with override_settings(MAILERS=files):
        assert mail_folder() == tmp_path / "mail"
    with override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    ):
        assert mail_folder() is None
