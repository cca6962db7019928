"""Writes the golden file JsonCodecPythonGoldenTest compares with: for each JSON document, what
Python's json.dumps(..., sort_keys=True) writes with ensure_ascii False and True.

Run from this directory: python3 make_json_golden.py > ../resources/io/github/redisext/core/python-json-golden.jsonl
Each output line is a JSON array [input_text, j_utf8, j_ascii]. Deterministic (seeded).
"""
import json
import random
import struct
import sys

rnd = random.Random(20261121)

FIXED = [
    {"b": 1, "a": "é", "n": {"z": 1, "y": [1.0, 1e10]}},
    {"stock": "股票", "window": 1714999980},
    {"x": 0},
    "é", "\u007f", "\u2028\u2029", "😀", "tab\tnl\nquote\"back\\slash/", "\u0000\u001f\u0010",
    1180591620717411303424, -1180591620717411303424, 0, -0.0, 0.0, 1.0, 3.14, 0.0001, 0.00001,
    1.5e-05, 10000000000.0, 1000000000000000.0, 1e16, 1e22, 1.7976931348623157e308, 5e-324,
    2.2250738585072014e-308, 0.1, 0.2, 0.30000000000000004, 123456789012345678.0, 9007199254740993,
    [1, 2, [3, [4, {"b": None, "a": True}]]], [], {}, None, True, False,
    {"\ue000": 1, "\U0001f600": 2, "a": 3, "B": 4, "": 5},
    {"k": [{"z": 1, "a": 2}]},
    2e23, 4.35, 1e-7, 1.2345e-5, 123.456e10, 9.999999999999999e15,
]

ALPHABET = ["a", "b", "Z", "0", " ", "é", "ß", "中", "\u2028", "\ue000", "\U0001f600", "\U00010000",
            "\n", "\t", "\"", "\\", "/", "\u0001", "\u007f", "<", "&", "'", "="]


def rstr():
    return "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 8)))


def rfloat():
    kind = rnd.random()
    if kind < 0.3:
        return struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(64) & 0x7FEFFFFFFFFFFFFF))[0] * rnd.choice([1, -1])
    if kind < 0.6:
        return rnd.uniform(-1e6, 1e6)
    if kind < 0.8:
        return round(rnd.uniform(-1000, 1000), rnd.randint(0, 6))
    return rnd.choice([1, -1]) * 10.0 ** rnd.randint(-20, 25) * rnd.randint(1, 99)


def rvalue(depth):
    k = rnd.random()
    if depth > 3 or k < 0.45:
        c = rnd.random()
        if c < 0.2:
            return rstr()
        if c < 0.4:
            return rnd.randint(-10**rnd.randint(0, 30), 10**rnd.randint(0, 30))
        if c < 0.75:
            return rfloat()
        return rnd.choice([None, True, False])
    if k < 0.7:
        return [rvalue(depth + 1) for _ in range(rnd.randint(0, 4))]
    return {rstr(): rvalue(depth + 1) for _ in range(rnd.randint(0, 5))}


docs = FIXED + [rvalue(0) for _ in range(400)]
out = sys.stdout
for d in docs:
    text = json.dumps(d)  # input: insertion order, ASCII
    back = json.loads(text)
    line = [text, json.dumps(back, sort_keys=True, ensure_ascii=False), json.dumps(back, sort_keys=True)]
    out.write(json.dumps(line) + "\n")
