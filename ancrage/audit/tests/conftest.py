"""The privacy tests' learner with data of every kind, reused by the audit tests."""

from ancrage.privacy.tests.conftest import person_data

__all__ = ["person_data"]
