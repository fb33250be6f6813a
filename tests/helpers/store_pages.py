"""Read a store file's pages decrypted, every byte of them (free pages, the slack inside pages
and the WAL included), to prove what the file itself still holds. SQLCipher 4 defaults with a
raw key, as panelapp's engine keys it: 4096-byte pages, each encrypted with AES-256-CBC, its IV
in the 80 reserved bytes at the page's end (IV 16, HMAC-SHA512 64); page 1 starts with the
16-byte salt instead of the SQLite header's first 16 bytes."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE, RESERVE, SALT = 4096, 80, 16
WAL_HEADER, FRAME_HEADER = 32, 24


def _decrypt(key: bytes, page: bytes, first: bool) -> bytes:
    start = SALT if first else 0
    body, iv = page[start : PAGE - RESERVE], page[PAGE - RESERVE : PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def decrypted_pages(path: Path, key: bytes) -> list[bytes]:
    """Every page of the store file and of its WAL, decrypted."""
    pages = []
    data = Path(path).read_bytes()
    for n in range(len(data) // PAGE):
        pages.append(_decrypt(key, data[n * PAGE : (n + 1) * PAGE], n == 0))
    wal = Path(f"{path}-wal")
    if wal.exists():
        frames = wal.read_bytes()[WAL_HEADER:]
        size = FRAME_HEADER + PAGE
        for n in range(len(frames) // size):
            frame = frames[n * size : (n + 1) * size]
            number = int.from_bytes(frame[:4], "big")
            pages.append(_decrypt(key, frame[FRAME_HEADER:], number == 1))
    return pages


def file_holds(path: Path, key: bytes, word: str) -> bool:
    """Whether the word (UTF-8 or UTF-16, as SQLite may store text) is anywhere in the file."""
    needles = [word.encode("utf-8"), word.encode("utf-16-le"), word.encode("utf-16-be")]
    return any(n in page for page in decrypted_pages(path, key) for n in needles)
