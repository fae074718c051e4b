"""Every route the site answers, and every row the route tables declare.

`url_routes()` walks `get_resolver().url_patterns` recursively; django-ninja operations are
left to `api_operations()`, read from the OpenAPI schema. `declared()` imports
`ancrage/<app>/tests/routes.py` of every app (and this package's `routes.py` for Django's
and allauth's routes) and returns their `ROUTES` and `API_OPERATIONS`.
"""

import importlib
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import ancrage

from .spec import ApiOperation, Route

COMMON_TABLE = "ancrage/common/tests/isolation/routes.py"
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


@dataclass(frozen=True)
class Found:
    key: str  # "namespace:name", or "namespace:<pattern>" for unnamed patterns
    pattern: str
    view: str  # module.qualname
    params: tuple[str, ...]

    @property
    def table(self) -> str:
        """The route table a row for this route belongs in."""
        parts = self.view.split(".")
        if len(parts) > 2 and parts[0] == "ancrage":
            return f"ancrage/{parts[1]}/tests/routes.py"
        return COMMON_TABLE


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str, out: list[Found]
) -> None:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            _walk(entry.url_patterns, prefix + str(entry.pattern), ns, out)
            continue
        callback = entry.callback
        module = getattr(callback, "__module__", "") or ""
        if (
            module.startswith("ninja.")
            and namespace == "api"
            and entry.name
            not in {
                "openapi-json",
                "openapi-view",
                "api-root",
            }
        ):
            continue  # an API operation: checked through the OpenAPI schema
        view = getattr(callback, "view_class", None) or getattr(callback, "__wrapped__", callback)
        view_name = f"{getattr(view, '__module__', module)}.{getattr(view, '__qualname__', '')}"
        if module.startswith("ancrage."):
            view_name = f"{module}.{getattr(callback, '__qualname__', '')}"
        name = entry.name or f"<{prefix}{entry.pattern}>"
        key = f"{namespace}:{name}" if namespace else name
        full = prefix + str(entry.pattern)
        params = tuple(dict.fromkeys(a or b for a, b in _PARAM.findall(full)))
        out.append(Found(key, full, view_name, params))


def url_routes() -> list[Found]:
    found: list[Found] = []
    _walk(get_resolver().url_patterns, "", "", found)
    return found


def api_operations(schema: dict[str, object]) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI schema, path as in the schema."""
    paths = schema.get("paths", {})
    assert isinstance(paths, dict)
    return sorted(
        (method.upper(), path)
        for path, item in paths.items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )


@dataclass(frozen=True)
class Declared:
    routes: dict[str, tuple[Route, str]]  # name -> (row, table file)
    operations: dict[tuple[str, str], tuple[ApiOperation, str]]


def _table_modules() -> list[str]:
    root = Path(ancrage.__file__).parent
    names = ["ancrage.common.tests.isolation.routes"]
    for info in pkgutil.iter_modules([str(root)]):
        if (root / info.name / "tests" / "routes.py").exists():
            names.append(f"ancrage.{info.name}.tests.routes")
    for sub in root.glob("*/*/tests/routes.py"):
        rel = sub.relative_to(root.parent).with_suffix("")
        names.append(".".join(rel.parts))
    return sorted(set(names))


def declared() -> Declared:
    routes: dict[str, tuple[Route, str]] = {}
    operations: dict[tuple[str, str], tuple[ApiOperation, str]] = {}
    for name in _table_modules():
        module = importlib.import_module(name)
        table = name.replace(".", "/") + ".py"
        for row in getattr(module, "ROUTES", []):
            if row.name in routes:
                raise AssertionError(
                    f"{row.name} is declared twice: in {routes[row.name][1]} and {table}"
                )
            routes[row.name] = (row, table)
        for op in getattr(module, "API_OPERATIONS", []):
            operations[(op.method, op.path)] = (op, table)
    return Declared(routes, operations)


def row_for(found: Found, table: Declared) -> Route | None:
    if found.key in table.routes:
        return table.routes[found.key][0]
    namespace = found.key.rsplit(":", 1)[0] if ":" in found.key else ""
    while namespace:
        wildcard = table.routes.get(f"{namespace}:*")
        if wildcard:
            return wildcard[0]
        namespace = namespace.rsplit(":", 1)[0] if ":" in namespace else ""
    return None
