"""`multipart/mixed` statement bodies (xAPI attachments) and signed statements (JWS).

`parse_multipart` splits a body into the statement JSON and attachment parts keyed by
their `X-Experience-API-Hash`; `check_attachments` enforces the pairing rules both ways
and the signature rules; `build_multipart` writes the GET `attachments=true` answer.
"""

import base64
import binascii
import hashlib
import re
from typing import Any

import orjson

from ancrage.lrs.shapes import content_hash
from ancrage.lrs.validation import SIGNATURE_USAGE, ValidationError

_BOUNDARY = re.compile(r'boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))', re.IGNORECASE)
_SIGNING_ALGORITHMS = {"RS256", "RS384", "RS512"}
Parts = dict[str, tuple[str, bytes]]


def _headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.decode("latin-1").split("\r\n"):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ValidationError("multipart", f"malformed part header line {line!r}")
        headers[name.strip().lower()] = value.strip()
    return headers


def parse_multipart(body: bytes, content_type: str) -> tuple[bytes, Parts]:
    """Return (statement JSON bytes, {sha2: (content type, bytes)}); 400 on any malformation."""
    match = _BOUNDARY.search(content_type)
    if not match:
        raise ValidationError("Content-Type", "multipart/mixed needs a boundary parameter")
    boundary = (match.group(1) or match.group(2)).encode()
    delimiter = b"--" + boundary
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise ValidationError("multipart", "the body is not a complete multipart/mixed document")
    parts: list[tuple[dict[str, str], bytes]] = []
    for chunk in chunks[1:-1]:
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            if chunk.startswith(b"\r\n"):
                head, content = b"", chunk[2:]
            else:
                raise ValidationError("multipart", "a part has no blank line after its headers")
        parts.append((_headers(head), content))
    if not parts:
        raise ValidationError("multipart", "no statement part")
    first_headers, statement_bytes = parts[0]
    first_type = first_headers.get("content-type", "").split(";")[0].strip().lower()
    if first_type != "application/json":
        raise ValidationError(
            "multipart", "the first part must be the statements as application/json"
        )
    attachments: Parts = {}
    for headers, content in parts[1:]:
        digest = headers.get("x-experience-api-hash")
        if not digest:
            raise ValidationError("multipart", "an attachment part lacks X-Experience-API-Hash")
        encoding = headers.get("content-transfer-encoding", "binary").lower()
        if encoding != "binary":
            raise ValidationError(
                "multipart", "attachment parts must use Content-Transfer-Encoding: binary"
            )
        attachments[digest.lower()] = (
            headers.get("content-type", "application/octet-stream"),
            content,
        )
    return statement_bytes, attachments


def _b64url(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("signature", "the JWS is not base64url encoded") from exc


def _check_signature(
    statement: dict[str, Any], attachment: dict[str, Any], content: bytes, path: str
) -> None:
    if attachment["contentType"].split(";")[0].strip().lower() != "application/octet-stream":
        raise ValidationError(f"{path}.contentType", "a signature must be application/octet-stream")
    try:
        header_b64, payload_b64, signature_b64 = content.decode("ascii").strip().split(".")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(
            path, "the signature is not a compact JWS (header.payload.signature)"
        ) from exc
    try:
        header = orjson.loads(_b64url(header_b64))
        payload = orjson.loads(_b64url(payload_b64))
    except orjson.JSONDecodeError as exc:
        raise ValidationError(path, "the JWS header or payload is not valid JSON") from exc
    if not signature_b64 or not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValidationError(path, "the JWS is incomplete")
    if header.get("alg") not in _SIGNING_ALGORITHMS:
        raise ValidationError(path, "the JWS algorithm must be RS256, RS384 or RS512")
    original = {k: v for k, v in statement.items() if k != "attachments"}
    signed = {k: v for k, v in payload.items() if k != "attachments"}
    if (
        "id" in signed
        and "id" in original
        and str(signed["id"]).lower() != str(original["id"]).lower()
    ):
        raise ValidationError(path, "the JWS payload is not this statement (id differs)")
    if content_hash(signed) != content_hash(original):
        raise ValidationError(path, "the JWS payload does not match the statement")


def check_attachments(statements: list[Any], parts: Parts) -> Parts:
    """Every attachment without fileUrl has a part, every part belongs to an attachment."""
    used: set[str] = set()
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict):
            continue
        for position, attachment in enumerate(statement.get("attachments") or []):
            if not isinstance(attachment, dict):
                continue
            path = f"statements[{index}].attachments[{position}]"
            digest = str(attachment.get("sha2", "")).lower()
            if digest in parts:
                used.add(digest)
                if attachment.get("usageType") == SIGNATURE_USAGE:
                    _check_signature(statement, attachment, parts[digest][1], path)
            elif "fileUrl" not in attachment:
                raise ValidationError(f"{path}.sha2", "no multipart part carries this attachment")
            elif attachment.get("usageType") == SIGNATURE_USAGE:
                raise ValidationError(path, "a signature must be sent as a part, not a fileUrl")
    for digest, (_, content) in parts.items():
        if digest not in used:
            raise ValidationError("multipart", f"part {digest} matches no attachment")
        if hashlib.sha256(content).hexdigest() != digest and len(digest) == 64:
            raise ValidationError(
                "multipart", f"part {digest} does not hash to its X-Experience-API-Hash"
            )
    return parts


def build_multipart(document: bytes, parts: Parts) -> tuple[bytes, str]:
    boundary = "xapi-" + hashlib.sha256(document).hexdigest()[:32]
    out = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), document]
    for digest, (content_type, content) in parts.items():
        out.append(
            (
                f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {digest}\r\n\r\n"
            ).encode()
        )
        out.append(content)
    out.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/mixed; boundary={boundary}"
