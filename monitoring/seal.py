"""The seal of a published assessment year (issue 14 item 8; 密评 GB/T 39786 §8.4 integrity).

A published year is sealed with HMAC-SM3 under the key "seal" (obligations.keys: outside the
database and the repository), over the year, **the weights the year was computed with** (stored
on the year, so changing the weights for next year leaves published years verifying) and its
stored results. Besides the one seal over everything there is one MAC for the weights and one per
result, so a verification that fails names what was changed: the weights, or which subject's
result, or a subject added or removed. Someone with database access but without the key cannot
make a seal that verifies (a plain SHA-256 of the same content does not).

Pure: plain data in, plain data out (the 0005 migration re-seals old years with it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from obligations.keys import hmac_sm3

KEY = "seal"


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode()


def row_key(row: dict) -> str:
    """A result's name in the seal: "county:210422", "unit:17"."""
    return f"{row['subject']}:{row['region'] or row['unit']}"


def _mac(value) -> str:
    return hmac_sm3(KEY, _canonical(value))


def seal(year: int, weights: dict, rows: list[dict]) -> tuple[str, dict]:
    """(the seal over everything, the MACs of the weights and of each result)."""
    parts = {"weights": _mac({"year": year, "weights": weights}),
             "results": {row_key(r): _mac({"year": year, "result": r}) for r in rows}}
    overall = _mac({"year": year, "weights": weights, "results": sorted(rows, key=row_key)})
    return overall, parts


@dataclass
class Check:
    """What differs between a stored year and its seal; all empty when it verifies."""

    weights_changed: bool = False
    changed: list[str] = field(default_factory=list)  # row keys whose result differs
    removed: list[str] = field(default_factory=list)  # sealed, no longer stored
    added: list[str] = field(default_factory=list)  # stored, never sealed
    seal_changed: bool = False  # every part matches but the seal does not: forged or edited

    @property
    def ok(self) -> bool:
        return not (self.weights_changed or self.changed or self.removed or self.added
                    or self.seal_changed)


def check(year: int, weights: dict, rows: list[dict], *, digest: str, parts: dict) -> Check:
    overall, now = seal(year, weights, rows)
    result = Check()
    sealed_rows = (parts or {}).get("results") or {}
    result.weights_changed = now["weights"] != (parts or {}).get("weights")
    result.changed = sorted(k for k, mac in now["results"].items()
                            if k in sealed_rows and sealed_rows[k] != mac)
    result.removed = sorted(k for k in sealed_rows if k not in now["results"])
    result.added = sorted(k for k in now["results"] if k not in sealed_rows)
    result.seal_changed = overall != digest
    if not result.ok and (result.weights_changed or result.changed or result.removed
                          or result.added):
        result.seal_changed = False  # the parts already say what differs
    return result
