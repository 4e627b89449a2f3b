"""Article citations read as numbers (issue #20): ranges cover every article they span."""

from __future__ import annotations

import pytest

from contractreview.nlp.citations import parse_article_citations


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("The Processor shall assist with Articles 32 to 36 of the GDPR.", {32, 33, 34, 35, 36}),
        ("as required by Arts. 32-36 GDPR", {32, 33, 34, 35, 36}),
        ("under Art. 32 – 34 GDPR", {32, 33, 34}),
        ("pursuant to Articles 33 and 34", {33, 34}),
        ("the information listed in Article 33(3) of the GDPR", {33}),
        ("Art. 28(3)(f), 32 to 36 GDPR", {28, 32, 33, 34, 35, 36}),
        ("obligations under Articles 32 to 34 (inclusive) of the GDPR", {32, 33, 34}),
        ("Article 35 and Article 36", {35, 36}),
        ("Articles 32 through 36", {32, 33, 34, 35, 36}),
        ("Articles 32, 33, 34, 35 and 36", {32, 33, 34, 35, 36}),
        ("ARTICLE 35 GDPR", {35}),
    ],
)
def test_issue_20_citations_cover_every_article_they_name(text: str, numbers: set[int]) -> None:
    found = parse_article_citations(text)
    assert len(found) == 1
    assert found[0].numbers == numbers
    assert text[found[0].start : found[0].end].lower().startswith("art")


@pytest.mark.parametrize(
    "text",
    [
        "as set out in Article 5 of this Agreement",  # the contract's own numbering
        "Article 12 hereof applies",
        "systems that follow the state of the art 32-bit design",  # "art" is no abbreviation here
        "The parties signed 12 articles.",
    ],
)
def test_issue_20_citations_ignore_the_contracts_own_articles_and_other_numbers(text: str) -> None:
    assert parse_article_citations(text) == []


def test_issue_20_citation_range_stops_at_an_implausible_end() -> None:
    """"Article 33 to 2018" is no range: the year is not an article."""
    (cit,) = parse_article_citations("notices under Article 33 to 2018 rules")
    assert cit.numbers == {33}


def test_issue_20_citation_offsets_point_into_the_text() -> None:
    text = "First, Article 28 applies. Second, the Processor supports Articles 33 and 34."
    a, b = parse_article_citations(text)
    assert text[a.start : a.end] == "Article 28" and a.numbers == {28}
    assert text[b.start : b.end] == "Articles 33 and 34" and b.numbers == {33, 34}
