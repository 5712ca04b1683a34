"""Event detection and typing (`sitrep.events.classify`): seeds and hand-made hard cases.

The shipped model is trained by `training/events/train.py`; these tests pin the behaviour
the rest of the events stage relies on: ACLED names, the prefilter (only candidates are
embedded), trigger offsets, and the classic hard negatives (opinions, threats, denials).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.events import classify
from sitrep.events.classify import Prediction, load
from sitrep.text import segment

SEEDS = Path(__file__).parents[2] / "examples" / "seeds"


def seed_sentences(prefix: str, language: str) -> list[str]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    return [text[s.start : s.end] for s in segment(text, language)]


def one(sentence: str, language: str) -> Prediction:
    (prediction,) = load().predict([sentence], language)
    return prediction


def find(sentences: list[str], needle: str) -> int:
    (index,) = [i for i, s in enumerate(sentences) if needle in s]
    return index


@pytest.fixture(scope="module")
def seed_001() -> tuple[list[str], list[Prediction]]:
    sentences = seed_sentences("001", "de")
    return sentences, load().predict(sentences, "de")


def test_event_classifier_seed_001_al_qaim_is_government_regains_territory(seed_001):
    sentences, predictions = seed_001
    taking = predictions[find(sentences, "al-Qaim, erobern")]
    assert (taking.event_type, taking.sub_event_type) == (
        "Battles",
        "Government regains territory",
    )
    start, end = taking.trigger
    assert sentences[find(sentences, "al-Qaim, erobern")][start:end] == "erobern"


def test_event_classifier_seed_001_suicide_bombers_are_suicide_bomb(seed_001):
    sentences, predictions = seed_001
    index = find(sentences, "drei Selbstmordattentäter soll der IS eingesetzt haben")
    prediction = predictions[index]
    assert prediction.event_type == "Explosions/Remote violence"
    assert prediction.sub_event_type == "Suicide bomb"
    start, end = prediction.trigger
    assert sentences[index][start:end] == "Selbstmordattentäter"


def test_event_classifier_seed_001_analysis_is_no_event(seed_001):
    sentences, predictions = seed_001
    # "This victory is a decisive step in the fight against terrorism": analysis.
    assert predictions[find(sentences, "Dieser Sieg ist ein entscheidender")].event_type is None


def test_event_classifier_seed_002_end_of_combat_mission_is_strategic_development():
    sentences = seed_sentences("002", "de")
    predictions = load().predict(sentences, "de")
    ended = predictions[find(sentences, "mit dem Jahresende 2021 beendet")]
    assert ended.event_type == "Strategic developments"
    assert ended.sub_event_type == "Change to group/activity"
    # The "foto" credit and the APA trailer are not events.
    assert predictions[find(sentences, "Foto: Reuters")].event_type is None
    assert predictions[find(sentences, "(APA, 31.12.2021)")].event_type is None


def test_event_classifier_opinion_sentence_is_none():
    sentences = seed_sentences("000", "en")
    index = find(sentences, "ISIS is not Islamic.")
    assert load().predict(sentences, "en")[index].event_type is None


@pytest.mark.parametrize(
    ("language", "sentence", "event_type", "sub_event_type"),
    [
        (
            "de",
            "Bei einem Selbstmordanschlag in Kirkuk wurden am Freitag elf Menschen getötet.",
            "Explosions/Remote violence",
            "Suicide bomb",
        ),
        (
            "de",
            "Kampfjets bombardierten in der Nacht mehrere Dörfer südlich von Idlib.",
            "Explosions/Remote violence",
            "Air/drone strike",
        ),
        (
            "de",
            "Die Armee eroberte am Sonntag die Stadt Rawa vom IS zurück.",
            "Battles",
            "Government regains territory",
        ),
        (
            "en",
            "A suicide bomber blew himself up at a checkpoint in Kabul, killing nine people.",
            "Explosions/Remote violence",
            "Suicide bomb",
        ),
        (
            "en",
            "Police fired tear gas to disperse hundreds of protesters outside parliament.",
            "Protests",
            "Protest with intervention",
        ),
        (
            "en",
            "Gunmen kidnapped two aid workers from their car near Idlib on Tuesday.",
            "Violence against civilians",
            "Abduction/forced disappearance",
        ),
    ],
)
def test_event_classifier_hard_positive(language, sentence, event_type, sub_event_type):
    prediction = one(sentence, language)
    assert (prediction.event_type, prediction.sub_event_type) == (event_type, sub_event_type)
    assert 0.0 <= prediction.confidence <= 1.0
    assert prediction.trigger is not None


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The president threatened to bomb the rebels if they did not withdraw."),
        ("en", "The ministry denied that its jets had struck the hospital."),
        ("en", "The striker scored twice as Liverpool stormed to victory over Chelsea."),
        ("de", "Der Minister warnte, der IS könnte schon bald neue Anschläge verüben."),
        ("de", "Der Fußballverein eroberte mit einem Sieg die Tabellenspitze."),
        ("de", "Seit Beginn des Bürgerkriegs 2011 wurden mehr als 350.000 Menschen getötet."),
        ("de", "Am Jahrestag der Befreiung von Mossul gedachten Tausende der Opfer."),
    ],
)
def test_event_classifier_hard_negative(language, sentence):
    assert one(sentence, language).event_type is None


def test_event_classifier_uses_acled_names_only():
    model = load()
    for name in model.classes:
        if name == "none":
            continue
        event_type, sub_event_type = name.split("|")
        assert sub_event_type in classify.SUB_EVENT_TYPES[event_type]


def test_event_classifier_embeds_only_gated_candidates(monkeypatch):
    """Only prefilter candidates the gate passes are embedded, each as the classifier reads
    it (with the shipped fine-tuned encoder: the whole sentence) and with that encoder."""
    from sitrep import embed

    embedded: list[str] = []
    encoders: set[object] = set()
    real = embed.passages

    def spy(texts, tuned=None):
        embedded.extend(texts)
        encoders.add(tuned)
        return real(texts, tuned)

    monkeypatch.setattr(embed, "passages", spy)
    classifier = load()
    sentences = seed_sentences("004", "de")
    predictions = classifier.predict(sentences, "de")
    lexicon = classify.lexicon("de")
    hits = [lexicon.find(sentence) for sentence in sentences]
    candidates = [i for i, h in enumerate(hits) if classify.is_candidate(h, sentences[i])]
    assert len(predictions) == len(sentences)
    assert 0 < len(embedded) <= len(candidates) < len(sentences) / 2
    assert encoders == {classifier.tuned}
    for sentence, found, prediction in zip(sentences, hits, predictions, strict=True):
        if classifier.reads(sentence, found) not in embedded:
            assert prediction == Prediction(None, None, 1.0, None)


def test_event_classifier_tuned_encoder_is_the_shipped_file() -> None:
    """The shipped model names its fine-tuned top layers, and they load into the graph."""
    classifier = load()
    assert classifier.tuned is not None and classifier.tuned.is_file()
    import numpy as np

    from sitrep import embed

    plain, tuned = (
        embed.passages(["Jets struck Hajin on Sunday."]),
        embed.passages(["Jets struck Hajin on Sunday."], classifier.tuned),
    )
    assert abs(float(np.linalg.norm(tuned)) - 1.0) < 1e-4
    assert float(plain[0] @ tuned[0]) < 0.999  # the tuned layers change the vector


def test_event_classifier_window_is_centred_on_the_strongest_trigger():
    filler = "Nach Angaben der Behörden, die sich auf Augenzeugen beriefen, " * 3
    sentence = filler + "griffen Kämpfer mit einer Autobombe einen Kontrollpunkt an" + filler
    hits = classify.lexicon("de").find(sentence)
    window = classify.window(sentence, hits)
    assert "Autobombe" in window
    assert classify.WINDOW <= len(window) < classify.WINDOW + 30
    start = sentence.index(window)
    assert start == 0 or not sentence[start - 1].isalnum()  # whole words only
    end = start + len(window)
    assert end == len(sentence) or not sentence[end].isalnum()
    short = "Drei Selbstmordattentäter sprengten sich in Mossul in die Luft."
    assert classify.window(short, classify.lexicon("de").find(short)) == short


def test_event_classifier_empty_and_unknown_language():
    assert load().predict([], "de") == []
    (prediction,) = load().predict(["Die Stadt liegt am Euphrat."], "xx")
    assert prediction.event_type is None


def test_event_classifier_trigger_lexicon_matches_german_compounds():
    sentence = "Bei dem Luftangriff und einer Autobombe starben zwölf Menschen."
    hits = classify.lexicon("de").find(sentence)
    words = {sentence[h.start : h.end] for h in hits}
    assert {"Luftangriff", "Autobombe", "starben"} <= words


def test_shipped_model_was_trained_on_this_encoders_vectors() -> None:
    """A classifier reads one engine's vectors; changing `sitrep.e5` means retraining."""
    import json

    from sitrep.e5 import ENGINE

    meta = json.loads((classify._MODEL / "model.json").read_text(encoding="utf-8"))
    assert ENGINE in meta["embedding"]
