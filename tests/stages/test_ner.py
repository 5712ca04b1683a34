"""Named-entity recognition (`sitrep.ner`): German (own model + gazetteer) and English."""

from __future__ import annotations

from sitrep.ner import LABELS, MODEL_DIR, find, pipeline, token_entities


def assert_spans(text: str, spans: list[tuple[int, int, str]]) -> None:
    previous_end = 0
    for start, end, label in spans:
        assert previous_end <= start < end <= len(text)
        assert label in LABELS
        assert text[start:end] == text[start:end].strip()
        previous_end = end


def test_ner_german_model_is_packaged_and_small():
    files = [path for path in (MODEL_DIR / "de").rglob("*") if path.is_file()]
    assert (MODEL_DIR / "de" / "config.cfg").exists()
    assert sum(path.stat().st_size for path in files) <= 25_000_000
    nlp = pipeline("de")
    assert nlp is not None and nlp.pipe_names == ["tok2vec", "ner"]


def test_ner_german_sentence():
    text = (
        "Bundeskanzlerin Angela Merkel traf am Montag in Berlin den Generalsekretär der "
        "Vereinten Nationen. Danach reiste sie nach Mossul im Irak."
    )
    spans = [(e.start, e.end, e.label) for e in find(text, "de")]
    assert_spans(text, spans)
    found = {text[start:end]: label for start, end, label in spans}
    assert found.get("Angela Merkel") == "PER"
    assert found.get("Berlin") == "LOC"
    assert found.get("Mossul") == "LOC"
    assert found.get("Irak") == "LOC"


def test_ner_english_sentence():
    text = "Barack Obama met officials of the United Nations in Baghdad on Monday."
    found_entities = find(text, "en")
    spans = [(e.start, e.end, e.label) for e in found_entities]
    assert_spans(text, spans)
    found = {text[start:end]: label for start, end, label in spans}
    assert found.get("Barack Obama") == "PER"
    assert found.get("Baghdad") == "LOC"
    assert found.get("the United Nations", found.get("United Nations")) == "ORG"
    model_labels = {e.mention: e.model_label for e in found_entities}
    assert model_labels["Baghdad"] == "GPE" and model_labels["Barack Obama"] == "PERSON"
    assert all(text[e.start : e.end] == e.mention for e in found_entities)


def test_ner_german_places_from_the_list_carry_no_model_label():
    text = "Die QSD rückten vor. Die Lage in Kilju blieb am Montag ruhig, berichteten Anwohner."
    labels = {e.mention: (e.label, e.model_label) for e in find(text, "de")}
    assert labels["QSD"] == ("ORG", "ORG")  # the model's own
    assert labels["Kilju"] == ("LOC", None)  # missed by the model, added from the list


def test_ner_unknown_language_and_empty_text():
    assert find("Une phrase en français à Paris.", "fr") == []
    assert find("   ", "de") == []


def test_ner_token_entities_on_pretokenised_sentences():
    sentences = [["Angela", "Merkel", "besuchte", "Paris", "."], ["Keine", "Namen", "hier", "."]]
    spans = token_entities(sentences, "de")
    assert len(spans) == 2
    for words, found in zip(sentences, spans, strict=True):
        for start, end, label in found:
            assert 0 <= start < end <= len(words) and label in LABELS
    assert (3, 4, "LOC") in spans[0]


def test_ner_long_text_is_read_in_chunks_with_true_offsets(monkeypatch) -> None:
    import sitrep.ner as ner

    monkeypatch.setattr(ner, "CHUNK_CHARS", 300)
    line = "Iraqi forces entered Mosul on Friday, officials in Baghdad said.\n"
    text = line * 20  # 1,320 characters: five chunks
    doc = ner.document(text + " ", "en")
    assert doc is not None and doc.text == text + " "
    places = [(e.start_char, e.end_char) for e in doc.ents if e.text in {"Mosul", "Baghdad"}]
    assert len(places) >= 30
    assert all(text[start:end] in {"Mosul", "Baghdad"} for start, end in places)
