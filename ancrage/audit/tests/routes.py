"""Tenant-isolation matrix rows for audit (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.audit.models import AuditEntry
from ancrage.common.tests.isolation.spec import Route

ROUTES = [
    Route("audit_log"),  # organisation/audit/ log
    Route("audit_download"),  # organisation/audit/export.csv download
    Route(
        "audit_entry", kwargs={"entry_id": AuditEntry}
    ),  # organisation/audit/<int:entry_id>/ entry
]
