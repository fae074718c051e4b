"""Encryption of OIDC client secrets at rest (Fernet, keys derived from SECRET_KEY).

Encrypting with SECRET_KEY and decrypting with SECRET_KEY or any of SECRET_KEY_FALLBACKS
follows Django's own key rotation: rotate SECRET_KEY, keep the old one as a fallback, and
re-save the connections (or ask admins to re-enter the secret) before dropping it.
A copy of the database alone reveals no client secret.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"ancrage.accounts.sso.client-secret.v1"


class SecretUnreadable(Exception):
    """The stored secret was encrypted with a key that is no longer configured."""


def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def encrypt_secret(plain: str) -> str:
    return _keys().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_secret(token: str) -> str:
    try:
        return _keys().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise SecretUnreadable from exc
