"""Read a pack's YAML files into plain data plus the line of every field.

PyYAML's safe composer gives a node tree with positions; we build the Python values
ourselves so that each mapping key and list item records its line (`YamlDoc.line(loc)`
finds the closest recorded line for a field path). Also refused here, with the line:
syntax errors, duplicate keys (YAML silently keeps the last one), aliases (`*ref`, a
denial-of-service vector and never needed in a pack), non-text keys, files over 1 MB and
files that are not UTF-8.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from ancrage.catalog.schema import Loc

MAX_YAML_BYTES = 1024 * 1024
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)


@dataclass(frozen=True)
class Problem:
    """One problem in a pack: `file:line: field: message` (file relative to the pack)."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class YamlDoc:
    file: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its closest parent that has one."""
        for end in range(len(loc), -1, -1):
            found = self.lines.get(tuple(loc[:end]))
            if found is not None:
                return found
        return None


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message


def read_yaml(path: Path, rel: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one YAML file; on failure return (None, problems) naming the line."""
    try:
        size = path.stat().st_size
    except OSError:
        return None, [Problem(rel, None, "", _("file not found"))]
    if size > MAX_YAML_BYTES:
        return None, [Problem(rel, None, "", _("file is larger than 1 MB"))]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(rel, None, "", _("file is not UTF-8 text (%(error)s)") % {"error": exc.reason})
        ]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc = YamlDoc(rel, None)
        if node is not None:
            doc.data = _build(loader, node, (), doc.lines, set())
        return doc, []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [
            Problem(rel, line, "", _("YAML syntax error: %(error)s") % {"error": message})
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(rel, None, "", _("YAML syntax error: %(error)s") % {"error": exc})]
    except _Refused as exc:
        return None, [Problem(rel, exc.line, "", exc.message)]
    finally:
        loader.dispose()


def _build(loader: Any, node: yaml.Node, loc: Loc, lines: dict[Loc, int], seen: set[int]) -> Any:
    line = node.start_mark.line + 1
    lines.setdefault(loc, line)
    if id(node) in seen:
        raise _Refused(line, _("YAML aliases (*name) are not allowed in a pack"))
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        # `!!python/…` and other explicit tags: never constructed, but refused rather than
        # silently read as a plain list or mapping.
        raise _Refused(line, _("YAML tags (%(tag)s) are not allowed in a pack") % {"tag": node.tag})
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves `<<:` merge keys (they count as aliases below)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise _Refused(key_node.start_mark.line + 1, _("mapping keys must be plain text"))
            if key in result:
                raise _Refused(
                    key_node.start_mark.line + 1,
                    _("the key “%(key)s” appears twice in the same mapping") % {"key": key},
                )
            child = (*loc, key if isinstance(key, str) else str(key))
            lines[child] = key_node.start_mark.line + 1
            result[key] = _build(loader, value_node, child, lines, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            items.append(_build(loader, item, (*loc, index), lines, seen))
        return items
    return loader.construct_object(node)
