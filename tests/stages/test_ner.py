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
    assert (MODEL_DIR / "de" / "model.json").exists()
    assert sum(path.stat().st_size for path in files) <= 25_000_000
    nlp = pipeline("de")
    assert nlp is not None and nlp.pipe_names == ["sitrep_e5_ner"]


def test_ner_german_long_text_without_sentence_ends_is_tagged_to_its_end():
    """A text far past the encoder's 512 positions, with no full stop to cut at, is read in
    windows: the names at its end are found like those at its start."""
    clause = "und die Kämpfer der Miliz zogen am Abend weiter in Richtung der Grenze "
    text = "Angela Merkel reiste nach Mossul " + clause * 120 + "und Emmanuel Macron nach Paris"
    found = {e.mention: e.label for e in find(text, "de")}
    assert found.get("Mossul") == "LOC"
    assert found.get("Emmanuel Macron") == "PER" and found.get("Paris") == "LOC"


def test_ner_german_windows_end_at_sentence_ends() -> None:
    from sitrep.ner.tagger import WINDOW_WORDS

    nlp = pipeline("de")
    assert nlp is not None
    tagger = nlp.get_pipe("sitrep_e5_ner")
    text = "Kurz. " + "Die Armee rückte am Montag weiter auf die Stadt Rakka vor. " * 3
    doc = nlp.make_doc(text)
    windows = tagger._windows(doc)
    assert all(doc[window[-1]].text == "." for window in windows)
    assert len(windows[0]) >= WINDOW_WORDS  # "Kurz." alone is too short to stand alone
    assert sum(len(window) for window in windows) == len([t for t in doc if not t.is_space])


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
    """A place name the model passes over (here read as the subject of a report) is added
    from the place list, with no model label; the model's own entities keep theirs."""
    text = "Angoche meldete am Montag Ruhe, die QSD zogen ab. Die Lage in Kilju blieb ruhig."
    labels = {e.mention: (e.label, e.model_label) for e in find(text, "de")}
    assert labels["Angoche"] == ("LOC", None)  # missed by the model, added from the list
    assert labels["Kilju"] == ("LOC", "LOC")  # the model's own


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
