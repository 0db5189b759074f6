#!/usr/bin/env python3
"""Send malformed IKE_SA_INIT requests to a gateway (rwquirks-badinput).

Each request is a well-formed IKEv2 header around payloads that are odd but mostly
parseable, so they reach rw-quirks' message hook: an empty proposal list, oversized
and unknown transforms, more proposals and vendor IDs than the classifier describes,
junk and oversized vendor IDs and notify data, duplicated notifies, and a few that
charon's parser itself rejects (truncated, lengths past the end).
usage: ikejunk.py HOST [PORT]
"""
import os
import socket
import struct
import sys
import time

SA, KE, NONCE, NOTIFY, VID = 33, 34, 40, 41, 43


def payload(kind, body):
    return kind, body


def chain(payloads):
    """Encode payloads with next-payload chaining; returns (first type, bytes)."""
    out = b""
    for i, (kind, body) in enumerate(payloads):
        nxt = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        out += struct.pack("!BBH", nxt, 0, 4 + len(body)) + body
    return (payloads[0][0] if payloads else 0), out


def transform(ttype, tid, keylen=None, last=False):
    attrs = struct.pack("!HH", 0x800E, keylen) if keylen is not None else b""
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def proposal(num, transforms, last=False, protocol=1):
    spi = os.urandom(4) if protocol != 1 else b""
    body = spi + b"".join(transforms)
    return struct.pack("!BBHBBBB", 0 if last else 2, 0, 8 + len(body), num, protocol,
                       len(spi), len(transforms)) + body


def good_proposal(num, last=False):
    return proposal(num, [transform(1, 12, 128), transform(3, 12), transform(2, 5),
                          transform(4, 31, last=True)], last)


def ke(group=31, size=32):
    return payload(KE, struct.pack("!HH", group, 0) + os.urandom(size))


def notify(ntype, data=b""):
    return payload(NOTIFY, struct.pack("!BBH", 0, 0, ntype) + data)


def message(payloads, length_delta=0, truncate=0):
    first, body = chain(payloads)
    header = os.urandom(8) + bytes(8) + struct.pack("!BBBBII", first, 0x20, 34, 0x08, 0,
                                                    28 + len(body) + length_delta)
    data = header + body
    return data[:len(data) - truncate] if truncate else data


def cases():
    nonce = payload(NONCE, os.urandom(32))
    sa = payload(SA, good_proposal(1, last=True))
    junk_vids = [payload(VID, os.urandom(n)) for n in (1, 7, 16, 20, 31, 32, 33, 255, 300)]
    yield "empty proposal list", message([payload(SA, b""), ke(), nonce])
    yield "proposal without transforms", message([payload(SA, proposal(1, [], last=True)), ke(), nonce])
    yield "oversized proposal (60 transforms, unknown types and IDs)", message([
        payload(SA, proposal(1, [transform(1, 12, 128)] * 20 + [transform(200, 65535)] * 20 +
                             [transform(4, 60000)] * 19 + [transform(4, 31, last=True)], last=True)),
        ke(), nonce])
    yield "40 proposals", message([
        payload(SA, b"".join(good_proposal(i) for i in range(1, 40)) + good_proposal(40, last=True)),
        ke(), nonce])
    # charon accepts up to 20 of each; the classifier describes 8 vendor IDs
    yield "junk and oversized vendor IDs", message([sa, ke(), nonce] + (junk_vids * 3)[:20])
    yield "oversized and unknown notifies, duplicated NAT-D", message(
        [sa, ke(), nonce] + [notify(16388, os.urandom(20))] * 12 +
        [notify(40000 + i, os.urandom(1000)) for i in range(5)] + [notify(16406)] * 3)
    yield "KE of group 0 without data", message([sa, ke(0, 0), nonce])
    yield "ESP proposal in IKE_SA_INIT", message([
        payload(SA, proposal(1, [transform(1, 12, 128), transform(3, 12, last=True)],
                             last=True, protocol=3)), ke(), nonce])
    yield "length past the end", message([sa, ke(), nonce], length_delta=100)
    yield "truncated", message([sa, ke(), nonce] + junk_vids, truncate=37)
    yield "payload length past the end", message([sa, ke(), nonce])[:-8] + b"\xff" * 8
    yield "notify data cut short", message([sa, ke(), nonce, payload(NOTIFY, b"\x00")])


def main():
    host = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("", 500))
    for name, data in cases():
        sock.sendto(data, (host, port))
        print(f"sent {len(data):5d} bytes: {name}")
        # one at a time: each gets its own half-open IKE_SA
        time.sleep(0.3)
    sock.close()


if __name__ == "__main__":
    main()
