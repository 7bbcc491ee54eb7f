"""Bitstring Status List: the compressed bit list and the credential that publishes it."""

from __future__ import annotations

import base64
import gzip


def encode_list(bits: bytes) -> str:
    """Multibase base64url (no padding) of the GZIP-compressed bitstring."""
    packed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("encodedList is not base64url multibase")
    body = encoded[1:]
    data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return gzip.decompress(data)


def bit_is_set(bits: bytes, index: int) -> bool:
    """Index 0 is the most significant bit of the first byte, as the specification says."""
    byte, offset = divmod(index, 8)
    if byte >= len(bits):
        raise IndexError("status index beyond the list")
    return bool(bits[byte] & (0x80 >> offset))


def set_bit(bits: bytes, index: int, value: bool = True) -> bytes:
    b = bytearray(bits)
    byte, offset = divmod(index, 8)
    if value:
        b[byte] |= 0x80 >> offset
    else:
        b[byte] &= ~(0x80 >> offset) & 0xFF
    return bytes(b)
