"""Each signer's private key, held by a secret only that signer has.

A member's signing key is never protected by the store key alone, so whoever can open the store
(an officer on the same laptop, someone with a copy of the store and its passphrase) cannot sign
as the chair. It is kept in one of two ways:

* ``passphrase``: PKCS#8 wrapped with AES-256-GCM under a key derived by Argon2id from the
  member's own *signing passphrase* (the same wrapping as the store's key file,
  ``store.keys.wrap_key``), bound to this store and this certificate. Asked for at each signing.
* ``pkcs12``: the council's .p12/.pfx file kept exactly as imported, encrypted with its own
  password, which is asked for at each signing.

Keys made before this (``store``: wrapped with a key derived from the store key) still sign
once: the first signing after the upgrade asks the member to choose a signing passphrase, and
the key is re-wrapped with it in the same transaction.

The secret comes from the front end (the command line asks, or reads
``PANELAPP_SIGNING_PASSPHRASE`` for automation and tests; the window's signing dialog asks).
It is never logged, audited or kept.
"""

from __future__ import annotations

import json
import os

from cryptography.hazmat.primitives import serialization

from panelapp.documents.signing_errors import SigningError
from panelapp.documents.signing_identity import SigningIdentity, identity_from_pem, load_pkcs12
from panelapp.domain.errors import PanelappError
from panelapp.store.errors import StoreError
from panelapp.store.keys import MIN_PASSPHRASE_LENGTH, unwrap_key, wrap_key

SIGNING_PASSPHRASE_ENV = "PANELAPP_SIGNING_PASSPHRASE"

#: a sealed private key (PKCS#8 DER of an RSA key up to 8192 bits or an EC key, plus the tag)
_SEALED_KEY = (48, 8192)

STORE, PASSPHRASE, PKCS12 = "store", "passphrase", "pkcs12"


class SigningSecretNeeded(PanelappError):
    """The member's own secret is needed to unlock (or, for an upgraded key, protect) their key.

    ``kind`` is ``"passphrase"`` (their signing passphrase), ``"new passphrase"`` (choose one:
    the first signing after the upgrade, or a new certificate) or ``"certificate password"``
    (the password of their imported .p12/.pfx file).
    """

    def __init__(self, member_id: int, member_name: str, kind: str, message: str) -> None:
        super().__init__(message)
        self.member_id = member_id
        self.member_name = member_name
        self.kind = kind


def secret_from_env() -> str | None:
    return os.environ.get(SIGNING_PASSPHRASE_ENV) or None


def _aad(store_id: str, fingerprint: str) -> str:
    return f"signing-key:{store_id}:{fingerprint}"


def check_new_passphrase(passphrase: str, member_name: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise PanelappError(
            f"{member_name}'s signing passphrase must be at least {MIN_PASSPHRASE_LENGTH} "
            "characters. Choose a longer one that only they know."
        )


def wrap_with_passphrase(
    identity: SigningIdentity, passphrase: str, store_id: str, member_name: str
) -> bytes:
    check_new_passphrase(passphrase, member_name)
    der = identity.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    wrap = wrap_key(der, passphrase, _aad(store_id, identity.fingerprint))
    return json.dumps({"format": "panelapp-signing-key-1", **wrap}).encode()


def unlock_with_passphrase(
    certificate_pem: bytes, wrapped: bytes, passphrase: str, store_id: str, fingerprint: str
) -> SigningIdentity:
    try:
        wrap = json.loads(wrapped.decode())
        der = unwrap_key(wrap, passphrase, _aad(store_id, fingerprint), sealed_bytes=_SEALED_KEY)
    except (ValueError, UnicodeDecodeError, StoreError) as exc:
        raise _wrong() from exc
    # The key was validated when it was created or imported, before it was wrapped; the
    # authenticated unwrap above proves these are those bytes, so neither load checks it again.
    key = serialization.load_der_private_key(
        der, password=None, unsafe_skip_rsa_key_validation=True
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return identity_from_pem(certificate_pem, pem, None, validated=True)


class _Wrong(PanelappError):
    pass


def _wrong() -> PanelappError:
    return _Wrong(
        "That signing passphrase does not unlock the signing key. Check it (capitals, spaces) "
        "and try again; only the member who signs knows it."
    )


def unlock_pkcs12(data: bytes, password: str) -> SigningIdentity:
    try:
        return load_pkcs12(data, password)
    except SigningError as exc:
        raise _Wrong(exc.message) from None
