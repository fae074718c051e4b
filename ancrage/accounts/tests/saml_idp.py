"""A SAML 2.0 identity provider for the tests: a key pair made here, responses signed by xmlsec.

`SamlIdp.response(...)` builds a Response answering our AuthnRequest, with one Assertion
signed (enveloped XML-DSig, RSA-SHA256, exclusive c14n) by the test key; its knobs build the
hostile variants (unsigned, other key, SHA-1, wrong audience, recipient, issuer, times).
"""

import base64
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


def key_pair(common_name: str = "idp.alpha.test") -> tuple[str, str]:
    """A fresh RSA key and a self-signed certificate, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


def request_id_from_redirect(location: str) -> str:
    """The ID of the AuthnRequest carried (deflated, base64) in the redirect to the IdP."""
    encoded = parse_qs(urlsplit(location).query)["SAMLRequest"][0]
    xml = zlib.decompress(base64.b64decode(encoded), -15)
    return str(etree.fromstring(xml).get("ID"))


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(element: etree._Element, key_pem: str, cert_pem: str, *, sha1: bool = False) -> None:
    """Enveloped XML signature of `element` (placed after its Issuer), in place."""
    signature = xmlsec.template.create(
        element,
        xmlsec.Transform.EXCL_C14N,
        xmlsec.Transform.RSA_SHA1 if sha1 else xmlsec.Transform.RSA_SHA256,
        ns="ds",
    )
    element.find(f"{{{SAML}}}Issuer").addnext(signature)  # type: ignore[union-attr]
    reference = xmlsec.template.add_reference(
        signature,
        xmlsec.Transform.SHA1 if sha1 else xmlsec.Transform.SHA256,
        uri="#" + element.get("ID"),  # type: ignore[operator]
    )
    xmlsec.template.add_transform(reference, xmlsec.Transform.ENVELOPED)
    xmlsec.template.add_transform(reference, xmlsec.Transform.EXCL_C14N)
    xmlsec.template.add_x509_data(xmlsec.template.ensure_key_info(signature))
    key = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM)
    key.load_cert_from_memory(cert_pem, xmlsec.KeyFormat.PEM)
    context = xmlsec.SignatureContext()
    context.key = key
    xmlsec.tree.add_ids(element, ["ID"])
    context.sign(signature)


class SamlIdp:
    def __init__(self, entity_id: str = "https://sts.alpha.test/adfs") -> None:
        self.entity_id = entity_id
        self.sso_url = "https://sts.alpha.test/adfs/ls/"
        self.key_pem, self.cert_pem = key_pair()
        self.other_key_pem, self.other_cert_pem = key_pair("impostor.test")

    def response(
        self,
        *,
        acs_url: str,
        audience: str,
        in_response_to: str,
        subject: str = "s-0001-persistent",
        email: str = "amel@alpha.test",
        name: str = "Amel Haddad",
        department: str = "Ventes",
        issuer: str = "",
        recipient: str = "",
        now: datetime | None = None,
        lifetime: timedelta = timedelta(minutes=5),
        signed: bool = True,
        other_key: bool = False,
        sha1: bool = False,
        tamper: bool = False,
    ) -> str:
        """The base64 SAMLResponse a browser would post to our ACS."""
        now = now or datetime.now(UTC)
        issuer = issuer or self.entity_id
        response = etree.fromstring(
            f"""<samlp:Response xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}"
  ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}"
  Destination="{acs_url}" InResponseTo="{in_response_to}">
  <saml:Issuer>{issuer}</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
</samlp:Response>"""
        )
        assertion = etree.fromstring(
            f"""<saml:Assertion xmlns:saml="{SAML}" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}">
  <saml:Issuer>{issuer}</saml:Issuer>
  <saml:Subject>
    <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{subject}</saml:NameID>
    <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
      <saml:SubjectConfirmationData NotOnOrAfter="{_instant(now + lifetime)}"
        Recipient="{recipient or acs_url}" InResponseTo="{in_response_to}"/>
    </saml:SubjectConfirmation>
  </saml:Subject>
  <saml:Conditions NotBefore="{_instant(now - timedelta(seconds=30))}" NotOnOrAfter="{_instant(now + lifetime)}">
    <saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
  </saml:Conditions>
  <saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="_s{uuid.uuid4().hex}">
    <saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>
  </saml:AuthnStatement>
  <saml:AttributeStatement>
    <saml:Attribute Name="email"><saml:AttributeValue xsi:type="xs:string">{email}</saml:AttributeValue></saml:Attribute>
    <saml:Attribute Name="displayName"><saml:AttributeValue xsi:type="xs:string">{name}</saml:AttributeValue></saml:Attribute>
    <saml:Attribute Name="department"><saml:AttributeValue xsi:type="xs:string">{department}</saml:AttributeValue></saml:Attribute>
  </saml:AttributeStatement>
</saml:Assertion>"""
        )
        if signed:
            if other_key:
                sign(assertion, self.other_key_pem, self.other_cert_pem, sha1=sha1)
            else:
                sign(assertion, self.key_pem, self.cert_pem, sha1=sha1)
        if tamper:
            assertion.find(f".//{{{SAML}}}NameID").text = "s-9999-the-boss"  # type: ignore[union-attr]
        response.append(assertion)
        return base64.b64encode(etree.tostring(response)).decode()
