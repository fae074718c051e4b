"""A person's data download: everything declared about them, as JSON and a readable page, zipped.

Built only from rows whose declared subject is the person (their journal, their plans, the
observations about them, their progress, their statements, the messages sent to them...):
rows about anyone else never enter the archive.
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ancrage.privacy.declarations import DECLARATIONS
from ancrage.privacy.registry import ERASURE_ORDER, KIND_LABELS, Declaration
from ancrage.privacy.subjects import documents_about, rows_about, statements_about
from ancrage.tenancy.models import Membership

EXPORT_FORMAT = "ancrage-personal-data/1"


def _exportable() -> list[Declaration]:
    return [
        d
        for d in DECLARATIONS
        if d.export and (d.subject is not None or d.model.startswith("lrs."))
    ]


def _rows(declaration: Declaration, membership: Membership) -> list[dict[str, Any]]:
    if declaration.model == "lrs.Statement":
        qs: Any = statements_about(membership).order_by("stored", "seq")
    elif declaration.model == "lrs.Document":
        qs = documents_about(membership).order_by("updated")
    else:
        qs = rows_about(declaration, membership).order_by("pk")
    return list(qs.values(*declaration.export))


def personal_data(membership: Membership) -> dict[str, Any]:
    """Every declared row about the person, grouped by data kind, JSON-ready."""
    kinds = []
    for kind in ERASURE_ORDER:
        tables = []
        for declaration in (d for d in _exportable() if d.kind == kind):
            meta = declaration.model_class._meta
            tables.append(
                {
                    "model": declaration.model,
                    "label": str(meta.verbose_name_plural),
                    "fields": list(declaration.export),
                    "rows": _rows(declaration, membership),
                }
            )
        if tables:
            kinds.append({"kind": str(kind), "label": str(KIND_LABELS[kind]), "tables": tables})
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now(),
        "person": {"name": membership.user.name, "email": membership.user.email},
        "organisation": membership.organisation.name,
        "kinds": kinds,
    }


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


@dataclass(frozen=True)
class Archive:
    content: bytes
    sha256: str
    filename: str


def build_archive(membership: Membership, language: str = "fr") -> Archive:
    """The zip a person downloads: donnees.json and donnees.html (French by default)."""
    data = personal_data(membership)
    as_json = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    with translation.override(language):
        page = render_to_string(
            "privacy/export.html",
            {
                "data": data,
                "kinds": [
                    {
                        **kind,
                        "tables": [
                            {
                                **table,
                                "rows": [
                                    [_cell(row.get(f)) for f in table["fields"]]
                                    for row in table["rows"]
                                ],
                            }
                            for table in kind["tables"]
                        ],
                    }
                    for kind in data["kinds"]
                ],
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("donnees.json", as_json)
        archive.writestr("donnees.html", page)
    content = buffer.getvalue()
    stamp = timezone.localdate().isoformat()
    return Archive(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        filename=f"ancrage-mes-donnees-{stamp}.zip",
    )


def counts(membership: Membership) -> list[tuple[str, int]]:
    """(data kind label, rows) for the « Mes données » page."""
    totals: dict[str, int] = {}
    for declaration in _exportable():
        if declaration.model == "lrs.Statement":
            n = statements_about(membership).count()
        elif declaration.model == "lrs.Document":
            n = documents_about(membership).count()
        else:
            n = rows_about(declaration, membership).count()
        label = str(KIND_LABELS[declaration.kind])
        totals[label] = totals.get(label, 0) + n
    return list(totals.items())
