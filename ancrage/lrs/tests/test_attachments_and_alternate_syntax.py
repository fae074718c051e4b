"""multipart/mixed attachments, signed statements (JWS) and the 1.0.3 alternate syntax."""

import base64
import hashlib
from urllib.parse import urlencode

import orjson
import pytest

from ancrage.lrs.tests.conftest import new_id, statement

pytestmark = pytest.mark.django_db
BOUNDARY = "xapi-test-boundary"


def _multipart(statements, parts):
    out = [
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(),
        orjson.dumps(statements),
    ]
    for content_type, content in parts:
        digest = hashlib.sha256(content).hexdigest()
        out.append(
            f"\r\n--{BOUNDARY}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {digest}\r\n\r\n".encode()
        )
        out.append(content)
    out.append(f"\r\n--{BOUNDARY}--".encode())
    return b"".join(out)


def _attachment(
    content, usage="https://ancrage.test/attachments/certificate", content_type="text/plain"
):
    return {
        "usageType": usage,
        "display": {"en": "certificate"},
        "contentType": content_type,
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
    }


def test_multipart_attachment_is_stored_and_served_back(xapi):
    content = b"Bravo Lea"
    sid = new_id()
    body = _multipart(
        statement(id=sid, attachments=[_attachment(content)]), [("text/plain", content)]
    )
    response = xapi.post(body, content_type=f"multipart/mixed; boundary={BOUNDARY}")
    assert response.status_code == 200, response.content
    got = xapi.get(statementId=sid, attachments="true")
    assert got["Content-Type"].startswith("multipart/mixed")
    assert content in got.content
    assert hashlib.sha256(content).hexdigest().encode() in got.content


def test_attachment_without_part_or_file_url_is_400(xapi):
    response = xapi.post(statement(attachments=[_attachment(b"missing")]))
    assert response.status_code == 400
    assert "attachments[0].sha2" in response.json()["error"]["field"]


def test_part_matching_no_attachment_is_400(xapi):
    body = _multipart(statement(), [("text/plain", b"orphan")])
    assert xapi.post(body, content_type=f"multipart/mixed; boundary={BOUNDARY}").status_code == 400


def test_attachment_with_file_url_needs_no_part(xapi):
    attachment = _attachment(b"remote") | {"fileUrl": "https://files.ancrage.test/cert.pdf"}
    assert xapi.post(statement(attachments=[attachment])).status_code == 200


def _jws(payload, alg="RS256"):
    def b64(data):
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    return f"{b64(orjson.dumps({'alg': alg}))}.{b64(orjson.dumps(payload))}.{b64(b'sig')}".encode()


SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def _signed(xapi, payload, signed_payload, alg="RS256", content_type="application/octet-stream"):
    jws = _jws(signed_payload, alg)
    data = payload | {"attachments": [_attachment(jws, SIGNATURE, content_type)]}
    body = _multipart(data, [(content_type, jws)])
    return xapi.post(body, content_type=f"multipart/mixed; boundary={BOUNDARY}")


def test_signed_statement_with_matching_payload_is_accepted(xapi):
    data = statement(id=new_id())
    assert _signed(xapi, data, data).status_code == 200


def test_signed_statement_whose_payload_differs_is_400(xapi):
    data = statement(id=new_id())
    tampered = data | {"verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    assert _signed(xapi, data, tampered).status_code == 400


def test_signed_statement_with_hmac_algorithm_is_400(xapi):
    data = statement(id=new_id())
    assert _signed(xapi, data, data, alg="HS256").status_code == 400


def test_signature_with_wrong_content_type_is_400(xapi):
    data = statement(id=new_id())
    assert _signed(xapi, data, data, content_type="text/plain").status_code == 400


def test_alternate_syntax_put_is_accepted_in_1_0_3(xapi):
    xapi.version = "1.0.3"
    sid = new_id()
    form = urlencode(
        {
            "statementId": sid,
            "content": orjson.dumps(statement()).decode(),
            "Authorization": xapi.headers()["Authorization"],
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        }
    )
    response = xapi.client.post(
        "/xapi/statements?method=PUT", form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 204
    assert xapi.get(statementId=sid).status_code == 200


def test_alternate_syntax_is_refused_in_2_0(xapi):
    response = xapi.request(
        "POST", "statements?method=GET", "", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_alternate_syntax_with_extra_query_parameters_is_400(xapi):
    xapi.version = "1.0.3"
    response = xapi.request(
        "POST",
        "statements?method=GET&limit=1",
        "",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
