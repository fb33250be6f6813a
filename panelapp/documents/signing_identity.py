"""The Chair's signing identity: an X.509 certificate and its private key.

An identity comes either from :func:`create_identity` (a self-signed certificate that panelapp makes
for the Chair) or from the council's own PKCS#12 file (``.p12``/``.pfx``) via :func:`load_pkcs12`.
:func:`identity_to_pem` and :func:`identity_from_pem` turn it into PEM bytes and back, so the app can
keep it in its encrypted store.

Only RSA (2048 bits or more) and ECDSA (P-256, P-384, P-521) keys are accepted: those are the key
types that Word and LibreOffice verify in a document signature.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from panelapp.documents.signing_errors import SigningError

__all__ = [
    "PrivateKey",
    "SigningIdentity",
    "create_identity",
    "identity_from_pem",
    "identity_to_pem",
    "load_pkcs12",
]

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

_RSA_KEY_SIZE = 3072
_MIN_RSA_KEY_SIZE = 2048
_SUPPORTED_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)
# X.520 upper bounds for the attributes we put in the certificate's subject.
_MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class SigningIdentity:
    """A certificate and the private key that belongs to it."""

    certificate: x509.Certificate
    private_key: PrivateKey = field(repr=False)

    def __post_init__(self) -> None:
        _check_key_type(self.private_key)
        if not _key_matches_certificate(self.private_key, self.certificate):
            raise SigningError(
                "The private key does not belong to the certificate. "
                "Import the certificate together with its own key (for example from the "
                "council's .p12/.pfx file)."
            )

    @property
    def common_name(self) -> str:
        """The certificate subject's common name (the signer's name), or the whole subject."""
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if names:
            value = names[0].value
            return value if isinstance(value, str) else value.decode("utf-8", "replace")
        return self.certificate.subject.rfc4514_string()

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the DER certificate as upper-case hex pairs joined by ':'."""
        return certificate_fingerprint(self.certificate)


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 fingerprint of ``certificate``: upper-case hex pairs joined by ':'."""
    digest = certificate.fingerprint(hashes.SHA256())
    return ":".join(f"{byte:02X}" for byte in digest)


def create_identity(
    name: str, role: str, organisation: str, *, valid_days: int = 3 * 365
) -> SigningIdentity:
    """Make a self-signed signing certificate and RSA-3072 key for a panel Chair.

    The subject is CN=``name``, title=``role``, O=``organisation`` (empty role or organisation are
    left out). The key usage is digital signature and non-repudiation only, so the certificate
    cannot be used for anything but signing.
    """
    name = (name or "").strip()
    role = (role or "").strip()
    organisation = (organisation or "").strip()
    if not name:
        raise SigningError("Enter the Chair's name before creating a signing certificate.")
    for label, value in (("name", name), ("role", role), ("organisation", organisation)):
        if len(value) > _MAX_NAME_LENGTH:
            raise SigningError(
                f"The {label} is too long for a certificate ({len(value)} characters; "
                f"at most {_MAX_NAME_LENGTH}). Shorten it and try again."
            )
    if valid_days < 1:
        raise SigningError("A signing certificate must be valid for at least one day.")

    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, name)]
    if role:
        attributes.append(x509.NameAttribute(NameOID.TITLE, role))
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    subject = x509.Name(attributes)

    key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_KEY_SIZE)
    now = datetime.now(UTC)
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public_key)
        # A positive serial of at most 20 octets, as RFC 5280 asks.
        .serial_number(secrets.randbits(159) | 1)
        # A few minutes back, so that a clock that is slightly behind still accepts it.
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(certificate=certificate, private_key=key)


def load_pkcs12(data: bytes, password: str | None) -> SigningIdentity:
    """Load the signing certificate and key from a PKCS#12 (.p12/.pfx) file's bytes."""
    if not data:
        raise SigningError(
            "The certificate file is empty. Choose the .p12 or .pfx file that the council's IT "
            "team issued for signing."
        )
    if password:
        candidates: list[bytes | None] = [password.encode("utf-8")]
    else:
        # Files "without a password" are written either with no password or with an empty one.
        candidates = [None, b""]
    loaded = None
    for candidate in candidates:
        try:
            loaded = pkcs12.load_pkcs12(data, candidate)
            break
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
    if loaded is None:
        raise SigningError(
            "The certificate file could not be opened: either the password is wrong or the file "
            "is not a PKCS#12 (.p12/.pfx) certificate file. Check the password and the file, and "
            "ask the council's IT team if it still fails."
        )
    key = loaded.key
    if key is None:
        raise SigningError(
            "The certificate file holds no private key, so it cannot be used to sign. Ask the "
            "council's IT team for a .p12/.pfx file that includes the private key."
        )
    key = _check_key_type(key)
    certificates = []
    if loaded.cert is not None:
        certificates.append(loaded.cert.certificate)
    certificates.extend(c.certificate for c in loaded.additional_certs)
    for certificate in certificates:
        if _key_matches_certificate(key, certificate):
            return SigningIdentity(certificate=certificate, private_key=key)
    raise SigningError(
        "The certificate file holds a private key but not the certificate that belongs to it. "
        "Ask the council's IT team for a complete .p12/.pfx file."
    )


def identity_to_pem(identity: SigningIdentity, passphrase: bytes | None) -> tuple[bytes, bytes]:
    """Return (certificate PEM, private key PEM); the key is encrypted when a passphrase is given."""
    if passphrase is not None and len(passphrase) == 0:
        raise SigningError("The passphrase that protects the signing key must not be empty.")
    encryption: serialization.KeySerializationEncryption
    if passphrase is None:
        encryption = serialization.NoEncryption()
    else:
        encryption = serialization.BestAvailableEncryption(passphrase)
    cert_pem = identity.certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = identity.private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=encryption,
    )
    return cert_pem, key_pem


def identity_from_pem(
    cert_pem: bytes, key_pem: bytes, passphrase: bytes | None, *, validated: bool = False
) -> SigningIdentity:
    """Rebuild a :class:`SigningIdentity` from the PEM bytes made by :func:`identity_to_pem`.

    ``validated``: the key is one this store checked when it was created or imported and has
    kept under authenticated encryption since, so the RSA consistency check (about 100 ms for a
    3072-bit key, at every signing) is skipped. Never pass it for a key read from outside."""
    try:
        certificate = x509.load_pem_x509_certificate(cert_pem)
    except (ValueError, TypeError) as exc:
        raise SigningError(
            "The stored signing certificate is damaged. Create or import the signing "
            "certificate again."
        ) from exc
    try:
        key = serialization.load_pem_private_key(
            key_pem, password=passphrase or None, unsafe_skip_rsa_key_validation=validated
        )
    except TypeError as exc:
        # cryptography says TypeError when a passphrase is missing or given for a plain key.
        raise SigningError(
            "The stored signing key could not be unlocked: a passphrase was expected but not "
            "given, or given for a key that has none. Unlock the store and try again."
        ) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SigningError(
            "The stored signing key could not be unlocked: the passphrase is wrong or the key "
            "is damaged. Check the passphrase, or create or import the signing certificate again."
        ) from exc
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(_UNSUPPORTED_KEY_MESSAGE)
    return SigningIdentity(certificate=certificate, private_key=key)


_UNSUPPORTED_KEY_MESSAGE = (
    "This kind of key cannot sign Word documents (RSA of at least 2048 bits or ECDSA "
    "P-256/P-384/P-521 is needed). Ask the council's IT team for a suitable signing certificate."
)


def _check_key_type(key: object) -> PrivateKey:
    """``key``, if it can sign Word documents; SigningError otherwise."""
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < _MIN_RSA_KEY_SIZE:
            raise SigningError(_UNSUPPORTED_KEY_MESSAGE)
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if not isinstance(key.curve, _SUPPORTED_CURVES):
            raise SigningError(_UNSUPPORTED_KEY_MESSAGE)
        return key
    raise SigningError(_UNSUPPORTED_KEY_MESSAGE)


def _key_matches_certificate(key: PrivateKey, certificate: x509.Certificate) -> bool:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    try:
        return key.public_key().public_bytes(der, spki) == certificate.public_key().public_bytes(
            der, spki
        )
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return False
