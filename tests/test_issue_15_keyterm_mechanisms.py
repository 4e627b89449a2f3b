"""Key terms (issue #15): one regression sentence per reading mechanism, written by the project.

The excerpt tests (``test_engine_keyterms.py``) check whole agreements in three formats; these check the
mechanisms the readings rest on, one sentence at a time, so that each error kind of the issue has a case
that fails when its mechanism is taken out:

- a figure belongs to the predicate it stands in (clause breaks, coordinated duties, "after which");
- an adverb of time ("immediately") belongs to the verb next to it;
- an event named after "prior to" / "before" marks which data, not a clock; inactivity, collection or a
  user's own act on the account are clocks of their own;
- a breach-notice figure counts only on a notice the vendor owes the school, named as its recipient;
- governing-law wording in the forms agreements use (capitals, appositions, "according to", "laws in").
"""

from __future__ import annotations

import pytest

from contractreview.engine import keyterms

B = "breach_notice_max_hours"
DR = "deletion_after_request_days"
DT = "deletion_after_termination_days"


def reading(sentence: str, parameter: str) -> float | None:
    """The figure :func:`keyterms.stated_deadline` would take from this one sentence (hours for breach
    notice, days for deletion), or None."""
    d = keyterms.outer_deadline(keyterms.deadlines(sentence, parameter))
    if d is None or d.hours is None:
        return None
    return d.hours if parameter == B else d.hours / 24


PREDICATE = [
    # another duty's figure, coordinated with the event verb
    ("Provider shall respond to access requests within 45 days and shall delete Student Data upon the "
     "District's request.", DR, None),
    ("Provider shall process requests to review Student Data within 45 days, and will delete Student Data upon "
     "the District's request.", DR, None),
    ("Provider shall issue a final invoice within 30 days after termination and shall delete all Student Data.",
     DT, None),
    ("Provider shall retain audit logs for 12 months after termination and delete Student Data upon request.",
     DT, None),
    ("Provider shall retain audit logs for 12 months after termination and delete Student Data upon request.",
     DR, None),
    ("Provider shall respond to support requests within four (4) hours and notify the District of any breach "
     "promptly.", B, None),
    ("Provider will notify the District promptly of any breach, and will restore service within 48 hours.",
     B, None),
    # a window of access, then deletion in a clause of its own
    ("Provider will provide access to export data for 30 days after termination, after which the data will be "
     "deleted.", DT, None),
    ("For sixty (60) days following termination, the District may download its data, after which Provider will "
     "delete it.", DT, None),
    ("Invoices are payable within 30 days; upon termination Provider deletes all Student Data.", DT, None),
    ("The renewal term is one (1) year; Provider deletes Student Data upon the District's request.", DR, None),
    # a condition after a complete duty, an exception after the deletion duty
    ("Provider shall notify the District within 24 hours if it receives a request for deletion from a parent.",
     DR, None),
    ("Upon termination, Provider shall delete Student Data, except that Provider may retain copies for up to 90 "
     "days in backups.", DT, None),
    ("Provider shall delete Student Data within 30 days if the District so requests.", DR, 30),
    ("Provider shall notify the District within 72 hours if Provider discovers a breach of Student Data.", B, 72),
    # a duty about the deletion (certify, confirm, provide a certificate) is not the deletion
    ("Provider shall delete all Student Data within 30 days after termination and certify such deletion within "
     "10 days thereafter.", DT, 30),
    ("Upon termination, Provider shall provide a certificate of deletion within 10 days after deleting all "
     "Student Data.", DT, None),
    ("Provider shall delete Student Data within 30 days of the District's request and confirm the deletion in "
     "writing within 5 business days.", DR, 30),
    # of two figures, the one in the destruction verb's own predicate; the event after a figure is its own
    ("Provider shall return all Student Data within 30 days and destroy all copies within 60 days after "
     "termination.", DT, 60),
    ("Upon the District's request, Provider shall promptly notify the District and, within 30 days, delete the "
     "data.", DR, 30),
    # the figure's own predicate keeps it
    ("Provider shall delete Student Data within 30 days after termination of this Agreement.", DT, 30),
    ("Upon termination, Provider shall delete all Student Data within 60 days and shall issue a final invoice "
     "within 30 days.", DT, 60),
    ("Provider shall delete Student Data within ten (10) days of the District's request and within 90 days "
     "after termination.", DT, 90),
    ("Within 30 days of termination, Provider must: (a) return all Student Data; and (b) destroy all copies.",
     DT, 30),
    ("Upon the District's written request, Provider shall, within fifteen (15) days, securely destroy the "
     "requested Student Data.", DR, 15),
    ("Provider shall notify the District of any breach and shall do so within 24 hours of discovery.", B, 24),
    ("Upon discovering a breach, Provider shall immediately take steps to contain it and shall notify the "
     "District within 10 days.", B, 240),
]

ADVERB = [
    ("Either party may terminate this Agreement immediately upon written notice if the other party suffers a "
     "data breach.", B, None),
    ("Customer may immediately terminate the Agreement by giving written notice to Provider.", B, None),
    ("Provider shall investigate a breach immediately and notify the District without undue delay.", B, None),
    ("Provider shall immediately cease all processing upon termination and shall delete all Student Data.",
     DT, None),
    ("Provider shall immediately notify the District upon discovery of a breach.", B, 0),
    ("Upon termination, Provider shall immediately delete all Student Data.", DT, 0),
    ("Student Data shall be deleted immediately upon the District's request.", DR, 0),
    ("Upon termination, all Student Data shall immediately be returned or deleted.", DT, 0),
]

NOT_A_CLOCK = [
    ("Personal data transferred before the termination shall immediately be returned or deleted.", DT, None),
    ("Data collected prior to the end of the Term will be deleted within 30 days.", DT, None),
    ("Data collected prior to the end of the Term will be deleted within 30 days.", DR, None),
    ("Provider shall delete all Student Data within 30 days after the termination of this Agreement.", DT, 30),
]

LENGTHS = [
    # a figure that measures a contract period is not a deadline
    ("At the end of each 12-month term, Provider deletes data of inactive users.", DT, None),
    ("Upon termination of the 30-day trial, Provider will delete all Student Data.", DT, None),
    ("Provider shall delete Student Data at the end of the three (3) year term of this Agreement.", DT, None),
    ("Provider shall delete Student Data 60 days after the end of the 12 month subscription.", DT, 60),
    ("Within a 30-day period after termination, Provider shall delete all Student Data.", DT, 30),
    ("This Agreement renews for successive one-year terms; on termination Provider deletes all Student Data "
     "within 60 days.", DT, 60),
]


@pytest.mark.parametrize(("sentence", "parameter", "value"), LENGTHS)
def test_issue_15_the_length_of_a_term_is_no_deadline(sentence: str, parameter: str, value: float | None) -> None:
    assert reading(sentence, parameter) == value


BACKUPS = [
    # backups deleted together with the rest keep the figure
    ("Provider shall delete all Student Data, including backups, within 30 days after termination.", DT, 30),
    ("Provider shall delete all Student Data and all backup copies within 60 days after termination.", DT, 60),
    ("Upon termination, Provider shall delete Student Data from its systems and backups within 45 days.", DT, 45),
    # a backup period of its own is not the deletion deadline
    ("Backups containing Student Data shall be deleted within 90 days after termination.", DT, None),
    ("Provider shall delete Student Data within 30 days after termination, and backups within 180 days.", DT, 30),
    ("Student Data in backups will be overwritten within 35 days of termination.", DT, None),
]


@pytest.mark.parametrize(("sentence", "parameter", "value"), BACKUPS)
def test_issue_15_backups_deleted_with_the_rest_keep_the_figure(
    sentence: str, parameter: str, value: float | None
) -> None:
    assert reading(sentence, parameter) == value


OTHER_CLOCKS = [
    # a user's own act on the account, inactivity, collection: neither the school's request nor the end
    ("If you close your account, we will delete your personal information within 30 days.", DT, None),
    ("If you close your account, we will delete your personal information within 30 days.", DR, None),
    ("Inactive accounts are deleted after 24 months of inactivity.", DT, None),
    ("Inactive accounts are deleted after 24 months of inactivity.", DR, None),
    ("Usage logs are deleted 13 months from the date of collection.", DT, None),
    # one of two alternative clocks is the end of the agreement ("whichever occurs later")
    ("Two years after the last use of the Service or the expiration of the subscription, whichever occurs "
     "later, Provider shall delete the Personal Data.", DT, 730),
    ("Provider shall delete Student Data within 30 days after the Agreement ends.", DT, 30),
    ("Provider will delete Student Data within 30 days of receiving a written request from the School.", DR, 30),
    ("Provider will delete Student Data within 30 days of receiving a written request from the School.", DT, None),
]

RECIPIENT = [
    ("The District shall notify Provider within 24 hours of any suspected misuse of credentials.", B, None),
    ("You agree to notify us immediately of any unauthorized use of your account.", B, None),
    ("Customer must notify Vendor within five (5) days of discovering any security incident.", B, None),
    ("Licensee shall promptly, and in any event within 48 hours, notify Licensor of any breach.", B, None),
    ("Provider shall give notice of any breach within 72 hours of discovery.", B, None),
    ("Provider will notify affected users within 72 hours.", B, None),
    ("Provider shall notify the supervisory authority within 72 hours and the District without undue delay.",
     B, None),
    ("Provider shall notify the District within 72 hours of discovering a breach.", B, 72),
    # the school under other names, and the party a vendor's notice names
    ("In the event of a breach, the Contractor shall notify the Agency's Chief Privacy Officer no later than 24 "
     "hours after discovery.", B, 24),
    ("Processor shall notify Company within 48 hours of becoming aware of a Personal Data Breach.", B, 48),
    ("The data importer shall notify the data exporter within 72 hours of becoming aware of the breach.", B, 72),
    ("Vendor shall notify the Department within 5 business days of discovering a breach.", B, 168),
    ("Customer shall notify Provider within 24 hours of any breach of its credentials.", B, None),
    ("Provider shall notify the District's Data Protection Officer within 72 hours of becoming aware of a "
     "breach.", B, 72),
    ("If Provider becomes aware of a breach, Provider shall notify Customer within 36 hours.", B, 36),
    ("The District will be notified within forty-eight (48) hours after Provider discovers a breach.", B, 48),
    ("Provider shall notify you within 72 hours of becoming aware of a breach affecting your data.", B, 72),
    ("Such notification shall be made within 48 hours of discovery of the breach.", B, 48),
    ("Provider shall report a security breach to the District no later than 5 business days after "
     "confirmation.", B, 168),
]


BREACH_EVENT = [
    # the event after the figure is another notice's
    ("Provider shall notify the District within 5 days of receiving a subpoena for Student Data.", B, None),
    ("Provider shall notify the District within 30 days of any change in ownership and promptly of any security "
     "breach.", B, None),
    # a breach or its discovery, or no event at all
    ("Provider shall notify the District within 72 hours of receipt of notice of a breach from a subprocessor.",
     B, 72),
    ("Provider shall notify the District within 48 hours of receiving a report of unauthorized access.", B, 48),
    ("Provider shall notify the District within 72 hours after discovery or notification of a breach.", B, 72),
    ("Provider shall notify the District within 72 hours.", B, 72),
]


@pytest.mark.parametrize(("sentence", "parameter", "value"), BREACH_EVENT)
def test_issue_15_breach_figure_runs_from_a_breach(sentence: str, parameter: str, value: float | None) -> None:
    assert reading(sentence, parameter) == value


@pytest.mark.parametrize(("sentence", "parameter", "value"), PREDICATE)
def test_issue_15_a_figure_belongs_to_its_own_predicate(sentence: str, parameter: str, value: float | None) -> None:
    assert reading(sentence, parameter) == value


@pytest.mark.parametrize(("sentence", "parameter", "value"), ADVERB)
def test_issue_15_immediately_belongs_to_the_verb_next_to_it(sentence: str, parameter: str, value: float | None) -> None:
    assert reading(sentence, parameter) == value


@pytest.mark.parametrize(("sentence", "parameter", "value"), NOT_A_CLOCK)
def test_issue_15_an_event_after_prior_to_is_no_clock(sentence: str, parameter: str, value: float | None) -> None:
    assert reading(sentence, parameter) == value


@pytest.mark.parametrize(("sentence", "parameter", "value"), OTHER_CLOCKS)
def test_issue_15_a_clock_other_than_request_or_end_is_neither(
    sentence: str, parameter: str, value: float | None
) -> None:
    assert reading(sentence, parameter) == value


@pytest.mark.parametrize(("sentence", "parameter", "value"), RECIPIENT)
def test_issue_15_breach_notice_is_owed_by_the_vendor_to_the_school(
    sentence: str, parameter: str, value: float | None
) -> None:
    assert reading(sentence, parameter) == value


LAW = [
    ("This Agreement will be governed and interpreted according to the laws of the State of Vermont, without "
     "reference to conflicts principles.", "Vermont"),
    ("Its validity and legal effect shall be governed by the laws and judicial decisions of the State of Maine.",
     "Maine"),
    ("This Agreement shall be construed, enforced, performed and in all respects governed by and in accordance "
     "with the laws in the State of Oregon.", "Oregon"),
    ("THIS AGREEMENT SHALL NOT BE GOVERNED BY THE UNITED NATIONS CONVENTION ON CONTRACTS FOR THE INTERNATIONAL "
     "SALE OF GOODS. IT SHALL BE GOVERNED BY THE LAWS, OTHER THAN CHOICE OF LAW RULES, OF THE STATE OF OHIO.",
     "Ohio"),
    ("THIS AGREEMENT SHALL BE GOVERNED BY THE LAWS OF THE STATE OF NEW YORK WITHOUT REGARD TO ITS CONFLICT OF "
     "LAWS RULES.", "New York"),
    ("The laws of the State of Nevada, U.S.A., regardless of conflict of laws principles, govern all matters "
     "arising out of this Agreement.", "Nevada"),
    ("This Agreement and any dispute arising from it shall be governed by, and construed in accordance with, the "
     "laws of the Province of Ontario.", "Ontario"),
    ("This Agreement shall be governed by the internal laws of the Commonwealth of Virginia.", "Virginia"),
    ("This Agreement is governed by the laws of the State of Idaho, and venue lies in the courts of Ada County.",
     "Idaho"),
    ("This Agreement shall be governed exclusively by the laws of the State of Utah.", "Utah"),
    ("The law applicable to this Agreement is the law of France.", "France"),
    ("This Agreement is made under, and shall be construed according to, the laws of the State of Georgia.",
     "Georgia"),
    ("The validity, interpretation and performance of this Agreement shall be controlled by the laws of the "
     "State of Maryland.", "Maryland"),
    ("This Agreement shall be governed by the laws of the District of Columbia.", "District of Columbia"),
    ("These Clauses shall be governed by the law of the EU Member State in which the data exporter is "
     "established.", None),
    ("This DPA shall be governed by the laws of the jurisdiction specified in the Agreement.", None),
    ("Any claim shall be governed by the Federal Arbitration Act.", None),
    ("If you live in the European Union, the laws of Ireland govern these Terms; otherwise, the laws of the "
     "State of California govern.", None),
    ("The courts of England have exclusive jurisdiction and English law applies.", "England"),
    ("Governing law: Ireland.", "Ireland"),
    ("Governing Law | the laws of the Netherlands", "Netherlands"),
    ("Governing law and jurisdiction: See the Agreement.", None),
    # "the laws of X ... govern / apply" names the governing law only with the agreement (or nothing) as object
    ("The laws of the State of Delaware, without giving effect to conflicts principles, govern this Agreement.",
     "Delaware"),
    ("Colorado law will apply to any dispute arising out of these Terms.", "Colorado"),
    ("Option 1 of Clause 17 shall apply and the laws of Spain shall govern the Standard Contractual Clauses.",
     "Spain"),
    ("Governing law\nThe laws of Portugal will apply\nJurisdiction\nThe courts of Lisbon", "Portugal"),
    ("If you are a California resident, the laws of California give you additional rights, and this section "
     "applies to you.", None),
    ("The laws of the State of Nevada require us to offer an opt-out, which applies to the sale of data.", None),
    ("Certain laws of the European Union may apply to your data.", None),
    ("Where the laws of Brazil apply, you have the rights described below.", None),
    ("Provider complies with the laws of Canada that govern the collection of personal information.", None),
    ("The parties submit to the exclusive jurisdiction of the courts of the State of Texas.", None),
    ("Any dispute shall be settled by arbitration seated in Geneva, Switzerland.", None),
    ("This Agreement shall not be governed by the laws of any jurisdiction other than as stated in the Order.",
     None),
    ("Provider shall comply with all applicable laws in the State of Arizona.", None),
]


@pytest.mark.parametrize(("text", "law"), LAW)
def test_issue_15_governing_law_forms(text: str, law: str | None) -> None:
    assert keyterms.read_governing_law(text).law == law


def test_issue_15_governing_law_wording_is_the_documents_own_text() -> None:
    text = "The laws of the State of Nevada, U.S.A., regardless of conflict of laws principles, govern it."
    r = keyterms.read_governing_law(text)
    assert r.law == "Nevada" and r.wording in text and "U.S.A." in r.wording


@pytest.mark.parametrize(
    ("lead", "items", "clock"),
    [
        ("If Provider becomes aware of a Security Incident affecting Student Data, Provider will:",
         ("(a) notify the District of the Security Incident without undue delay; and",
          "(b) take reasonable steps to contain it."), "discovery"),
        ("Once Provider confirms a breach of Student Data, Provider shall:",
         ("(a) restrict access to the affected systems;", "(b) notify the District of the breach of Student Data promptly; and",
          "(c) cooperate with the District's investigation."), "confirmation"),
    ],
)
def test_issue_15_breach_clock_is_read_from_the_lead_in_of_a_list(
    tmp_path, lead: str, items: tuple[str, ...], clock: str
) -> None:
    from contractreview.engine import analyze
    from contractreview.ingest import load_document

    text = "\n\n".join(
        [
            "DATA PRIVACY AGREEMENT",
            'This agreement is between the Lakeside School District (the "District") and Brightpath Learning, '
            'Inc. (the "Provider").',
            "1. Security Incidents",
            lead,
            *items,
        ]
    )
    path = tmp_path / "lead_in.txt"
    path.write_text(text + "\n", encoding="utf-8")
    a = analyze(load_document(path))
    k = a.key_term("breach_notice_clock_start")
    assert k.value == clock
    assert k.evidence is not None and lead in k.evidence.text
    assert a.key_terms["breach_notice_max_hours"] is None  # no figure is stated


def test_issue_15_lead_in_is_only_found_for_list_items() -> None:
    text = "Provider shall:\n(a) encrypt Student Data;\n(b) notify the District within 72 hours.\nProvider will act."
    lead = keyterms.lead_in(text, text.index("(b)"))
    assert lead is not None and text[lead[0] : lead[1]] == "Provider shall:"
    assert keyterms.lead_in(text, text.index("Provider will act")) is None


@pytest.mark.parametrize(
    ("sentence", "clock"),
    [
        # clock words that start no clock
        ("Provider will identify the cause of the breach and notify the District promptly.", None),
        ("Provider shall notify the District promptly of any breach and shall, to the best of its knowledge, "
         "describe the data affected.", None),
        ("Provider shall notify the District promptly and shall confirm the notice in writing.", None),
        ("Provider shall notify the District of any breach and identify the cause.", None),
        # a time connective, a qualifying participle, a relative clause, or the sentence's first word
        ("Provider shall notify the District without undue delay after becoming aware of a breach.", "discovery"),
        ("In the event Provider discovers a breach, it shall notify the District.", "discovery"),
        ("Provider shall notify the District of a confirmed breach.", "confirmation"),
        ("Provider shall notify the District without undue delay once a breach is confirmed.", "confirmation"),
        ("Provider shall notify the District of any breach that Provider determines affects Student Data.",
         "determination"),
        ("Discovery of a security breach: Provider shall promptly notify the District of such breach.", "discovery"),
    ],
)
def test_issue_15_notice_clock_needs_a_time_connective(sentence: str, clock: str | None) -> None:
    assert keyterms.notice_clock(sentence) == clock


def test_issue_15_notice_clock_after_a_figure_is_the_one_named_after_it() -> None:
    s = ("Provider shall notify the District within 72 hours after discovery of a breach and shall send a report "
         "once the breach is confirmed.")
    assert keyterms.notice_clock(s, s.index("72 hours")) == "discovery"
    assert keyterms.notice_clock(s) == "confirmation"  # no figure: the later trigger is the stricter reading


def test_issue_15_breach_recipient_may_be_named_earlier_in_the_paragraph() -> None:
    sent = "Notification shall be made within 48 hours of discovery of the breach."
    assert reading(sent, B) is None  # to whom is not said
    found = keyterms.deadlines(sent, B, "Provider shall notify the District of any breach of Student Data. ")
    assert [d.hours for d in found] == [48]
    # a notice owed to parents stays refused, whatever the paragraph says
    other = "Provider will notify affected parents within 72 hours."
    assert keyterms.deadlines(other, B, "The District owns Student Data. ") == []
