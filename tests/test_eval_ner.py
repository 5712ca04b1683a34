"""NER scorer (`sitrep.eval.ner`): readers for the three formats and exact-span scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.eval.ner import evaluate, read_sentences, score, spans_from_tags

GERMEVAL = """#\thttp://example.org\t[2010-01-01]
1\tAngela\tB-PER\tO
2\tMerkel\tI-PER\tO
3\tbesuchte\tO\tO
4\tdeutsche\tB-LOCderiv\tO
5\tSoldaten\tO\tO
6\tin\tO\tO
7\tMossul\tB-LOC\tO
8\t.\tO\tO

#\thttp://example.org/2\t[2010-01-01]
1\tDie\tO\tO
2\tEU-Kommission\tB-ORGpart\tO
3\tlas\tO\tO
4\tFaust\tB-OTH\tO
5\t.\tO\tO

"""
WIKIANN = "de:Katja\tB-PER\nde:Kipping\tI-PER\nde:,\tO\n\nde:Berlin\tB-LOC\n"
CONLL = (
    "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\n"
    "Paris NNP I-NP I-LOC\nLondon NNP I-NP B-LOC\n\n-DOCSTART- -X- O O"
)


def test_eval_ner_spans_from_iob1_and_iob2():
    assert spans_from_tags(["B-PER", "I-PER", "O", "I-LOC", "B-LOC"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
    ]
    assert spans_from_tags(["B-LOCderiv", "B-ORGpart", "B-OTH"]) == [(2, 3, "MISC")]


def test_eval_ner_read_germeval(tmp_path: Path):
    path = tmp_path / "ge.tsv"
    path.write_text(GERMEVAL, encoding="utf-8")
    sentences = read_sentences(path)
    assert len(sentences) == 2
    assert sentences[0][1] == [(0, 2, "PER"), (6, 7, "LOC")]
    assert sentences[1] == (["Die", "EU-Kommission", "las", "Faust", "."], [(3, 4, "MISC")])


def test_eval_ner_read_wikiann_and_conll(tmp_path: Path):
    wiki, conll = tmp_path / "wiki", tmp_path / "eng.testb"
    wiki.write_text(WIKIANN, encoding="utf-8")
    conll.write_text(CONLL, encoding="utf-8")
    assert read_sentences(wiki) == [
        (["Katja", "Kipping", ","], [(0, 2, "PER")]),
        (["Berlin"], [(0, 1, "LOC")]),
    ]
    words, spans = read_sentences(conll)[0]
    assert words[0] == "EU" and spans == [
        (0, 1, "ORG"),
        (2, 3, "MISC"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
    ]


def test_eval_ner_score_exact_spans():
    gold = [[(0, 2, "PER"), (3, 4, "LOC"), (5, 6, "MISC")]]
    predicted = [[(0, 2, "PER"), (3, 5, "LOC"), (6, 7, "ORG")]]
    result = score(gold, predicted)
    assert result["overall"]["p"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["overall"]["r"] == pytest.approx(1 / 2)
    assert result["per_label"]["PER"]["f1"] == 1.0
    assert result["per_label"]["LOC"]["f1"] == 0.0
    assert "MISC" in result["per_label"]


def test_eval_ner_evaluate_german_file(tmp_path: Path):
    path = tmp_path / "ge.tsv"
    path.write_text(GERMEVAL, encoding="utf-8")
    result = evaluate(path, "de")
    assert set(result) >= {"overall", "per_label"}
    for name in ("p", "r", "f1"):
        assert 0.0 <= result["overall"][name] <= 1.0
    assert result["per_label"]["LOC"]["gold"] == 1
