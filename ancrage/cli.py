"""The `ancrage` console script: every Django management command, plus `serve` and `worker`.

`ancrage serve` runs the production web server, `ancrage worker` the task worker,
`ancrage migrate`, `ancrage pack validate DIR`… behave like `manage.py …`.
"""

import os
import sys


def run_django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main() -> None:
    run_django(["ancrage", *sys.argv[1:]])
