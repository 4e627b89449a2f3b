"""Issue #18: the sample's gap summary rendered and read as a superintendent would; what confused:

- the first page was the title block and a key-terms table; the counts came on page 2 and no sentence
  said what the review found;
- "Vendor: (not recorded)" although the contract's preamble names the vendor;
- each missing or unchecked protection said the same thing twice ("The contract has no clause …" then
  "No evidence found in the contract."; "Not checked automatically: …" then "Not checked automatically:
  read the contract …");
- "listed in the clause library as weak" and "(project recommendation)": the project's words.
"""

from __future__ import annotations

import re

import people_exports as P
import pytest

from contractreview.domain import ReportMeta, Status

META = ReportMeta(reviewer="Sam Reviewer", date="2026-12-03")


@pytest.fixture(scope="module")
def texts(tmp_path_factory):  # type: ignore[no-untyped-def]
    from contractreview.paths import sample_contract
    from contractreview.pipeline import review

    path = sample_contract("pdf")
    if not path.is_file():
        pytest.skip("bundled sample contract missing")
    analysis = review(path, profile="ny")  # New York adds protections the engine cannot check
    out = tmp_path_factory.mktemp("superintendent")
    return analysis, {k: v for k, v in P.write_people_exports(analysis, {}, META, out).items() if k.startswith("gap.")}


def test_issue_18_gap_summary_opens_with_what_the_review_found(texts) -> None:
    analysis, by_name = texts
    counts = analysis.counts()
    sentence = (f"Of the {len(analysis.findings)} protections checked, {counts[Status.MISSING]} are missing and "
                f"{counts[Status.WEAK]} are weak")
    for name, text in by_name.items():
        flat = " ".join(text.split())
        assert sentence in flat, name
        # the summary and the counts come before the key-terms table
        assert flat.index("At a glance") < flat.index(sentence) < flat.index("Key terms"), name


def test_issue_18_vendor_is_the_contracts_party_and_nothing_is_said_twice(texts) -> None:
    from contractreview.vocabulary import detect_terms

    analysis, by_name = texts
    vendor = detect_terms(analysis.document).vendor_name
    assert vendor and "BrightPath" in vendor
    unchecked = sum(1 for f in analysis.findings if f.not_checked)
    assert unchecked
    for name, text in by_name.items():
        flat = " ".join(text.split())
        assert vendor in flat and "Vendor (not recorded)" not in flat.replace("|", " ").replace("  ", " "), name
        assert "No evidence found in the contract" not in flat, name
        assert flat.count("Not checked automatically:") == unchecked, name  # once per protection
        assert "clause library as weak" not in flat and "project recommendation" not in flat, name
        assert re.search(r"recommended practice, not law|\(law\)", flat), name
        assert "(unverified)" not in flat, name  # read as "this law may not exist"
