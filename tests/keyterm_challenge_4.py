"""A second challenge set for the key terms of issue #15, written by the project before the fourth pass changed code.

The third pass's set (``keyterm_challenge.py``) was read and fixed, so its figures are in-sample. These
excerpts were written afterwards, in the styles of the documents the engine meets on paper it has not seen:
consumer and ed-tech privacy policies, terms of service, AI-vendor and SaaS data processing addenda (GDPR
processor terms with standard contractual clauses), lawyers' DPA forms for districts, and old US hosting and
service agreements as filed with the SEC. Most are **negatives** whose point is a distractor for one of the
five terms: a regulator's or data subjects' 72 hours, "without undue delay", a request answered or exported
(not deleted) within so many days, retention while an account is active, backup rotation, cure and
termination-notice periods, payment, warranty and SLA figures, incorporation recitals, "the laws of X" in
compliance, export-control and consumer-rights sentences, venues and arbitration seats without a law, and the
governing law of another agreement. Their score before any code changed is the independent figure
(docs/evaluation.md#key-terms, "Fourth pass").

Same data shape as ``keyterm_challenge.py``: each excerpt is a whole short document, ``gold`` names the key
terms it states and every other term must come out None (requirement facts README, "Conventions for key
terms").
"""

from __future__ import annotations

from typing import Any

from keyterm_challenge import Excerpt, _gold


def _neg(id: str, title: str, *paragraphs: str, **gold: Any) -> Excerpt:
    return Excerpt(id, True, title, paragraphs, _gold(gold), 4)


def _pos(id: str, title: str, *paragraphs: str, **gold: Any) -> Excerpt:
    return Excerpt(id, False, title, paragraphs, _gold(gold), 4)


PP = "PRIVACY POLICY"
EDPP = "STUDENT DATA PRIVACY NOTICE"
TOS = "TERMS OF SERVICE"
DPA = "DATA PROCESSING ADDENDUM"
AIDPA = "AI SERVICES DATA PROCESSING ADDENDUM"
FORM = "STUDENT DATA PRIVACY AGREEMENT"
HOST = "WEB HOSTING SERVICES AGREEMENT"
SVC = "INTERNET SERVICES AGREEMENT"

EXCERPTS: tuple[Excerpt, ...] = (
    # ================================================================ negatives: consumer and ed-tech privacy policies
    _neg("pp_account_active_respond_30", PP,
         "We keep your child's profile for as long as the account is active.",
         "If you ask us to delete it, we will respond within 30 days and tell you what we removed."),
    _neg("pp_authority_72_users_undue", PP,
         "If a personal data breach is likely to result in a risk to your rights, we will report it to the "
         "relevant data protection authority within 72 hours of becoming aware of it, and we will inform you "
         "without undue delay."),
    _neg("pp_california_confirm_respond", PP,
         "California residents may request access to or deletion of their personal information.",
         "We will confirm receipt of a request within 10 business days and respond within 45 calendar days."),
    _neg("pp_export_14", EDPP,
         "Teachers can download a copy of their class data at any time, and we fulfil an export request within "
         "14 days."),
    _neg("pp_transfer_laws_differ", PP,
         "By using the Service from outside the United States, you consent to the transfer of your information "
         "to the United States, whose data protection laws may differ from the laws of your country."),
    _neg("pp_backup_cycle_free_accounts", PP,
         "Deleted content may persist in our backups, which are overwritten on a rolling 60-day cycle.",
         "We delete inactive free accounts after two years."),
    _neg("pp_parents_five_days", EDPP,
         "If student personal information is compromised, we will notify affected parents by email within 5 "
         "days and post a notice on our website.",
         "We will also work with the school to investigate what happened."),
    _neg("pp_school_asks_no_figure", EDPP,
         "Schools control student data.",
         "When a school asks us to delete student data, we do so in line with our agreement with that school."),
    _neg("pp_coppa_consent_window", EDPP,
         "If we do not obtain verifiable parental consent within 14 days of collecting a child's email address, "
         "we delete the address."),
    _neg("pp_cookie_lifetimes", PP,
         "Our analytics cookies expire after 13 months, and session cookies are erased when you close your "
         "browser."),
    _neg("pp_disclosure_utah_law", PP,
         "We may disclose information where required by the laws of the United States or the State of Utah, for "
         "example in response to a subpoena."),
    _neg("pp_member_state_complaint", PP,
         "If you are in the EEA, you may lodge a complaint with your local supervisory authority under the laws "
         "of your Member State."),
    _neg("pp_gdpr_eu_law", PP,
         "We process personal data under the laws of the European Union, in particular the General Data "
         "Protection Regulation."),
    # ================================================================ negatives: terms of service
    _neg("tos_jams_seat", TOS,
         "Any dispute will be resolved by final and binding arbitration before JAMS in San Francisco, "
         "California.",
         "Judgment on the award may be entered in any court of competent jurisdiction."),
    _neg("tos_termination_notice_ends_immediately", TOS,
         "We may terminate these Terms for convenience on thirty (30) days' written notice to you.",
         "Upon termination, your right to use the Service ends immediately."),
    _neg("tos_refund_14", TOS,
         "Annual subscriptions may be cancelled for a full refund within 14 days of purchase.",
         "Fees are payable in advance and are non-refundable after that period."),
    _neg("tos_consumer_mandatory_law", TOS,
         "If you are a consumer in the European Union, you benefit from any mandatory provisions of the law of "
         "the country in which you are resident.",
         "Nothing in these Terms affects those rights."),
    _neg("tos_export_sanctions", TOS,
         "You must comply with all export control and sanctions laws of the United States, including the Export "
         "Administration Regulations."),
    _neg("tos_arbitration_opt_out_30", TOS,
         "You may opt out of this agreement to arbitrate by sending us written notice within 30 days of first "
         "accepting these Terms."),
    _neg("tos_limitation_one_year", TOS,
         "Any claim arising out of these Terms must be brought within one (1) year after the cause of action "
         "accrues."),
    _neg("tos_small_claims_travis", TOS,
         "Either party may bring an individual action in small claims court in Travis County, Texas."),
    _neg("tos_warranty_90", TOS,
         "For ninety (90) days from delivery, we warrant that the Software will perform substantially in "
         "accordance with its documentation."),
    _neg("tos_takedown_24", TOS,
         "We will remove content that infringes a copyright within 24 hours of receiving a valid notice from "
         "the rights holder."),
    _neg("tos_suspend_breach_48", TOS,
         "If you breach these Terms, we may suspend your account immediately and will notify you within 48 "
         "hours of the suspension."),
    _neg("tos_minimum_age_law", TOS,
         "You must be at least 13 years old, or the minimum age required by the laws of your country, to use "
         "the Service."),
    # ================================================================ negatives: SaaS and AI-vendor DPAs
    _neg("dpa_undue_delay_authority_72", DPA,
         "Processor shall notify Customer without undue delay after becoming aware of a Personal Data Breach.",
         "Where Customer must notify a supervisory authority within 72 hours, Processor shall provide the "
         "information Customer reasonably requests.", bc="discovery"),
    _neg("dpa_follows_agreement_law", DPA,
         "This DPA is subject to the governing law and jurisdiction provisions of the Agreement."),
    _neg("dpa_sccs_prevail_agreement_governs", DPA,
         "In the event of a conflict, the Standard Contractual Clauses prevail over this DPA.",
         "Clause 7 (Docking clause) of the Standard Contractual Clauses shall not apply.",
         "The Agreement governs this DPA."),
    _neg("dpa_subprocessor_notice_objection", AIDPA,
         "Provider will give Customer at least fourteen (14) days' notice of a new Sub-processor, and Customer "
         "may object within ten (10) days of that notice."),
    _neg("dpa_forward_dsr_5bd", DPA,
         "Processor shall forward to Customer within five (5) business days any request it receives from a Data "
         "Subject to access or erase Personal Data."),
    _neg("dpa_ai_abuse_retention_30", AIDPA,
         "Inputs and Outputs are retained for up to 30 days to detect abuse and are then deleted, unless "
         "Customer has enabled zero data retention."),
    _neg("dpa_audit_notice_30", DPA,
         "Customer may audit Processor once per year on at least thirty (30) days' prior written notice."),
    _neg("dpa_export_on_request_15", DPA,
         "Upon Customer's request during the term, Processor shall provide an export of Customer Personal Data "
         "in a machine-readable format within fifteen (15) days."),
    _neg("dpa_delete_unless_union_law", DPA,
         "On termination of the Agreement, Processor shall delete Customer Personal Data unless Union or Member "
         "State law requires its storage."),
    _neg("dpa_undue_delay_report_30", DPA,
         "Processor shall notify Customer of a Personal Data Breach without undue delay.",
         "Processor shall provide a written incident report within thirty (30) days after the incident is "
         "contained."),
    _neg("dpa_transfers_eu_uk_law", DPA,
         "Processor shall not transfer Personal Data outside the European Economic Area except in compliance "
         "with the laws of the European Union and the United Kingdom."),
    _neg("dpa_customer_api_keys_24", AIDPA,
         "Customer shall notify Provider within 24 hours of becoming aware of any compromise of its API keys."),
    _neg("dpa_cure_30", DPA,
         "If either party materially breaches this DPA and fails to cure the breach within thirty (30) days of "
         "notice, the other party may terminate the Agreement."),
    _neg("dpa_data_subjects_support_72", DPA,
         "Where a Personal Data Breach is likely to result in a high risk to individuals, Customer shall "
         "communicate it to the Data Subjects, and Processor shall support Customer within 72 hours of "
         "Customer's request."),
    # ================================================================ negatives: lawyers' district DPA forms
    _neg("form_plan_review_expedient", FORM,
         "Provider shall maintain an incident response plan and shall review it at least every twelve (12) "
         "months.",
         "Provider shall notify the LEA of a Data Breach in the most expedient way possible and without "
         "unreasonable delay."),
    _neg("form_partial_disposal_acknowledge", FORM,
         "The LEA may request partial disposal of Student Data at any time by submitting the form in Exhibit D.",
         "Provider shall acknowledge the request within five (5) business days."),
    _neg("form_term_three_years", FORM,
         "This DPA shall remain in effect for three (3) years from the Effective Date or until the Service "
         "Agreement terminates, whichever is later."),
    _neg("form_same_law_as_service_agreement", FORM,
         "In the event of a conflict between this DPA and the Service Agreement, this DPA shall control.",
         "This DPA shall be governed by the same law that governs the Service Agreement."),
    _neg("form_parent_review_45", FORM,
         "Provider shall respond to a parent's request to review Student Data within forty-five (45) days, "
         "through the LEA."),
    _neg("form_connecticut_compliance", FORM,
         "Provider shall comply with the student privacy laws of the State of Connecticut and with any "
         "regulations adopted under those laws."),
    _neg("form_delaware_llc_recital", FORM,
         "This Student Data Privacy Agreement is entered into by the Board of Education of the City School "
         "District and EduCloud, LLC, a Delaware limited liability company."),
    _neg("form_list_within_10", FORM,
         "Upon the LEA's request, Provider shall give the LEA a list of the categories of Student Data it holds "
         "within ten (10) days."),
    _neg("form_notices_three_business_days", FORM,
         "All notices under this DPA shall be delivered to the addresses in Exhibit A and are effective three "
         "(3) business days after mailing."),
    _neg("form_breach_promptly_records_5y", FORM,
         "Provider shall notify the LEA of any Breach promptly.",
         "Provider shall keep its records of each Breach for five (5) years."),
    # ================================================================ negatives: old US hosting and service agreements
    _neg("host_recitals_delaware_california", HOST,
         "THIS HOSTING SERVICES AGREEMENT (the \"Agreement\") is made as of March 1, 2000, by and between NetCo "
         "Hosting, Inc., a Delaware corporation (\"NetCo\"), and Customer, Inc., a California corporation "
         "(\"Customer\")."),
    _neg("host_severity_response", HOST,
         "NetCo will respond to Severity 1 problems within two (2) hours and will use commercially reasonable "
         "efforts to resolve them within twenty-four (24) hours."),
    _neg("host_termination_amounts_due", HOST,
         "Either party may terminate this Agreement on ninety (90) days' prior written notice.",
         "All amounts owed shall become due and payable within thirty (30) days of termination."),
    _neg("host_retrieve_30_no_obligation", HOST,
         "For thirty (30) days after termination, NetCo will make Customer Content available for Customer to "
         "retrieve.",
         "Thereafter, NetCo shall have no obligation to maintain Customer Content."),
    _neg("host_backup_tapes_14", HOST,
         "NetCo shall back up Customer Content daily and shall retain backup tapes for fourteen (14) days."),
    _neg("host_security_practicable_logs_90", HOST,
         "NetCo shall notify Customer as soon as practicable of any breach of security of which it becomes aware "
         "that affects Customer Content.",
         "NetCo shall keep its security logs for ninety (90) days.", bc="discovery"),
    _neg("host_aaa_santa_clara", SVC,
         "Any controversy arising out of this Agreement shall be settled by arbitration in Santa Clara County, "
         "California, in accordance with the rules of the American Arbitration Association."),
    _neg("host_use_in_violation_of_laws", SVC,
         "Customer shall not use the Services in violation of the laws of the United States or of any state, "
         "including laws relating to obscenity and export."),
    _neg("host_other_agreement_massachusetts", SVC,
         "The Software License Agreement between the parties dated June 1, 1999, which is governed by the laws "
         "of the Commonwealth of Massachusetts, is not affected by this Agreement."),
    _neg("host_force_majeure_30", SVC,
         "Neither party is liable for delays caused by events beyond its reasonable control, provided that if "
         "such an event continues for more than thirty (30) days, either party may terminate this Agreement."),
    _neg("host_transition_60", HOST,
         "Upon expiration, NetCo shall provide transition assistance for up to sixty (60) days at its "
         "then-current rates."),
    _neg("host_survival_three_years", SVC,
         "The obligations of this Section shall survive for three (3) years after termination of this "
         "Agreement."),
    _neg("host_notice_deemed_received", SVC,
         "Notices sent by certified mail are deemed received five (5) days after mailing; notices sent by "
         "facsimile are deemed received twenty-four (24) hours after transmission."),
    _neg("host_manhattan_courts", SVC,
         "Each party irrevocably submits to the jurisdiction of the state and federal courts sitting in the "
         "Borough of Manhattan, New York City."),
    _neg("host_sla_termination_10", HOST,
         "If NetCo fails to meet the Availability commitment for three (3) consecutive months, Customer may "
         "terminate this Agreement upon ten (10) days' written notice."),
    _neg("host_indemnity_claim_15", SVC,
         "The indemnified party shall give the indemnifying party prompt written notice of any claim, and in any "
         "case within fifteen (15) days after receipt of the claim."),
    # ================================================================ positives: stated, in these documents' wording
    _pos("aidpa_termination_30_inputs", AIDPA,
         "Upon termination or expiry of the Agreement, Provider will delete all Customer Personal Data, including "
         "Inputs and Outputs, within thirty (30) days, unless retention is required by law.", dt=30),
    _pos("aidpa_undue_delay_72", AIDPA,
         "Provider will notify Customer of a Personal Data Breach without undue delay and in any event within "
         "seventy-two (72) hours after becoming aware of it.", b=72, bc="discovery"),
    _pos("form_a_breach_48", FORM,
         "In the event of a Breach, Provider shall notify the LEA within forty-eight (48) hours of discovering "
         "the Breach.", b=48, bc="discovery"),
    _pos("form_district_notified_by_contractor", FORM,
         "The District shall be notified by the Contractor no later than twenty-four (24) hours after the "
         "Contractor becomes aware of a Security Incident.", b=24, bc="discovery"),
    _pos("form_purge_on_request_20", FORM,
         "Upon written request from the School, the Vendor shall purge the specified Student Records from its "
         "systems within twenty (20) days.", dr=20),
    _pos("dpa_erase_on_expiry_45", DPA,
         "Upon expiry of the Subscription Term, Supplier shall erase all Customer Data within 45 days.", dt=45),
    _pos("host_new_york_after_recital", HOST,
         "This Agreement is made between NetCo Hosting, Inc., a Delaware corporation, and Customer, Inc.",
         "This Agreement shall be governed by and construed in accordance with the laws of the State of New York "
         "applicable to agreements made and to be performed entirely within such State.", gl="New York"),
    _pos("host_virginia_arbitration_dc", SVC,
         "This Agreement shall be governed by the laws of the Commonwealth of Virginia.",
         "Any arbitration shall take place in Washington, D.C.", gl="Virginia"),
    _pos("tos_california_law_sf_arbitration", TOS,
         "These Terms and any dispute between you and us are governed by California law, without regard to "
         "conflict of laws principles.",
         "Arbitration will take place in San Francisco County.", gl="California"),
    _pos("tos_england_wales_courts", TOS,
         "These terms are governed by the laws of England and Wales, and the courts of England and Wales have "
         "non-exclusive jurisdiction.", gl="England and Wales"),
    _pos("dpa_luxembourg_grand_duchy", DPA,
         "The governing law of this DPA is the law of the Grand Duchy of Luxembourg.", gl="Luxembourg"),
    _pos("dpa_california_sccs_ireland", DPA,
         "This DPA is governed by the laws of the State of California, except that the Standard Contractual "
         "Clauses are governed by the law of Ireland.", gl="California"),
    _pos("edpp_school_asks_30_backups_90", EDPP,
         "When a school or district asks us to delete student data, we will delete it within 30 days of receiving "
         "the request, except for backups, which are overwritten within 90 days.", dr=30),
    _pos("edpp_contract_ends_60", EDPP,
         "If a school stops using our service, we delete all student data within 60 days after its contract "
         "ends.", dt=60),
    _pos("edpp_notify_schools_72", EDPP,
         "If we discover a data breach involving student data, we will notify the affected schools within 72 "
         "hours of discovery, and they will decide how to inform parents.", b=72, bc="discovery"),
    _pos("form_both_clocks_business_days", FORM,
         "Provider shall dispose of all Student Data within sixty (60) days of the termination of the Service "
         "Agreement.",
         "Upon a written request from the LEA during the term, Provider shall dispose of the Student Data "
         "identified in the request within ten (10) business days.", dt=60, dr=14),
    _pos("form_rhode_island_venue", FORM,
         "This DPA will be governed by and construed in accordance with the laws of the State of Rhode Island, "
         "and venue for any action shall be in Providence County.", gl="Rhode Island"),
    _pos("dpa_confirming_24", DPA,
         "Provider shall notify Customer within 24 hours after confirming a Security Incident affecting Customer "
         "Data.", b=24, bc="confirmation"),
    _pos("form_determines_five_days", FORM,
         "Vendor shall provide notice to the District no later than five (5) calendar days after Vendor "
         "determines that Student Data was accessed without authorization.", b=120, bc="determination"),
    _pos("host_delete_15_certify", HOST,
         "Within fifteen (15) days after the termination of this Agreement, NetCo shall delete all Customer "
         "Content from its servers and certify the deletion in writing.", dt=15),
    _pos("tos_grace_week_then_delete", TOS,
         "When your school's subscription ends, we permanently delete your school's content within one week.",
         dt=7),
    _pos("dpa_immediately_erase_request", DPA,
         "At the Controller's request, the Processor shall immediately erase the Personal Data concerned.", dr=0),
    _pos("dpa_72_hours_after_expiry", DPA,
         "Processor shall delete Customer Personal Data within 72 hours after the expiry of the Agreement.", dt=3),
    _pos("dpa_instruction_five_working_days", DPA,
         "The Processor shall comply with an instruction of the Customer to erase Personal Data within five "
         "working days of receiving it.", dr=7),
    _pos("edpp_arizona_policy_law", EDPP,
         "This Privacy Notice and any dispute about it are governed by the laws of the State of Arizona.",
         gl="Arizona"),
    _pos("tos_export_then_texas", TOS,
         "You agree to comply with United States export laws.",
         "These Terms are governed by the laws of the State of Texas.", gl="Texas"),
    _pos("svc_british_columbia", SVC,
         "This Agreement shall be governed by the laws of the Province of British Columbia and the federal laws "
         "of Canada applicable therein.", gl="British Columbia"),
    _pos("form_one_week_discovery", FORM,
         "Provider shall notify the District of any Breach within one (1) week of discovery.", b=168,
         bc="discovery"),
    _pos("host_learns_unauthorized_48", HOST,
         "NetCo shall notify Customer in writing within forty-eight (48) hours after NetCo learns of any "
         "unauthorized access to Customer Content.", b=48, bc="discovery"),
    _pos("aidpa_end_90", AIDPA,
         "Within 90 days of the end of the Agreement, Vendor will delete Customer Data from its systems.", dt=90),
    _pos("edpp_school_instructs_45", EDPP,
         "We delete student information within 45 days when the school instructs us to do so.", dr=45),
    _pos("dpa_heading_swiss_law", DPA,
         "Governing Law: This DPA is governed by Swiss law.", gl="Switzerland"),
    _pos("dpa_undue_delay_no_later_36", DPA,
         "Processor shall inform the Customer without undue delay, and no later than 36 hours, after becoming "
         "aware of a Personal Data Breach.", b=36, bc="discovery"),
    _pos("form_lea_request_30_parents_referred", FORM,
         "Provider shall delete Student Data within 30 days of the LEA's written request; requests from parents "
         "shall be referred to the LEA.", dr=30),
    _pos("dpa_erased_passive_expiry_30", DPA,
         "All Customer Data will be erased from Vendor's systems no later than thirty (30) days after the expiry "
         "or termination of this Agreement.", dt=30),
    _pos("contract_data_loss_event_12", "CALL-OFF CONTRACT SCHEDULE",
         "The Supplier shall notify the Authority within twelve (12) hours of becoming aware of any actual or "
         "suspected Data Loss Event.", b=12, bc="discovery"),
    _pos("host_illinois_capitals", HOST,
         "THIS AGREEMENT SHALL BE GOVERNED BY AND CONSTRUED UNDER THE LAWS OF THE STATE OF ILLINOIS.",
         gl="Illinois"),
    _pos("aidpa_full_mixed", AIDPA,
         "Provider will notify Customer of a Personal Data Breach within 48 hours of becoming aware of it.",
         "Provider will help Customer notify the supervisory authority within 72 hours.",
         "Prompts are retained for 14 days for abuse monitoring.",
         "Upon termination of the Agreement, Provider deletes Customer Data within 30 days.",
         "This DPA is governed by the governing law of the Agreement.", b=48, bc="discovery", dt=30),
    _pos("edpp_full_mixed", EDPP,
         "We keep student records for as long as the school's account is active.",
         "When the school's contract ends, we delete student records within 90 days, and if a school asks, we "
         "delete specific student records within 10 days.",
         "We will notify the school within 72 hours after we discover a breach, and the school will notify "
         "parents.",
         "This notice is governed by the laws of the State of Colorado.",
         b=72, bc="discovery", dr=10, dt=90, gl="Colorado"),
)
