"""Signing keys and passphrase derivations computed once per test session (per xdist worker).

An RSA key takes a tenth of a second or more to generate and an Argon2id derivation (64 MiB,
three passes) about as long; the suite makes hundreds of each. These caches keep every
result real:

* RSA keys come from a pool of real keys: the n-th key a test asks for (of a given size) is the
  pool's n-th, so the keys within one test are as distinct as freshly made ones (a new
  certificate, a forged copy under a fresh key), while the next test reuses them.
* Argon2id is a pure function of its inputs (passphrase, salt, cost): a derivation already made
  in this session with the same inputs gives the same bytes, so it is looked up; any other input
  (a wrong passphrase, another salt, changed costs) is derived for real.
* Loading a private key (which checks the RSA key's arithmetic, a tenth of a second) is looked
  up the same way, by its exact bytes and password.

Tests marked ``real_crypto`` bypass all three, so each is also proved uncached.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.hazmat.primitives.asymmetric import rsa

_GENERATE = rsa.generate_private_key  # the real one, taken before any test replaces it


@contextmanager
def fresh_keys() -> Iterator[None]:
    """Newly generated RSA keys inside, whatever the test has: for the template stores, whose
    keys must never be the ones a test then draws from the pool as "fresh"."""
    current = rsa.generate_private_key
    rsa.generate_private_key = _GENERATE
    try:
        yield
    finally:
        rsa.generate_private_key = current


class KeyPool:
    def __init__(self) -> None:
        self._generate = _GENERATE
        self._keys: dict[tuple[int, int], list[rsa.RSAPrivateKey]] = defaultdict(list)

    def for_one_test(self):
        """A ``generate_private_key`` for one test: its own count, the session's keys."""
        taken: dict[tuple[int, int], int] = defaultdict(int)

        def generate_private_key(public_exponent: int, key_size: int, backend=None):
            kind = (public_exponent, key_size)
            keys, n = self._keys[kind], taken[kind]
            if n == len(keys):
                keys.append(self._generate(public_exponent=public_exponent, key_size=key_size))
            taken[kind] = n + 1
            return keys[n]

        return generate_private_key


class DerivationCache:
    def __init__(self, derive) -> None:
        self._derive = derive
        self._known: dict[tuple, bytes] = {}

    def __call__(self, passphrase: str, salt: bytes, memory_kib: int, iterations: int, lanes: int):
        inputs = (passphrase, salt, memory_kib, iterations, lanes)
        if inputs not in self._known:
            self._known[inputs] = self._derive(*inputs)
        return self._known[inputs]


class LoadCache:
    """A private key loader (``load_pem_private_key``, ``load_der_private_key``) that checks
    and parses each distinct input once: the same bytes and password give the same (immutable)
    key, and anything else, a wrong password or damaged bytes among them, is loaded for real."""

    def __init__(self, load) -> None:
        self._load = load
        self._known: dict[tuple, object] = {}

    def __call__(self, data, password, backend=None, *, unsafe_skip_rsa_key_validation=False):
        inputs = (bytes(data), password, unsafe_skip_rsa_key_validation)
        if inputs not in self._known:
            self._known[inputs] = self._load(
                data, password, unsafe_skip_rsa_key_validation=unsafe_skip_rsa_key_validation
            )
        return self._known[inputs]
