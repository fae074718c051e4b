"""Operational tasks: `ping` proves a worker is alive and draining the queue."""

from django.tasks import task


@task
def ping() -> str:
    return "pong"
