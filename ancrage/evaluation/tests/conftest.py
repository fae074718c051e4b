"""Evaluation tests reuse the transfer fixtures (a published path with key behaviours)."""

from ancrage.transfer.tests.conftest import behaviours, publisher_staff, version

__all__ = ["behaviours", "publisher_staff", "version"]
