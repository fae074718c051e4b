"""Demo lines for the security work: the demo pack checked as an archive, and the limits.

Nothing is written to the database: the demo content pack is zipped into a temporary
folder and read back through `ancrage.common.safezip` (what `ancrage pack import x.zip`
does), so running the demo again changes nothing.
"""

import tempfile
import zipfile
from pathlib import Path

from ancrage.common.ratelimit import RULES
from ancrage.common.safezip import extract_to

PACK = Path(__file__).resolve().parent / "pack"


def load_security() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="ancrage-demo-zip-") as tmp:
        archive = Path(tmp) / "pack-demo.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
            for path in sorted(PACK.rglob("*")):
                if path.is_file():
                    handle.write(path, path.relative_to(PACK).as_posix())
        out = Path(tmp) / "out"
        out.mkdir()
        written = extract_to(archive, out)
    login = RULES["account_login"]
    per_account = login.per_account
    assert per_account is not None
    return [
        f"pack de démo relu en archive .zip par safezip : {len(written)} fichiers acceptés "
        "(chemins, liens, bombes et doublons vérifiés avant toute écriture)",
        f"connexion : {per_account.count} mots de passe faux par compte en "
        f"{per_account.seconds // 60} min, puis réponse 429 avec Retry-After",
        "contrôles : « make security » (matrice d'isolation, bandit, semgrep, "
        "detect-secrets, schemathesis, pip-audit)",
    ]
