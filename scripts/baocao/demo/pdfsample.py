"""Signed PDFs for the demo and the tests: a throw-away certificate authority (root and
intermediate), signer certificates with Vietnamese names, and PDFs signed with pyHanko, with
or without an RFC 3161 timestamp from a local time-stamping authority (pyHanko's own
in-process ``DummyTimeStamper``: no network). Nothing here verifies; see ``baocao.checks.pdfsign``."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALID_FROM = datetime(2020, 1, 1, tzinfo=UTC)
VALID_TO = datetime(2040, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Identity:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def asn1(self) -> tuple[asn1_x509.Certificate, asn1_keys.PrivateKeyInfo]:
        der = self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_x509.Certificate.load(
            self.cert.public_bytes(serialization.Encoding.DER)
        ), asn1_keys.PrivateKeyInfo.load(der)


def _name(cn: str, org: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(parts)


def issue(
    cn: str,
    issuer: Identity | None = None,
    *,
    org: str = "",
    ca: bool = False,
    purpose: str = "sign",
    valid_from: datetime = VALID_FROM,
    valid_to: datetime = VALID_TO,
) -> Identity:
    """A certificate for ``cn``, signed by ``issuer`` (self-signed when None). A time-stamping
    authority gets an RSA key (pyHanko's local TSA signs with RSA only), everyone else P-256."""
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    key = rsa.generate_private_key(65537, 2048) if purpose == "timestamp" else ec.generate_private_key(ec.SECP256R1())
    subject = _name(cn, org)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_to)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    usage = dict.fromkeys(
        (
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, **usage), critical=True
        )
    else:
        usage["content_commitment"] = purpose == "sign"
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **usage), critical=True
        )
        if purpose == "timestamp":
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    signing_key = issuer.key if issuer else key
    return Identity(builder.sign(signing_key, hashes.SHA256()), key)


@dataclass(frozen=True)
class Authority:
    """A root, an intermediate under it, and a time-stamping authority under the intermediate."""

    root: Identity
    intermediate: Identity
    tsa: Identity

    @classmethod
    def make(cls, name: str = "CA thử nghiệm baocao") -> Authority:
        root = issue(f"{name} (gốc)", org="baocao", ca=True)
        intermediate = issue(f"{name} (trung gian)", root, org="baocao", ca=True)
        return cls(root, intermediate, issue("TSA thử nghiệm baocao", intermediate, org="baocao", purpose="timestamp"))


def blank_pdf(title: str = "Ban ky so") -> bytes:
    """A small, valid one-page PDF (standing in for a scanned original, or to be signed)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sign(
    data: bytes,
    signer: Identity,
    authority: Authority,
    *,
    when: datetime | None = None,
    timestamp: bool = False,
    field: str = "ChuKy1",
) -> bytes:
    """``data`` signed by ``signer`` (its chain embedded), claiming to be signed at ``when``;
    with ``timestamp``, also timestamped by ``authority.tsa`` at that time."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert, key = signer.asn1()
    chain = [authority.intermediate.asn1()[0], authority.root.asn1()[0]]
    simple = signers.SimpleSigner(cert, key, SimpleCertificateStore.from_certs(chain))
    moment = when or datetime.now(UTC)
    stamper = None
    if timestamp:
        tsa_cert, tsa_key = authority.tsa.asn1()
        stamper = DummyTimeStamper(tsa_cert, tsa_key, SimpleCertificateStore.from_certs(chain), fixed_dt=moment)

    class DatedSigner(signers.PdfSigner):
        """pyHanko signs at the machine's clock; the demo's documents are of 2022."""

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = moment
            return session

    out = io.BytesIO()
    DatedSigner(signers.PdfSignatureMetadata(field_name=field), simple, timestamper=stamper).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(data)), output=out
    )
    return out.getvalue()


def append_content(signed: bytes) -> bytes:
    """An incremental update after signing that adds a page's worth of new content."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    extra = w.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 400 Td (SUA SAU KHI KY) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()
