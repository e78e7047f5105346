"""A third party's check of a cmek evidence file, with nothing of cmek's: Python's `cryptography`
and a from-scratch RFC 8785 (JSON Canonicalization Scheme) serializer.

    python verify_evidence.py FILE      exit 0: the signature verifies; 1: it does not (one line why)

The file is {"evidence": ..., "signature": {"key_arn", "algorithm": "ECDSA_SHA_256", "value": base64
DER}, "public_key": base64 DER SubjectPublicKeyInfo} (docs/json.md). ECDSA_SHA_256 over the canonical
bytes of `evidence` is what KMS's Sign with MessageType DIGEST over their SHA-256 produces, so the
check is the standard ECDSA(SHA-256) verification over those bytes."""

import base64
import json
import math
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key


def _number(n):
    # RFC 8785 section 3.2.2.3: ECMAScript's Number.prototype.toString for the IEEE 754 double.
    if isinstance(n, bool):
        raise TypeError("bool is not a number")
    if isinstance(n, int) and abs(n) < 2 ** 53:
        return str(n)
    f = float(n)
    if math.isnan(f) or math.isinf(f):
        raise ValueError("NaN and Infinity are not JSON")
    if f == 0:
        return "0"
    if f.is_integer() and abs(f) < 1e21:
        return str(int(f))
    r = repr(f)  # shortest round-trip form, as ES6 requires; then ES6's exponent style
    if "e" in r:
        mant, exp = r.split("e")
        mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
        e = int(exp)
        if -7 < e < 21:
            return format(f, "f").rstrip("0").rstrip(".")
        return f"{mant}e{'+' if e > 0 else '-'}{abs(e)}"
    return r


def canonical(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return _number(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        # Members sorted by their names' UTF-16 code units (section 3.2.3).
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k]) for k in keys) + "}"
    raise TypeError(f"not JSON: {type(v)}")


def main(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc["signature"]["algorithm"] != "ECDSA_SHA_256":
        print(f"FAIL: algorithm {doc['signature']['algorithm']}")
        return 1
    key = load_der_public_key(base64.b64decode(doc["public_key"]))
    data = canonical(doc["evidence"]).encode("utf-8")
    try:
        key.verify(base64.b64decode(doc["signature"]["value"]), data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        print("FAIL: the signature does not verify over the canonical evidence")
        return 1
    print(f"PASS: signed by {doc['signature']['key_arn']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
