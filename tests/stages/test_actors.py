"""Actors stage (`sitrep.actors`): the catalogue, alias matching, acronyms, people, seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep import actors, entities
from sitrep.actors import catalogue
from sitrep.actors.mentions import find
from sitrep.models import Analysis, Article
from sitrep.settings import Settings

SEEDS = Path(__file__).parents[2] / "examples" / "seeds"


def ids(text: str, language: str = "de", **kwargs) -> dict[str, str | None]:
    """Mention text -> actor id (the last one wins for repeated mentions)."""
    found = find(text, language=language, **kwargs)
    for mention in found:
        assert mention.start < mention.end <= len(text)
    return {text[m.start : m.end]: m.actor_id for m in found}


@pytest.fixture(scope="module")
def seed_actors() -> dict[str, list]:
    """The actors stage run over every seed article (NER included), once per module."""
    results = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        language = "en" if path.name.startswith("000") else "de"
        analysis = Analysis(article=Article(id="t", source=path.name, language=language, text=text))
        analysis = entities.run(analysis, Settings(workers=1))
        results[path.name[:3]] = actors.run(analysis, Settings(workers=1)).actors
    return results


def seed_ids(seed_actors: dict[str, list], seed: str) -> dict[str, set[str | None]]:
    found: dict[str, set[str | None]] = {}
    for actor in seed_actors[seed]:
        found.setdefault(actor.mention, set()).add(actor.actor_id)
    return found


def test_actors_catalogue_size_and_aliases():
    specific = catalogue().specific()
    assert len(specific) >= 80
    counts = [len(actor.all_aliases()) for actor in specific]
    assert sum(counts) / len(counts) >= 5


def test_actors_catalogue_fields_valid():
    known = catalogue().actors
    for actor in known.values():
        assert actor.inter in range(1, 9), actor.id
        assert actor.name and actor.source
        for other in actor.parents + actor.associated:
            assert other in known, (actor.id, other)
        start, end = actor.years
        assert start is None or end is None or start <= end
    for actor in catalogue().specific():
        assert set(actor.aliases) >= {"en", "de", "ar"}, actor.id


def test_actors_catalogue_generic_per_country():
    known = catalogue().actors
    assert known["military-iq"].name == "Military Forces of Iraq"
    assert known["police-sy"].name == "Police Forces of Syria"
    assert known["civilians-tr"].name == "Civilians (Turkey)"
    assert known["uag-iq"].name == "Unidentified Armed Group (Iraq)"
    assert known["military-us"].name == "Military Forces of the United States"
    assert known["military-fj"].inter == 1  # every country babel knows


def test_actors_islamic_state_variants():
    text = (
        "Der IS, ISIS, Daesh, DAESH, der Islamische Staat, die Terrormiliz IS und "
        "die Kämpfer des Islamischen Staates."
    )
    found = ids(text)
    for mention in ("IS", "ISIS", "Daesh", "DAESH", "Islamische Staat", "Terrormiliz IS"):
        assert found[mention] == "is", mention
    assert found["Islamischen Staates"] == "is"


def test_actors_pmf_variants():
    text = "Die Volksmobilisierungseinheiten (Hashd al-Shaabi) und die People's Mobilization Units."
    found = ids(text)
    assert found["Volksmobilisierungseinheiten"] == "pmf"
    assert found["Hashd al-Shaabi"] == "pmf"
    assert found["People's Mobilization Units"] == "pmf"


def test_actors_german_compounds():
    found = ids("IS-Kämpfer, IS-Dschihadisten und DAESH-Zellen; die Anti-IS-Koalition; UN-Angaben.")
    assert found["IS-Kämpfer"] == "is"
    assert found["IS-Dschihadisten"] == "is"
    assert found["DAESH-Zellen"] == "is"
    assert found["Anti-IS-Koalition"] == "coalition"
    assert found["UN"] == "un"


def test_actors_english_is_is_not_islamic_state():
    found = ids("This is what it is. IS fighters attacked.", language="en")
    assert found == {"IS": "is"}


def test_actors_generic_state_forces():
    found = ids("Die irakische Armee, die syrische Armee, türkische Streitkräfte und US-Truppen.")
    assert found["irakische Armee"] == "military-iq"
    assert found["syrische Armee"] == "military-sy"
    assert found["türkische Streitkräfte"] == "military-tr"
    assert found["US-Truppen"] == "military-us"
    found = ids("Iraqi police and Turkish troops.", language="en")
    assert found == {"Iraqi police": "police-iq", "Turkish troops": "military-tr"}


def test_actors_bare_civilians_take_the_main_country():
    found = ids("In Syrien flohen Zivilisten. Syrien, Syrien und der Irak.")
    assert found["Zivilisten"] == "civilians-sy"


def test_actors_acronym_defined_in_article():
    text = "Die Syrischen Demokratischen Kräfte (SDK) rückten vor. Die SDK meldeten Erfolge."
    found = find(text, language="de")
    sdk = [m for m in found if text[m.start : m.end] == "SDK"]
    assert len(sdk) == 2 and {m.actor_id for m in sdk} == {"sdf"}


def test_actors_unknown_organisation_kept_raw():
    text = "Die Brigade der Freien Berge (BFB) griff an. Die BFB zog sich zurück."
    found = find(text, entities=[(4, 28, "ORG")], language="de")
    raw = [(text[m.start : m.end], m.actor_id, m.inter) for m in found]
    assert ("Brigade der Freien Berge", None, 3) in raw
    assert [item for item in raw if item[0] == "BFB"] == [("BFB", None, 3)] * 2


def test_actors_person_linked_to_organisation():
    text = "Wherever Aqil Rahim is, there is war. Rahim commands a unit of the Badr Brigades."
    people = [(9, 19, "PER"), (38, 43, "PER")]
    found = ids(text, language="en", entities=people)
    assert found["Aqil Rahim"] == "badr"
    assert found["Rahim"] == "badr"
    text = "Der QSD-Kommandeur Mazlum Abdi sagte, Abdi bleibe."
    found = ids(text, entities=[(19, 30, "PER"), (38, 42, "PER")])
    assert found["Mazlum Abdi"] == "sdf"


def test_actors_person_without_link_is_not_an_actor():
    text = "Rahim met a journalist. The Badr Brigades fought."
    found = ids(text, language="en", entities=[(0, 5, "PER")])
    assert "Rahim" not in found


def test_actors_stage_contract():
    assert actors.REQUIRES == (
        "article.text",
        "article.language",
        "sentences",
        "entities",
        "places",
    )
    assert actors.PROVIDES == ("actors",)


def test_actors_seed_001_pmf_and_is(seed_actors):
    found = seed_ids(seed_actors, "001")
    assert found["Hashd al-Shaabi"] == {"pmf"}
    assert found["Volksmobilisierungseinheiten"] == {"pmf"}
    assert found["Islamischen Staates"] == {"is"}
    assert found["IS-Kämpfer"] == {"is"}
    assert found["Irakische Streitkräfte"] == {"military-iq"}
    assert found["syrischen Armee"] == {"military-sy"}


def test_actors_seed_004_sdf_acronym(seed_actors):
    found = seed_ids(seed_actors, "004")
    assert found["Demokratischen Kräfte Syriens"] == {"sdf"}
    assert found["QSD"] == {"sdf"}
    assert found["IS-Dschihadisten"] == {"is"}
    assert found["Zivilist*innen"] == {"civilians-sy"}


def test_actors_seed_003_daesh(seed_actors):
    found = seed_ids(seed_actors, "003")
    assert found["DAESH"] == {"is"}
    assert found["Daesh"] == {"is"}
    assert found["Peshmerga"] == {"peshmerga"}
    assert found["US-geführte Anti-IS-Koalition"] == {"coalition"}


def test_actors_seed_002_terrormiliz(seed_actors):
    found = seed_ids(seed_actors, "002")
    assert found["Terrormiliz Islamischer Staat"] == {"is"}
    assert found["US-Kräfte"] == {"military-us"}


def test_actors_seed_000_person_and_pmf(seed_actors):
    found = seed_ids(seed_actors, "000")
    assert found["Rahim"] == {"badr"}
    assert found["Badr Brigades"] == {"badr"}
    assert found["People's Mobilization Units"] == {"pmf"}
    assert found["ISIS"] == {"is"}


def test_actors_seed_offsets_and_no_overlap(seed_actors):
    for seed, found in seed_actors.items():
        text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
        previous_end = 0
        for actor in found:
            assert text[actor.start : actor.end] == actor.mention
            assert actor.start >= previous_end
            previous_end = actor.end
            if actor.actor_id is not None:
                assert actor.name and actor.acled_inter in range(1, 9)


def test_actors_unknown_long_form_takes_known_acronym():
    text = "The Kurdish Protection Units (YPG) and the Kurdistan Workers’ party (PKK) met."
    found = ids(text, language="en", entities=[(4, 28, "ORG"), (43, 67, "ORG")])
    assert found["Kurdish Protection Units"] == "ypg"
    assert found["YPG"] == "ypg"
    assert found["PKK"] == "pkk"


def test_actors_hyphenated_alias_inside_compound():
    found = ids("The al-Qaida-aligned group and IS-linked cells.", language="en")
    assert found == {"al-Qaida": "al-qaeda", "IS": "is"}


def test_actors_person_tagged_as_organisation_is_not_kept():
    text = "Trump said so. Later Trump left."
    found = ids(text, language="en", entities=[(0, 5, "PER"), (21, 26, "ORG")])
    assert found == {}


def test_actors_weak_alias_needs_a_strong_one():
    assert ids("Die Koalition in Berlin streitet.") == {}
    found = ids("Die Anti-IS-Koalition griff an. Die Koalition meldete Erfolge.")
    assert found == {"Anti-IS-Koalition": "coalition", "Koalition": "coalition"}
