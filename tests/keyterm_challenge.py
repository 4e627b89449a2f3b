"""A challenge set for the key terms of issue #15, written by the project before the third pass changed code.

The excerpts of ``keyterm_excerpts.py`` and the sentences of ``test_issue_15_keyterm_mechanisms.py`` were
written alongside the readings they test. These were written afterwards, in wording unlike theirs and in
the styles vendors use (district DPAs, GDPR-style processing terms, a vendor's own terms of service, a
privacy policy), to say how the readings do on text they were not built on. Their score before any code
changed is the independent figure (docs/evaluation.md#key-terms).

Each excerpt is a whole short document (a title and 1-6 sentences in paragraphs); ``gold`` names the key
terms it states, every other term must come out None (the conventions of the requirement facts README,
"Conventions for key terms"). ``negative`` marks an excerpt whose point is a distractor: a figure or place
that must NOT be reported as a key term (support hours, password links, notice periods, trials, invoices,
inactivity, backups, "as long as necessary", compliance with a state's laws, venues and seats, the law of
the user's country, "applicable law", vague breach notices, a regulator's 72 hours, other events).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contractreview.domain import KEY_TERMS

B, BC = "breach_notice_max_hours", "breach_notice_clock_start"
DR, DT, GL = "deletion_after_request_days", "deletion_after_termination_days", "governing_law"


@dataclass(frozen=True)
class Excerpt:
    id: str
    negative: bool
    title: str
    paragraphs: tuple[str, ...]
    gold: dict[str, Any] = field(default_factory=dict)
    batch: int = 1  # 1: before the third pass; 2, 3: each written after the fixes before it, scored before any other

    def expected(self) -> dict[str, Any]:
        return {k: self.gold.get(k) for k in KEY_TERMS}

    def text(self) -> str:
        return "\n\n".join((self.title, *self.paragraphs)) + "\n"


def read_excerpts(excerpts: tuple[Excerpt, ...], folder: Any) -> dict[str, dict[str, object]]:
    """The whole engine's key terms of each excerpt, analysed as a plain-text document in ``folder``."""
    from pathlib import Path

    from contractreview.engine import analyze
    from contractreview.ingest import load_document

    out = {}
    for ex in excerpts:
        path = Path(folder, f"{ex.id}.txt")
        path.write_text(ex.text(), encoding="utf-8")
        out[ex.id] = dict(analyze(load_document(path)).key_terms)
    return out


def score_excerpts(excerpts: tuple[Excerpt, ...], readings: dict[str, dict[str, object]]) -> dict[str, object]:
    """Exact match per term and overall, and the share of negative excerpts with a false report."""
    per_term = {k: 0 for k in KEY_TERMS}
    false_reports: list[str] = []
    wrong: dict[str, dict[str, tuple[object, object]]] = {}
    for ex in excerpts:
        exp, got = ex.expected(), readings[ex.id]
        bad = {k: (exp[k], got[k]) for k in KEY_TERMS if got[k] != exp[k]}
        for k in KEY_TERMS:
            per_term[k] += k not in bad
        if bad:
            wrong[ex.id] = bad
        if ex.negative and any(exp[k] is None and got[k] is not None for k in KEY_TERMS):
            false_reports.append(ex.id)
    n = len(excerpts)
    negatives = sum(ex.negative for ex in excerpts)
    return {
        "exact": sum(per_term.values()) / (n * len(KEY_TERMS)),
        "per_term": {k: v / n for k, v in per_term.items()},
        "false_report_rate": len(false_reports) / negatives,
        "false_reports": false_reports,
        "wrong": wrong,
    }


def _neg(id: str, title: str, *paragraphs: str, batch: int = 1, **gold: Any) -> Excerpt:
    return Excerpt(id, True, title, paragraphs, _gold(gold), batch)


def _pos(id: str, title: str, *paragraphs: str, batch: int = 1, **gold: Any) -> Excerpt:
    return Excerpt(id, False, title, paragraphs, _gold(gold), batch)


def _gold(short: dict[str, Any]) -> dict[str, Any]:
    names = {"b": B, "bc": BC, "dr": DR, "dt": DT, "gl": GL}
    return {names[k]: v for k, v in short.items()}


DPA = "STUDENT DATA PRIVACY AGREEMENT"
TOS = "TERMS OF SERVICE"
PP = "PRIVACY POLICY"
GDPR = "DATA PROCESSING ADDENDUM"

EXCERPTS: tuple[Excerpt, ...] = (
    # ================================================================ negatives: a term must not be reported
    _neg("password_link_72h", PP,
         "Password reset links we send to your email address remain valid for 72 hours.",
         "We will tell affected account holders about a security incident without undue delay."),
    _neg("support_severity_incident", "SUPPORT AND SERVICE LEVELS",
         "Severity 1 incidents (the Service is unavailable to all users) receive a first response within one "
         "(1) hour, twenty-four hours a day.",
         "Supplier will notify Customer of any Security Breach affecting Customer Data as soon as reasonably "
         "practicable."),
    _neg("material_breach_cure", TOS,
         "Either party may terminate this Agreement if the other party fails to cure a material breach within "
         "thirty (30) days of receiving written notice of it.",
         "Upon termination, Vendor will return all Customer Data to Customer."),
    _neg("invoice_days", "ORDER FORM TERMS",
         "Invoices are due within forty-five (45) days of the invoice date.",
         "Upon expiration of this Order Form, Vendor shall destroy all Customer Data in its possession."),
    _neg("changes_notice", TOS,
         "We will give schools at least 30 days' notice before a material change to these Terms takes effect.",
         "We will delete a school's student data when the school asks us to."),
    _neg("free_trial", TOS,
         "Schools may evaluate the Service during a 30-day free trial.",
         "When a paid subscription ends, we delete the school's content from our systems."),
    _neg("renewal_window", DPA,
         "Either party may decline renewal by written notice given no later than sixty (60) days before the "
         "renewal date.",
         "Upon expiry of the Agreement, Provider deletes all Student Data."),
    _neg("inactivity_months", PP,
         "We delete student accounts, and the work stored in them, after eighteen months of inactivity."),
    _neg("inactive_school_account", TOS,
         "If a school account has been inactive for 24 months, we may terminate it and delete the data it "
         "holds."),
    _neg("backup_rotation", GDPR,
         "Backups of the platform are rotated every ninety (90) days.",
         "The Customer may instruct the Processor to delete Customer Personal Data at any time, and the "
         "Processor will do so."),
    _neg("backup_overwrite_after_termination", GDPR,
         "Upon termination of the Agreement, the Processor will delete Customer Personal Data from its "
         "production systems.",
         "Residual copies held in encrypted backups are overwritten in the ordinary course within thirty-five "
         "(35) days."),
    _neg("as_long_as_necessary", PP,
         "We retain personal information for as long as necessary to provide the Services and for a reasonable "
         "period thereafter, unless a longer period is required by law."),
    _neg("server_logs", PP,
         "Server logs, which record IP addresses and browser types, are kept for thirteen (13) months and are "
         "then deleted."),
    _neg("consumer_requests_45", PP,
         "We respond to verifiable consumer requests to delete personal information within 45 days, as the "
         "California Consumer Privacy Act requires."),
    _neg("teacher_closes_account", PP,
         "Teachers who delete their own account will have their class rosters erased within thirty days."),
    _neg("deletion_reasonable_time", DPA,
         "Upon the school's written request, Provider will delete the student personal information it holds "
         "within a commercially reasonable time."),
    _neg("certificate_days", DPA,
         "Upon termination, Vendor will delete all Student Data.",
         "Within fifteen (15) days after completing the deletion, Vendor will furnish the District with a "
         "certificate of destruction signed by an officer."),
    _neg("state_law_compliance", DPA,
         "Vendor shall comply with the laws of the State of Texas, including the Texas Education Code, in "
         "handling Student Data."),
    _neg("massachusetts_compliance", DPA,
         "Provider will handle Student Data in compliance with FERPA and the laws of the Commonwealth of "
         "Massachusetts."),
    _neg("nevada_rights_notice", PP,
         "Residents of Nevada have the right under the laws of the State of Nevada to opt out of the sale of "
         "certain covered information."),
    _neg("applicable_law_definition", DPA,
         "\"Applicable Law\" means FERPA, COPPA and the laws of the State of New York, each as amended."),
    _neg("arbitration_seat_only", TOS,
         "Any dispute arising out of these Terms will be resolved by binding arbitration administered by the "
         "American Arbitration Association and seated in Chicago, Illinois."),
    _neg("venue_only", TOS,
         "The parties submit to the exclusive jurisdiction of the state and federal courts located in King "
         "County, Washington."),
    _neg("icc_place_of_arbitration", GDPR,
         "Disputes will be finally settled under the Rules of Arbitration of the International Chamber of "
         "Commerce; the place of arbitration is Geneva, Switzerland."),
    _neg("user_residence_law", TOS,
         "These Terms are governed by the laws of the country in which you reside."),
    _neg("applicable_law_unnamed", "MASTER SUBSCRIPTION AGREEMENT",
         "This Agreement shall be governed by applicable law."),
    _neg("controller_establishment_law", GDPR,
         "This Addendum is governed by the law of the jurisdiction in which the Customer is established."),
    _neg("uk_processing_law", PP,
         "Where the UK GDPR applies, we process personal data in accordance with the laws of England and "
         "Wales."),
    _neg("undue_delay_aware", GDPR,
         "The Processor shall notify the Controller without undue delay after becoming aware of a Personal "
         "Data Breach.", bc="discovery"),
    _neg("regulator_72_school_promptly", PP,
         "Where the law requires it, we will notify the competent supervisory authority of a personal data "
         "breach within 72 hours.",
         "We will inform the school promptly."),
    _neg("families_two_days", PP,
         "Affected families will receive an email from us within two days after we confirm an incident."),
    _neg("subpoena_days", DPA,
         "Provider shall notify the LEA within five (5) days of receiving a subpoena or court order for Student "
         "Data."),
    _neg("school_notifies_vendor", DPA,
         "The District shall notify Provider within 24 hours of discovering any unauthorized use of a District "
         "user's login credentials."),
    _neg("complaint_business_days", DPA,
         "Provider will inform the District within ten (10) business days of receiving a parent's complaint "
         "about the handling of Student Data."),
    _neg("uptime_restore", "SERVICE LEVEL AGREEMENT",
         "Vendor will restore the Service within four (4) hours of an outage and will notify the Customer of "
         "any data breach promptly."),
    # ================================================================ positives: stated in new wording
    _pos("well_erase_14", PP,
         "If a school asks us to remove student records, we'll permanently erase them within 14 calendar days.",
         dr=14),
    _pos("purged_90_following_expiration", "MASTER SUBSCRIPTION AGREEMENT",
         "Customer Data will be purged from all production systems no later than ninety days following the "
         "expiration or termination of the Subscription.", dt=90),
    _pos("tell_institution_48", "EDUCATION SERVICES AGREEMENT",
         "Security Breach Notification. Vendor will tell the Institution about a Security Breach no later than "
         "48 hours after Vendor discovers it.", b=48, bc="discovery"),
    _pos("lea_notified_three_days_confirmation", DPA,
         "The LEA will be notified by Provider within three calendar days of the confirmation of any Breach.",
         b=72, bc="confirmation"),
    _pos("customer_36_hours_moment_aware", GDPR,
         "Notice to the Customer of a Personal Data Breach will be given within 36 hours from the moment the "
         "Processor becomes aware of it.", b=36, bc="discovery"),
    _pos("irish_law_noncontractual", GDPR,
         "This Addendum and any non-contractual obligations arising out of or in connection with it are "
         "governed by Irish law.", gl="Ireland"),
    _pos("oregon_internal_laws_venue", "LICENSE AGREEMENT",
         "The validity, interpretation and performance of this Agreement shall be governed by the internal laws "
         "of the State of Oregon, without giving effect to its conflict-of-laws principles.",
         "Venue for any action lies exclusively in Multnomah County.", gl="Oregon"),
    _pos("ontario_subject_to", TOS,
         "These Terms are subject to the laws of the Province of Ontario and the federal laws of Canada "
         "applicable therein.", gl="Ontario"),
    _pos("delaware_law_governs", "ENTERPRISE AGREEMENT",
         "Choice of Law. Delaware law governs this Agreement, excluding its rules on conflicts of law.",
         gl="Delaware"),
    _pos("netherlands_dpa", GDPR,
         "This DPA is governed by the laws of the Netherlands.", gl="Netherlands"),
    _pos("washington_usa_arbitration", TOS,
         "Any claim arising out of these Terms will be governed by the laws of the State of Washington, U.S.A., "
         "and resolved by arbitration in Seattle.", gl="Washington"),
    _pos("dispose_15_business_days", DPA,
         "Provider shall dispose of the requested Student Data within fifteen (15) business days after receipt "
         "of a written deletion request from the LEA.", dr=21),
    _pos("erase_two_weeks_instruction", GDPR,
         "Following a written instruction from the Customer, the Processor shall erase the Customer Personal "
         "Data within two weeks.", dr=14),
    _pos("return_30_destroy_60", DPA,
         "Within 30 days after the Agreement ends, Vendor shall return all School Data to the School, and within "
         "60 days after the Agreement ends Vendor shall destroy all remaining copies.", dt=60),
    _pos("immediately_securely_delete", DPA,
         "When this Agreement expires or is terminated, the Provider shall immediately and securely delete all "
         "Student Data.", dt=0),
    _pos("contractor_24_detecting", "STATE CONTRACT RIDER",
         "Contractor will promptly, and in no case later than 24 hours after detecting it, report any Security "
         "Incident involving Student Data to the Department.", b=24, bc="discovery"),
    _pos("five_days_learn_district", PP,
         "We will notify the school district in writing no more than 5 days after we learn of a data breach "
         "affecting student records.", b=120, bc="discovery"),
    _pos("both_clocks_with_support", DPA,
         "Upon termination, Provider will delete Student Data within 45 days.",
         "Provider responds to support tickets within one business day.",
         "When the District asks, Provider will delete the Student Data the District identifies within ten "
         "(10) days.", dr=10, dt=45),
    _pos("authority_72_customer_24", GDPR,
         "The Processor will notify the relevant supervisory authority within 72 hours, and the Customer within "
         "24 hours, of becoming aware of a Personal Data Breach.", b=24, bc="discovery"),
    _pos("discovery_suspected_48", DPA,
         "Upon discovery of an actual or suspected unauthorized disclosure of Student Data, Vendor shall notify "
         "the LEA within forty-eight hours.", b=48, bc="discovery"),
    _pos("sixty_days_at_the_latest", GDPR,
         "Sixty days after the expiry of the Services Agreement at the latest, all Customer Data shall be "
         "deleted by the Processor.", dt=60),
    _pos("so_directs_30", DPA,
         "Provider shall delete Student Data no later than thirty (30) days after the LEA so directs in "
         "writing.", dr=30),
    _pos("three_business_days_discovering", DPA,
         "Provider shall notify the District within three (3) business days of discovering a breach of Student "
         "Data.", b=120, bc="discovery"),
    _pos("colorado_govern_courts", "SERVICES AGREEMENT",
         "Governing Law and Jurisdiction. The laws of the State of Colorado govern this Agreement.",
         "The courts of Denver County have exclusive jurisdiction over any dispute.", gl="Colorado"),
    _pos("termination_including_backup_media", DPA,
         "Within thirty days of the termination of the Services, Provider will permanently delete Customer Data "
         "from its systems, including from backup media.", dt=30),
    _pos("erase_72_hours_request", DPA,
         "Vendor will erase the records identified in the School's request within 72 hours of receiving that "
         "request.", dr=3),
    _pos("confirmed_then_48", GDPR,
         "Once the Processor has confirmed a Personal Data Breach, it shall notify the Controller within 48 "
         "hours.", b=48, bc="confirmation"),
    _pos("backups_35_terminate_60", PP,
         "We keep backup copies of our databases for up to 35 days.",
         "If your school terminates its contract with us, we delete student personal information within 60 "
         "days of the termination date.", dt=60),
    _pos("georgia_according_to", TOS,
         "These Terms shall be interpreted according to the laws of the State of Georgia, and venue shall be in "
         "Fulton County.", gl="Georgia"),
    _pos("written_notice_board_two_days", "SCHOOL BOARD SERVICES AGREEMENT",
         "In the event of a Security Breach, the Company shall provide written notice to the Board no later than "
         "two (2) days following discovery.", b=48, bc="discovery"),
    _pos("ten_working_days_request", GDPR,
         "The Supplier will delete Customer Personal Data within ten working days of a request by the Customer to "
         "do so.", dr=14),
    _pos("virginia_shall_apply", DPA,
         "The parties agree that the laws of the Commonwealth of Virginia shall apply to this Agreement.",
         gl="Virginia"),
    _pos("full_dpa_mixed", DPA,
         "Provider shall notify the District within twenty-four (24) hours of becoming aware of a Breach.",
         "Password reset links expire after 72 hours.",
         "Upon the District's written request, Provider shall destroy Student Data within 20 days.",
         "This Agreement is governed by the laws of the State of Ohio.", b=24, bc="discovery", dr=20, gl="Ohio"),
    # ================================================================ batch 2 (written after the fixes of batch 1)
    _neg("invoices_after_termination", DPA,
         "Upon termination, Provider shall delete Student Data, and any invoices outstanding shall be paid within "
         "30 days.", batch=2),
    _neg("forensic_report_30", DPA,
         "Provider will notify the District of any breach promptly; the District may then request a forensic "
         "report, which Provider will deliver within 30 days.", batch=2),
    _neg("credit_monitoring_months", PP,
         "We will notify the school of a data breach promptly and will offer affected users 12 months of credit "
         "monitoring.", batch=2),
    _neg("incident_logs_years", DPA,
         "Provider shall notify the District in the most expedient time possible, and Provider shall maintain "
         "incident logs for three (3) years.", batch=2),
    _neg("law_may_require_60", "CLOUD SERVICES AGREEMENT",
         "In the event of a breach, Vendor shall notify the Customer as required by applicable law, which may "
         "require notice within 60 days.", batch=2),
    _neg("other_requests_business_days", DPA,
         "The District may request deletion of Student Data at any time; Provider shall respond to all other "
         "District requests within ten (10) business days.", batch=2),
    _neg("deidentified_years", DPA,
         "Provider may retain de-identified data for five (5) years after termination for research purposes.",
         batch=2),
    _neg("export_window_90", TOS,
         "Following termination, we will keep the school's content available for export for 90 days.", batch=2),
    _neg("copy_window_then_schedule", "SAAS AGREEMENT",
         "Customer may request a copy of its data within 30 days after termination; thereafter Vendor deletes it "
         "in accordance with its retention schedule.", batch=2),
    _neg("annual_review", DPA,
         "Vendor shall delete Student Data when it is no longer needed, and Vendor reviews the data it retains "
         "every twelve (12) months.", batch=2),
    _neg("consumer_rights_ireland", TOS,
         "Nothing in these Terms affects your rights as a consumer under the laws of Ireland.", batch=2),
    _neg("processing_german_law", GDPR,
         "The Processor shall process the data in accordance with the laws of the Federal Republic of Germany.",
         batch=2),
    _neg("construed_to_comply_illinois", DPA,
         "This Agreement shall be construed so as to comply with the laws of the State of Illinois, including the "
         "Student Online Personal Protection Act.", batch=2),
    _neg("courts_of_england", TOS,
         "Any disputes will be heard by the courts of England, and the parties waive any objection to that "
         "venue.", batch=2),
    _neg("eu_country_of_residence", TOS,
         "If you live in the European Union, the laws of your country of residence apply.", batch=2),
    _neg("incorporated_delaware", PP,
         "We are a company incorporated under the laws of Delaware with offices in Austin, Texas.", batch=2),
    _neg("registered_ontario_complies", PP,
         "The company is registered in Ontario and complies with the laws of Canada on personal information.",
         batch=2),
    _neg("commissioner_72", GDPR,
         "The Supplier will notify the Information Commissioner within 72 hours of becoming aware of a breach, "
         "where the law requires it.", batch=2),
    _neg("new_device_alert", TOS,
         "We'll email you within 72 hours if we detect a sign-in from a new device.", batch=2),
    _neg("student_transfer", PP,
         "If a student transfers to another school, the student's account is deleted within 30 days of the "
         "transfer.", batch=2),
    _neg("trash_30_days", TOS,
         "Deleted files remain in the trash for 30 days before they are permanently erased.", batch=2),
    _neg("recordings_session_ends", PP,
         "Class recordings are automatically deleted 30 days after the class session ends.", batch=2),
    _pos("option_return_destroy_60", DPA,
         "Vendor shall, at the District's option, return or destroy all Student Data within sixty (60) calendar "
         "days of the Agreement's termination.", dt=60, batch=2),
    _pos("one_week_request", "PUPIL DATA AGREEMENT",
         "Within one (1) week after a written request by the School, the Company shall delete the School's pupil "
         "data.", dr=7, batch=2),
    _pos("has_30_days_to_delete", DPA,
         "After the Agreement expires, the Provider has 30 days to delete Student Data.", dt=30, batch=2),
    _pos("asap_not_later_72", "STATE AGENCY CONTRACT",
         "Provider must inform the Agency of a Breach as soon as possible and not later than 72 hours after "
         "learning of it.", b=72, bc="discovery", batch=2),
    _pos("one_business_day_detection", DPA,
         "The Vendor shall report each Security Incident to the District within one (1) business day of "
         "detection.", b=48, bc="discovery", batch=2),
    _pos("minnesota_governed_construed", DPA,
         "This Agreement is governed by, and shall be construed in accordance with, the laws of the State of "
         "Minnesota.", gl="Minnesota", batch=2),
    _pos("sweden_arbitration_stockholm", GDPR,
         "All disputes are governed by the law of Sweden and settled by arbitration in Stockholm.", gl="Sweden",
         batch=2),
    _pos("massachusetts_law_governs", TOS,
         "Governing law. Massachusetts law governs these Terms.", gl="Massachusetts", batch=2),
    _pos("request_30_end_90", DPA,
         "Provider shall delete Student Data within 30 days of the District's request and, in any case, within 90 "
         "days after the Agreement ends.", dr=30, dt=90, batch=2),
    _pos("receipt_request_confirm_15", DPA,
         "Upon receipt of a deletion request from the School, Vendor will delete the requested data within ten "
         "(10) days and confirm the deletion in writing within fifteen (15) days.", dr=10, batch=2),
    _pos("lea_24_determines", DPA,
         "Notification of a Security Breach shall be sent to the LEA within twenty-four (24) hours after the "
         "Provider determines that a breach has occurred.", b=24, bc="determination", batch=2),
    _pos("service_agreement_ends_erase", DPA,
         "When the Service Agreement ends, Provider will erase all Student Data within 30 days.", dt=30, batch=2),
    # ================================================================ batch 3 (written after batch 2's fixes)
    _neg("states_have_laws", PP,
         "Some states, such as the State of Washington, have laws governing biometric identifiers.", batch=3),
    _neg("shine_the_light", PP,
         "We comply with the laws of California regarding Shine the Light requests.", batch=3),
    _neg("policy_governed_by_terms", PP,
         "This Privacy Policy is governed by our Terms of Service, including the choice of law provisions "
         "therein.", batch=3),
    _neg("data_subject_to_us_law", PP,
         "Student Data will be stored in the United States and is subject to the laws of the United States.",
         batch=3),
    _neg("coppa_governs_collection", PP,
         "The Children's Online Privacy Protection Act governs the collection of information from children under "
         "13.", batch=3),
    _neg("uk_data_protection_laws", GDPR,
         "The Supplier shall comply with the Data Protection Laws of the United Kingdom.", batch=3),
    _neg("lcia_london", "SERVICES AGREEMENT",
         "Any arbitration shall be conducted in English in London, England under the LCIA Rules.", batch=3),
    _neg("state_where_district_located", DPA,
         "These Terms shall be governed by the laws of the state where the school district is located.", batch=3),
    _neg("education_law_2d", PP,
         "The laws of the State of New York, including Education Law 2-d, require us to publish a Parents' Bill "
         "of Rights.", batch=3),
    _neg("notices_to_dublin", TOS,
         "Notices under this Agreement shall be sent to our office in Dublin, Ireland.", batch=3),
    _neg("subprocessor_change_30", DPA,
         "Provider shall notify the District within 30 days of any change in its subprocessors.", batch=3),
    _neg("states_require_45", PP,
         "We will notify you of a breach as required by law; some states require notice within 45 days.",
         batch=3),
    _neg("maintenance_48_hours", DPA,
         "Provider shall give the District 48 hours' notice before scheduled maintenance.", batch=3),
    _pos("new_jersey_capitals", DPA,
         "THIS AGREEMENT SHALL BE GOVERNED BY THE LAWS OF THE STATE OF NEW JERSEY.", gl="New Jersey", batch=3),
    _pos("belgian_law_dpa", GDPR,
         "The Parties agree that this DPA is governed by Belgian law.", gl="Belgium", batch=3),
    _pos("applicable_law_finland", GDPR,
         "Applicable law: the laws of Finland apply to this Agreement.", gl="Finland", batch=3),
    _pos("texas_interpreted_under", "SOFTWARE LICENSE",
         "This Agreement will be governed by and interpreted under the laws of the State of Texas, and any suit "
         "must be filed in Travis County.", gl="Texas", batch=3),
    _pos("data_incident_48_aware", GDPR,
         "In case of a Data Incident, Vendor will inform the Controller without undue delay, and in any case "
         "within 48 hours of the Vendor becoming aware of it.", b=48, bc="discovery", batch=3),
)
