"""Train Sitrep's German NER pipeline (tokenizer, tok2vec, ner) on CPU, reproducibly.

Data (read by path, never copied into the repository):
  train: WikiANN-de `train` + WikiANN-de `dev` (all but the first 500 sentences), items of
         at least 6 tokens (shorter ones are title-like fragments)
         + GermEval 2014 `dev` (all but the last 500 sentences, repeated x10)
         + CoNLL-2003 German `deu.testa` (all but the last 500 sentences, repeated x5):
           the only newswire of the three, the register Sitrep reads
  dev (model selection only): WikiANN-de `dev` first 500 + GermEval `dev` last 500
         + CoNLL `deu.testa` last 500
Test splits (GermEval `test`, WikiANN `test`, CoNLL `deu.testb`) are never read here.

GermEval and CoNLL labels are mapped to the WikiANN set: PER/LOC/ORG kept; OTH, MISC and
the `…deriv`/`…part` labels become O. The best model (by dev ents_f) is written, without
training state, to `src/sitrep/ner/models/de`.

    .venv/bin/python training/ner_de/train.py [--data ../shared/data/ner-de] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEED = 0


def _docbin(sentences, nlp, path: Path) -> int:
    from spacy.tokens import Doc, DocBin, Span

    bin_ = DocBin(store_user_data=False)
    for words, spans in sentences:
        doc = Doc(nlp.vocab, words=words)
        doc.ents = [Span(doc, s, e, label=label) for s, e, label in spans if label != "MISC"]
        bin_.add(doc)
    bin_.to_disk(path)
    return len(bin_)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner-de")
    parser.add_argument("--work", type=Path, default=HERE / "build")
    parser.add_argument(
        "--out", type=Path, default=REPO / "src" / "sitrep" / "ner" / "models" / "de"
    )
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument(
        "--germeval-weight", type=int, default=10, help="copies of the GermEval dev training part"
    )
    parser.add_argument(
        "--conll-weight", type=int, default=5, help="copies of the CoNLL testa training part"
    )
    parser.add_argument(
        "--wikiann-min-tokens",
        type=int,
        default=6,
        help="leave out WikiANN items shorter than this (title-like fragments)",
    )
    args = parser.parse_args(argv)

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import spacy
    from spacy.cli.train import train
    from thinc.api import fix_random_seed

    sys.path.insert(0, str(REPO / "src"))
    from sitrep.eval.ner import read_sentences

    random.seed(SEED)
    fix_random_seed(SEED)
    started = time.monotonic()
    wikiann, germeval = args.data / "wikiann-de", args.data / "germeval2014"
    wiki_train = read_sentences(wikiann / "train")
    wiki_dev = read_sentences(wikiann / "dev")
    ge_dev = read_sentences(germeval / "NER-de-dev.tsv")
    conll = read_sentences(args.data / "conll2003-de" / "deu.testa")
    wiki = [item for item in wiki_train + wiki_dev[500:] if len(item[0]) >= args.wikiann_min_tokens]
    train_set = wiki + ge_dev[:-500] * args.germeval_weight + conll[:-500] * args.conll_weight
    dev_set = wiki_dev[:500] + ge_dev[-500:] + conll[-500:]
    random.Random(SEED).shuffle(train_set)

    args.work.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("de")
    n_train = _docbin(train_set, nlp, args.work / "train.spacy")
    n_dev = _docbin(dev_set, nlp, args.work / "dev.spacy")
    print(f"train {n_train} sentences, dev {n_dev} sentences", flush=True)

    overrides = {
        "paths.train": str(args.work / "train.spacy"),
        "paths.dev": str(args.work / "dev.spacy"),
    }
    if args.max_steps:
        overrides["training.max_steps"] = args.max_steps
    output = args.work / "output"
    train(HERE / "config.cfg", output, overrides=overrides, use_gpu=-1)

    package(output / "model-best", args.out)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    minutes = (time.monotonic() - started) / 60
    print(f"wrote {args.out} ({size / 1e6:.1f} MB) in {minutes:.1f} min", flush=True)
    return 0


def package(model: Path, out: Path) -> None:
    """Write the best model, with Sitrep's metadata, where `sitrep.ner` loads it."""
    import spacy

    best = spacy.load(model)
    best.meta.update(
        {
            "name": "sitrep_ner_de",
            "version": "0.1.0",
            "description": "Sitrep German NER (PER, LOC, ORG): WikiANN-de train+dev, "
            "GermEval 2014 dev, CoNLL-2003 German testa; see training/ner_de/train.py",
            "license": "CC-BY-4.0 (GermEval 2014 data); WikiANN licence not stated",
        }
    )
    if out.exists():
        shutil.rmtree(out)
    best.to_disk(out)
    config = out / "config.cfg"  # no machine-specific corpus paths in the shipped config
    lines = config.read_text(encoding="utf-8").splitlines()
    lines = [re.sub(r'^(train|dev) = ".*"$', r"\1 = null", line) for line in lines]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
