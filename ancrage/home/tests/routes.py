"""Tenant-isolation matrix rows for home (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route

ROUTES = [
    Route("home"),  #  home
]
