"""Contract excerpts written by the project, one per error kind of issue #15, with their gold key terms.

Each case is a short agreement (title, preamble, numbered clauses) whose text the tests render as plain
text, DOCX and PDF. ``gold`` lists the key terms the case is about; every other term must come out "not
stated" (None), so each case also checks that no term is reported where none is stated. A ``|`` in a
clause marks where the PDF rendering breaks the line after a real hyphen ("seventy-|two"), and a ``^``
where it splits a word with an added hyphen ("ter^mination"), as PDF line wrapping does; plain text and
DOCX drop the marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contractreview.domain import KEY_TERMS

PREAMBLE = (
    'This Data Privacy Agreement is between the Lakeside Unified School District (the "District") and '
    'Brightpath Learning, Inc. (the "Provider").'
)
PURPOSE = "1. Purpose\n1.1 Provider shall use Student Data solely to provide the Services to the District."


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # the error kind of issue #15 it guards
    clauses: tuple[str, ...]  # "N. Heading\nN.1 text ..." blocks
    gold: dict[str, Any] = field(default_factory=dict)

    def expected(self) -> dict[str, Any]:
        return {k: self.gold.get(k) for k in KEY_TERMS}

    def paragraphs(self, *, pdf: bool = False) -> list[str]:
        out = ["DATA PRIVACY AGREEMENT", PREAMBLE]
        for block in (PURPOSE, *self.clauses):
            for line in block.split("\n"):
                out.append(line.replace("^", "-|") if pdf else line.replace("|", "").replace("^", ""))
        return out

    def text(self) -> str:
        return "\n\n".join(self.paragraphs()) + "\n"


def _c(n: int, heading: str, *sentences: str) -> str:
    return f"{n}. {heading}\n" + "\n".join(f"{n}.{i} {s}" for i, s in enumerate(sentences, 1))


B, BC = "breach_notice_max_hours", "breach_notice_clock_start"
DR, DT, GL = "deletion_after_request_days", "deletion_after_termination_days", "governing_law"

CASES: tuple[Case, ...] = (
    # ---- breach notice: numbers in words and digits, business days, weeks, clock start, recipient
    Case("breach_words", "numbers in words", (
        _c(2, "Data Breach", "Provider shall notify the District within seventy-two (72) hours of discovering a "
           "Security Breach affecting Student Data."),
    ), {B: 72, BC: "discovery"}),
    Case("breach_digits", "numbers in digits", (
        _c(2, "Security Incidents", "Provider shall notify the District in writing within 48 hours after becoming "
           "aware of any unauthorized access to Student Data."),
    ), {B: 48, BC: "discovery"}),
    Case("breach_business_days", "business days", (
        _c(2, "Data Breach", "Provider shall notify the District of a breach of Student Data within five (5) "
           "business days after Provider confirms the breach."),
    ), {B: 168, BC: "confirmation"}),
    Case("breach_weeks", "weeks", (
        _c(2, "Data Breach", "Provider will notify the District within two weeks of learning of a data breach "
           "involving Student Data."),
    ), {B: 336, BC: "discovery"}),
    Case("breach_vague_only", "deadline reported where none is stated", (
        _c(2, "Data Breach", "Provider will notify the District without undue delay of any Security Incident "
           "involving Student Data."),
    ), {}),
    Case("breach_vague_then_outer", "outer limit after a vague promise", (
        _c(2, "Data Breach", "Provider shall notify the District promptly, and in any event within twenty-four "
           "(24) hours after discovery, of any breach of Student Data."),
    ), {B: 24, BC: "discovery"}),
    Case("breach_parents_only", "notice owed to parents, not the school", (
        _c(2, "Data Breach", "In the event of a data breach, Provider will notify affected parents and eligible "
           "students by email within 72 hours."),
    ), {}),
    Case("breach_parents_first", "recipient: parents first, the school second", (
        _c(2, "Data Breach", "Provider shall notify affected parents within ten (10) days, and shall notify the "
           "District within twenty-four (24) hours of discovery of any breach of Student Data."),
    ), {B: 24, BC: "discovery"}),
    Case("breach_refused", "refusals", (
        _c(2, "Security Incidents", "Provider is not obligated to notify the District of security incidents "
           "affecting Student Data and is not required to report breaches within any period."),
    ), {}),
    Case("breach_immediately", "immediate notice", (
        _c(2, "Data Breach", "Provider shall immediately notify the District upon discovery of a breach of "
           "Student Data."),
    ), {B: 0, BC: "discovery"}),
    Case("breach_determination", "clock start: determination", (
        _c(2, "Data Breach", "Provider shall notify the District within 72 hours after Provider determines that "
           "a breach of Student Data has occurred."),
    ), {B: 72, BC: "determination"}),
    Case("breach_report_later", "a later report is another duty", (
        _c(2, "Data Breach", "Provider shall notify the District within forty-eight (48) hours of discovery of a "
           "breach of Student Data and shall provide a written incident report within thirty (30) days."),
    ), {B: 48, BC: "discovery"}),
    Case("breach_school_to_authority", "the school's own notice to an authority", (
        _c(2, "Data Breach", "Provider shall inform the District of any breach of Student Data as soon as "
           "possible after becoming aware of it.",
           "The District, as the controller, is responsible for notifying the supervisory authority.",
           "Such notification shall be made no later than seventy-two (72) hours after the District becomes "
           "aware of the breach."),
    ), {BC: "discovery"}),
    Case("breach_hyphen_pdf", "number hyphenated across PDF lines", (
        _c(2, "Data Breach", "Provider shall notify the District within seventy-|two (72) hours of discovering "
           "any breach of Student Data."),
    ), {B: 72, BC: "discovery"}),
    Case("breach_distractors", "distractor numbers: support, invoices, renewals", (
        _c(2, "Data Breach", "Provider shall notify the District promptly of any breach of Student Data."),
        _c(3, "Support", "Provider shall respond to support tickets within four (4) hours during school days."),
        _c(4, "Fees", "Invoices are payable within thirty (30) days of receipt."),
        _c(5, "Term", "This Agreement renews for successive one (1) year terms unless either party gives "
           "notice of non-renewal at least sixty (60) days before the end of the term."),
    ), {}),
    # ---- deletion: request clock vs termination clock, backups, access requests, notice periods
    Case("delete_request_words", "deletion after request", (
        _c(3, "Deletion", "Within thirty (30) days of the District's written request, Provider shall delete "
           "all Student Data in its possession."),
    ), {DR: 30}),
    Case("delete_termination", "deletion after termination", (
        _c(3, "Return and Deletion", "Upon termination or expiration of this Agreement, Provider shall delete "
           "all Student Data within sixty (60) days."),
    ), {DT: 60}),
    Case("delete_both_one_sentence", "each period belongs to its event", (
        _c(3, "Return and Deletion", "Provider shall delete Student Data within ten (10) days of the District's "
           "written request, and in any event no later than ninety (90) days after termination of the "
           "Agreement."),
    ), {DR: 10, DT: 90}),
    Case("delete_request_clock_after_termination", "request clock read as termination clock", (
        _c(3, "Return and Deletion", "Following termination of this Agreement, the District may request "
           "deletion, and Provider shall delete the Student Data within ten (10) days of such request."),
    ), {DR: 10}),
    Case("delete_termination_clock_on_request", "termination clock read as request clock", (
        _c(3, "Return and Deletion", "At the direction of the District, Provider shall return or securely "
           "destroy all Student Data within seven (7) days of the termination of this Agreement."),
    ), {DT: 7}),
    Case("delete_backups", "a backup period is not the deletion deadline", (
        _c(3, "Return and Deletion", "Provider shall delete all Student Data within 30 days after termination "
           "of this Agreement, except that copies kept in encrypted backups shall be deleted within one hundred "
           "eighty (180) days."),
    ), {DT: 30}),
    Case("delete_access_requests", "access requests are not deletion requests", (
        _c(3, "Parent Access", "Provider will respond to requests to review or correct Student Data within "
           "forty-five (45) days."),
        _c(4, "Deletion on Request", "Upon the District's request to delete Student Data, Provider shall delete "
           "it within ten (10) business days."),
    ), {DR: 14}),
    Case("delete_notice_period", "a notice period is not a deletion deadline", (
        _c(3, "Termination", "Either party may terminate this Agreement upon thirty (30) days' written notice.",
           "Upon termination, Provider shall delete all Student Data."),
    ), {}),
    Case("delete_none_stated", "deadline reported where none is stated", (
        _c(3, "Deletion", "Provider shall delete Student Data upon the District's request."),
        _c(4, "Logs", "Provider keeps server access logs for twelve (12) months for security purposes."),
    ), {}),
    Case("delete_return_then_destroy", "return first, destruction later", (
        _c(3, "Return and Deletion", "Within 30 days after termination, Provider shall return all Student Data "
           "to the District, and shall destroy all remaining copies within sixty (60) days after termination."),
    ), {DT: 60}),
    Case("delete_after_receipt_of_request", "request clock after receipt", (
        _c(3, "Deletion", "Provider shall delete Student Data within 30 days after receipt of the District's "
           "written request."),
    ), {DR: 30}),
    Case("delete_instruction", "an instruction is the school's request", (
        _c(3, "Deletion", "Provider shall securely dispose of Student Data within forty-five (45) days of the "
           "District's written instruction to do so."),
    ), {DR: 45}),
    Case("delete_weeks", "weeks", (
        _c(3, "Deletion", "Provider shall delete Student Data within two (2) weeks of receiving a deletion "
           "request from the District."),
    ), {DR: 14}),
    Case("delete_refused", "refusals", (
        _c(3, "Retention", "Provider is not required to delete Student Data upon termination of this Agreement "
           "and may retain it for its business purposes."),
    ), {}),
    Case("delete_condition", "a figure of a condition", (
        _c(3, "Accounts", "If the District does not renew its subscription within 14 days, the account is "
           "closed and Student Data is deleted from Provider's systems."),
    ), {}),
    Case("delete_immediately", "immediate deletion", (
        _c(3, "Return and Deletion", "Upon termination of this Agreement, Provider shall immediately delete "
           "all Student Data."),
    ), {DT: 0}),
    Case("delete_hyphen_pdf", "word hyphenated across PDF lines", (
        _c(3, "Return and Deletion", "Provider shall delete all Student Data within thirty (30) days after ter^"
           "mination of this Agreement."),
    ), {DT: 30}),
    Case("delete_distractors", "distractor numbers next to deletion", (
        _c(3, "Fees", "Fees are due within thirty (30) days of each invoice."),
        _c(4, "Return and Deletion", "At the end of this Agreement, Provider shall dispose of all Student Data "
           "within forty-five (45) days."),
    ), {DT: 45}),
    Case("delete_data_subject_request", "a data subject's request is not the school's request", (
        _c(3, "Data Subject Rights", "Provider shall erase Personal Data within thirty (30) days of a data "
           "subject's request, as instructed by the District."),
    ), {}),
    Case("delete_requested_retention", "a period requested is not a request clock", (
        _c(3, "Retention", "Upon expiration of this Agreement, Provider shall delete Student Data within "
           "ninety (90) days or any shorter retention period requested by the District."),
    ), {DT: 90}),
    # ---- governing law: forms, venue and arbitration seat kept apart
    Case("law_ireland", "the laws of Ireland", (
        _c(6, "Governing Law", "This Agreement is governed by the laws of Ireland."),
    ), {GL: "Ireland"}),
    Case("law_state_of_california", "the State of California", (
        _c(6, "Governing Law", "This Agreement shall be governed by and construed in accordance with the laws "
           "of the State of California, without regard to its conflict of laws principles."),
    ), {GL: "California"}),
    Case("law_with_venue", "a clause that also names the venue", (
        _c(6, "Governing Law and Venue", "This Agreement is governed by the laws of the State of New York, and "
           "the parties submit to the exclusive jurisdiction of the state and federal courts located in "
           "Delaware."),
    ), {GL: "New York"}),
    Case("law_venue_first", "venue named before the law", (
        _c(6, "Disputes", "Any action shall be brought exclusively in the courts of King County, Washington, and "
           "this Agreement shall be construed under the laws of the State of Oregon."),
    ), {GL: "Oregon"}),
    Case("law_with_seat", "arbitration seat kept apart", (
        _c(6, "Disputes", "Any dispute shall be resolved by binding arbitration seated in London, England.",
           "This Agreement is governed by the laws of the Netherlands."),
    ), {GL: "Netherlands"}),
    Case("law_seat_only", "an arbitration seat is not a governing law", (
        _c(6, "Disputes", "Any dispute will be finally resolved by arbitration held in San Francisco, California "
           "under the rules of JAMS."),
    ), {}),
    Case("law_venue_only", "a venue is not a governing law", (
        _c(6, "Venue", "The parties consent to the exclusive jurisdiction of the courts of Texas."),
    ), {}),
    Case("law_adjective", "governed by California law", (
        _c(6, "Governing Law", "This Agreement will be governed by California law, and venue shall lie in the "
           "courts of Santa Clara County."),
    ), {GL: "California"}),
    Case("law_commonwealth", "the Commonwealth of", (
        _c(6, "Governing Law", "This Agreement is subject to the laws of the Commonwealth of Massachusetts."),
    ), {GL: "Massachusetts"}),
    Case("law_construed_and_enforced", "construed and enforced under", (
        _c(6, "Governing Law", "This Agreement will be construed and enforced in accordance with the laws of the "
           "State of Texas."),
    ), {GL: "Texas"}),
    Case("law_named_first", "the law named before the verb", (
        _c(6, "Governing Law", "The laws of the State of Delaware, without giving effect to conflicts "
           "principles, govern this Agreement."),
    ), {GL: "Delaware"}),
    Case("law_england_and_wales", "a two-part jurisdiction", (
        _c(6, "Governing Law", "This Agreement shall be governed by the laws of England and Wales."),
    ), {GL: "England and Wales"}),
    Case("law_member_state", "an unnamed member state is not a place", (
        _c(6, "Governing Law", "This Agreement is governed by the law of the Member State in which the "
           "controller is established."),
    ), {}),
    Case("law_compliance_only", "complying with laws is not a governing law", (
        _c(6, "Compliance", "Provider shall comply with all applicable laws of the United States, and Student "
           "Data may be subject to United States law."),
    ), {}),
    Case("law_state_of_district", "an unnamed state is not a place", (
        _c(6, "Governing Law", "This Agreement shall be governed by the laws of the state in which the District "
           "is located."),
    ), {}),
)
