"""What every scorer shares: a precision/recall/F1 record (after spaCy's `PRFScore`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PRF:
    """Counts of true positives, predictions and gold items, and the scores they give."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def p(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (self.n_pred + self.n_gold) if self.n_pred + self.n_gold else 0.0

    def __iadd__(self, other: PRF) -> PRF:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold
        return self

    def as_dict(self, digits: int = 4) -> dict[str, float]:
        """`{"p", "r", "f1"}` as fractions from 0 to 1."""
        return {
            "p": round(self.p, digits),
            "r": round(self.r, digits),
            "f1": round(self.f1, digits),
        }
