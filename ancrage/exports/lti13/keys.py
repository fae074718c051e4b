"""The tool's signing keys: create, rotate, publish (JWKS) and sign with the current one.

Rotation keeps the previous key in the JWKS so that messages signed just before the
rotation still verify at the platform; the key before that is retired (no longer
published, no longer usable).
"""

import json
import secrets
import time
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from jwt.algorithms import RSAAlgorithm

from ancrage.exports.lti13.models import KeyStatus, ToolKey


def _new_key(status: str) -> ToolKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = secrets.token_urlsafe(12)
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return ToolKey.objects.create(
        kid=kid, private_pem=private_pem, public_jwk=public, status=status
    )


def current_key() -> ToolKey:
    """The signing key; the first call creates it."""
    key = ToolKey.objects.filter(status=KeyStatus.CURRENT).first()
    if key is not None:
        return key
    with transaction.atomic():
        key = ToolKey.objects.select_for_update().filter(status=KeyStatus.CURRENT).first()
        return key or _new_key(KeyStatus.CURRENT)


@transaction.atomic
def rotate_keys() -> ToolKey:
    """A new current key; the old current becomes previous, the old previous is retired."""
    ToolKey.objects.filter(status=KeyStatus.PREVIOUS).update(status=KeyStatus.RETIRED)
    ToolKey.objects.filter(status=KeyStatus.CURRENT).update(status=KeyStatus.PREVIOUS)
    return _new_key(KeyStatus.CURRENT)


def jwks() -> dict[str, list[dict[str, Any]]]:
    """The public keys platforms verify us with: current first, then previous."""
    current_key()
    keys = ToolKey.objects.filter(status__in=(KeyStatus.CURRENT, KeyStatus.PREVIOUS))
    ordered = sorted(keys, key=lambda k: k.status != KeyStatus.CURRENT)
    return {"keys": [k.public_jwk for k in ordered]}


@lru_cache(maxsize=4)
def _loaded(kid: str, private_pem: str) -> rsa.RSAPrivateKey:
    """The parsed private key (parsing validates the key: ~90 ms, so once per process)."""
    key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def sign(claims: dict[str, Any], *, lifetime: int = 300) -> str:
    """An RS256 JWT of `claims` with iat/exp/jti, signed with the current key."""
    key = current_key()
    now = int(time.time())
    payload = {"iat": now, "exp": now + lifetime, "jti": secrets.token_urlsafe(16), **claims}
    private = _loaded(key.kid, key.private_pem)
    return jwt.encode(payload, private, algorithm="RS256", headers={"kid": key.kid})
