"""Tenant-isolation matrix rows for lrs (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import LRS, Route

ROUTES = [
    Route("lrs:statements", scope=LRS),  # xapi/statements view
    Route("lrs:state", scope=LRS),  # xapi/activities/state view
    Route("lrs:activity-profile", scope=LRS),  # xapi/activities/profile view
    Route("lrs:agent-profile", scope=LRS),  # xapi/agents/profile view
    Route("lrs:activities", scope=LRS),  # xapi/activities view
    Route("lrs:agents", scope=LRS),  # xapi/agents view
    Route("lrs:about", scope=LRS),  # xapi/about view
]
