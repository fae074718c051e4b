"""A content pack handed over as a `.zip`: checked by `ancrage.common.safezip`, then unpacked
into a private temporary folder that disappears afterwards.

The archive holds the pack folder itself (`pack.yaml` at the top) or one folder that does.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import gettext as _

from ancrage.common.safezip import UnsafeArchive, extract_to


@contextmanager
def pack_folder(source: Path) -> Iterator[Path]:
    """Yield the pack folder: `source` itself, or the unpacked contents of `source.zip`.

    Raises UnsafeArchive (with the entry and the reason) for a hostile or broken archive.
    """
    if not (source.is_file() and source.suffix.lower() == ".zip"):
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="ancrage-pack-") as tmp:
        root = Path(tmp)
        extract_to(source, root)
        if (root / "pack.yaml").is_file():
            yield root
            return
        children = [child for child in root.iterdir() if child.is_dir()]
        if len(children) == 1 and (children[0] / "pack.yaml").is_file():
            yield children[0]
            return
        raise UnsafeArchive(_("The archive holds no pack.yaml at its top or in its single folder."))
