"""A status challenge set for issue #14, written by the project before any code changed for it.

The engine's satisfied recall on the frozen held-out split is 0.48: half of the protections a contract does
satisfy are reported weak or missing, because the clause library learned the development documents' wording.
These excerpts are written in the voices of paper the engine has not been tuned on: consumer and ed-tech
privacy policies ("we"), terms of service ("Company will"), SaaS and AI-vendor data processing addenda
("Processor shall", "Supplier", "Customer Personal Data"), lawyers' district DPA forms ("Provider shall"),
US district addenda ("Contractor agrees") and old hosting agreements ("Host"). Each excerpt is a whole short
document (its title and 1-4 sentences) labelled with the expected status of ONE core requirement, following
the labelling instructions of the shared requirements (satisfied: a clear commitment without a material
hedge; weak: hedged, partial, refused or a threshold worse than the default profile; missing: nothing
addresses it, although the excerpt names the topic: a distractor). The other requirements are not scored.

Its score before any code changed is the independent figure (docs/evaluation.md, "Status challenge set").
"""

from __future__ import annotations

from dataclasses import dataclass

S, W, M = "satisfied", "weak", "missing"

TITLES = {
    "pp": "PRIVACY POLICY",
    "tos": "TERMS OF SERVICE",
    "dpa": "DATA PROCESSING ADDENDUM",
    "form": "STUDENT DATA PRIVACY AGREEMENT",
    "add": "DISTRICT ADDENDUM TO VENDOR AGREEMENT",
    "host": "WEB HOSTING SERVICES AGREEMENT",
}


@dataclass(frozen=True, slots=True)
class Excerpt:
    id: str
    requirement: str
    status: str
    voice: str
    body: str

    def text(self) -> str:
        return f"{TITLES[self.voice]}\n\n{self.body}\n"


def _x(requirement: str, rows: tuple[tuple[str, str, str], ...]) -> tuple[Excerpt, ...]:
    counts: dict[str, int] = {}
    out = []
    for status, voice, body in rows:
        key = f"{status[0]}_{voice}"
        counts[key] = counts.get(key, 0) + 1
        out.append(Excerpt(f"{requirement}.{key}{counts[key]}", requirement, status, voice, body))
    return tuple(out)


EXCERPTS: tuple[Excerpt, ...] = (
    *_x("school_official_designation", (
        (S, "form", "Provider is a school official with a legitimate educational interest and performs an "
                    "institutional service for which the LEA would otherwise use its own employees."),
        (S, "add", "For purposes of FERPA, Contractor shall be considered a school official under the direct "
                   "control of the District with respect to the use and maintenance of education records."),
        (W, "dpa", "The parties agree that Customer is the controller and Supplier is the processor of "
                   "Customer Personal Data."),
        (W, "tos", "The school is solely responsible for its compliance with FERPA, and Company makes no "
                   "representation regarding FERPA."),
        (M, "tos", "Schools can order classroom sets through their district's purchasing office."),
    )),
    *_x("purpose_limitation", (
        (S, "pp", "We use student information only to provide the Services to your school, and for no other "
                  "purpose."),
        (S, "dpa", "Customer Personal Data is processed by Processor solely for the purpose of performing the "
                   "Services described in the Agreement."),
        (S, "add", "Contractor agrees that student records will be used exclusively to carry out the duties "
                   "described in the Master Agreement."),
        (W, "pp", "We use the information we collect to operate and improve our services and for other "
                  "business purposes described in this policy."),
        (W, "tos", "Company may use Customer Data to provide the Service and for any other lawful purpose."),
        (M, "tos", "The purpose of these Terms is to set out the rules for using the website."),
        (M, "host", "Customer shall use the Services only for lawful purposes and in accordance with the "
                    "Acceptable Use Policy."),
    )),
    *_x("no_redisclosure_without_authorization", (
        (S, "pp", "We never share your child's personal information with third parties, except with service "
                  "providers who help us run the Services or when a parent has given consent."),
        (S, "dpa", "Supplier shall not disclose Customer Personal Data to any third party without the prior "
                   "written consent of the Customer, save where required by law."),
        (S, "add", "Under no circumstances will student data be disclosed by Contractor to any person or "
                   "entity other than the District, except as required by law."),
        (W, "pp", "We may share information with our affiliates and trusted partners who help us market our "
                  "products."),
        (W, "tos", "Company may disclose aggregated or other information to third parties for their own "
                   "purposes."),
        (M, "host", "Either party may disclose the existence of this Agreement in its marketing materials."),
        (M, "pp", "Websites linked from our Services have their own privacy practices, and we are not "
                  "responsible for them."),
    )),
    *_x("compelled_disclosure_notice", (
        (S, "dpa", "If Processor is compelled by law to disclose Customer Personal Data, it shall, unless "
                   "legally prohibited, notify Customer before the disclosure and disclose only the data "
                   "strictly required."),
        (S, "pp", "When we receive a subpoena or court order for a student's information, we notify the school "
                  "before we respond, unless the order forbids it."),
        (S, "add", "Contractor agrees to notify the District in writing of any subpoena or other legal demand "
                   "for student records before complying with it."),
        (W, "pp", "We may disclose information to law enforcement or government authorities when we believe in "
                  "good faith that it is appropriate."),
        (W, "tos", "Company may release account information in response to lawful requests from public "
                   "authorities."),
        (M, "tos", "Legal notices to Company must be sent in writing to the address in the Order Form."),
        (M, "host", "Customer shall comply with all applicable laws, including any court order relating to its "
                    "use of the Services."),
    )),
    *_x("no_secondary_commercial_use", (
        (S, "dpa", "Customer Data is never used to train, retrain or improve Supplier's models or any other "
                   "product or service."),
        (S, "pp", "We do not use students' personal information to develop or improve products other than the "
                  "service your school has asked for."),
        (S, "form", "Provider shall not use Student Data to develop, improve or market any product or service "
                    "beyond the Services provided under this Agreement."),
        (W, "dpa", "Supplier may use Customer Data to train and improve our models and services."),
        (W, "pp", "We use information to develop new products and services and for research and development."),
        (M, "tos", "Company continually develops new courses and features for its learners."),
        (M, "host", "Host may list Customer's name and logo among its customers."),
    )),
    *_x("deidentified_data_safeguards", (
        (S, "pp", "De-identified information is information from which all direct and indirect identifiers "
                  "have been removed so that no student can reasonably be identified. We never attempt to "
                  "re-identify it, and we share it only with partners who agree in writing not to re-identify "
                  "it."),
        (S, "add", "Contractor agrees not to re-identify or attempt to re-identify any student from "
                   "de-identified data, and not to transfer de-identified data to any party that has not agreed "
                   "to the same restriction."),
        (S, "dpa", "Anonymised Data means data from which all direct and indirect identifiers have been removed. "
                   "Processor shall not attempt to re-identify Anonymised Data and shall not disclose it to a "
                   "third party unless that party is contractually prohibited from re-identifying it."),
        (W, "pp", "We may use de-identified or aggregated data for any purpose."),
        (W, "tos", "Anonymized information is not subject to these Terms and may be shared with third "
                   "parties."),
        (M, "pp", "We collect your device identifier and IP address when you visit our website."),
        (M, "tos", "You must identify yourself accurately when you create an account."),
    )),
    *_x("no_sale_of_student_data", (
        (S, "pp", "We never sell, rent or trade student information."),
        (S, "tos", "Under no circumstances will Company sell or lease Student Data to anyone."),
        (S, "dpa", "Customer Personal Data shall not be sold, rented, leased or otherwise exchanged for value "
                   "by the Processor."),
        (W, "pp", "We do not sell personal information for advertising or marketing purposes."),
        (W, "pp", "We do not \"sell\" personal information as that term is defined by the CCPA, but we may "
                  "share it with our partners."),
        (M, "tos", "Prices for the Services are set out on our sales page and may change."),
        (M, "host", "Customer may not resell, sublicense or lease the Services to any third party."),
    )),
    *_x("no_targeted_advertising", (
        (S, "pp", "We do not show targeted or behavioral advertising to students, and we never use information "
                  "collected through the service to target ads elsewhere."),
        (S, "tos", "Company will not use Student Data or persistent identifiers to serve targeted "
                   "advertisements."),
        (S, "add", "Contractor agrees that no student information will be used for targeted advertising of any "
                   "kind."),
        (W, "pp", "We work with advertising partners who may show you interest-based ads."),
        (W, "pp", "Our site uses cookies and pixels from advertising networks."),
        (M, "host", "Customer is solely responsible for the content of any advertisements on its hosted "
                    "website."),
        (M, "tos", "Company advertises its plans on its website; published prices exclude tax."),
    )),
    *_x("no_student_profiling", (
        (S, "pp", "We do not build profiles of students except to support the learning activities the school "
                  "has requested."),
        (S, "dpa", "Processor shall not use Customer Personal Data to create a profile of any student other than "
                   "for the school purposes authorised by the Customer."),
        (S, "add", "Contractor agrees not to amass a profile about any student except in furtherance of K-12 "
                   "school purposes."),
        (W, "pp", "We build user profiles to personalize your experience across our services."),
        (W, "pp", "We combine the information we collect with information from other sources to understand our "
                  "users better."),
        (M, "tos", "Each user can edit their profile picture and display name in Settings."),
        (M, "pp", "Teachers create a profile for their class when they sign up."),
    )),
    *_x("no_marketing_to_students_or_parents", (
        (S, "pp", "We never use student data to market products to students or their families."),
        (S, "form", "Provider shall not use Student Data for any marketing or other commercial purpose."),
        (S, "tos", "Company will not send advertising or promotional messages to students."),
        (W, "pp", "We may send you promotional communications about our products and offers from our "
                  "partners."),
        (W, "pp", "Parents may receive marketing emails from us, and can unsubscribe at any time."),
        (M, "host", "Neither party shall use the other party's trademarks in its marketing without consent."),
        (M, "tos", "Company's marketing department can be reached at the address below."),
    )),
    *_x("successor_entity_bound", (
        (S, "pp", "If we are acquired by or merge with another company, student data will be transferred to the "
                  "successor only if it agrees to be bound by this policy, and we will tell schools "
                  "beforehand."),
        (S, "dpa", "In the event of a merger, acquisition or sale of assets, Supplier shall ensure that any "
                   "successor entity is bound by the obligations of this DPA."),
        (S, "add", "Contractor agrees that any successor or assignee shall be bound by the terms of this "
                   "Addendum with respect to student data."),
        (W, "pp", "In the event of a merger or sale, data may be transferred as a business asset."),
        (W, "tos", "If Company is acquired, your information may be used by the acquirer under its own privacy "
                   "policy."),
        (M, "host", "Customer may not assign this Agreement without Host's prior written consent."),
        (M, "tos", "Company was founded in 2012 following the merger of two tutoring businesses."),
    )),
    *_x("lea_ownership_and_control", (
        (S, "form", "All Student Data remains the property of and under the control of the LEA."),
        (S, "dpa", "As between the parties, Customer owns all Customer Personal Data, and Processor acquires no "
                   "rights in it."),
        (S, "pp", "Student records belong to the school; we hold them on the school's behalf and under its "
                  "direction."),
        (W, "tos", "By uploading content, you grant Company a perpetual, irrevocable, worldwide license to use "
                   "it."),
        (W, "tos", "Company owns all usage data and derived data generated through the Service."),
        (M, "host", "Host owns the servers, routers and other equipment used to provide the Services."),
        (M, "tos", "All trademarks and logos on the site are the property of Company."),
    )),
    *_x("student_generated_content_control", (
        (S, "pp", "Students keep ownership of the work they create and can download it or transfer it to a "
                  "personal account at any time."),
        (S, "form", "Provider shall provide a mechanism for students to transfer student-generated content to a "
                    "separate personal account."),
        (W, "pp", "Students can edit or delete their posts, but content cannot be exported."),
        (M, "tos", "Content created by Company's editorial team is protected by copyright."),
    )),
    *_x("parent_review_access", (
        (S, "pp", "Parents can review their child's personal information at any time by contacting us or their "
                  "child's school."),
        (S, "form", "Provider shall establish procedures by which a parent, legal guardian or eligible student "
                    "may review the student's personally identifiable information."),
        (S, "add", "Contractor agrees to assist the District in responding to any parent's request to inspect "
                   "the student's records."),
        (W, "tos", "Parents should contact the school with any questions about student information."),
        (W, "pp", "We will respond to access requests when practicable and may charge a reasonable fee."),
        (M, "pp", "A parent must approve the child's account before the child can use the app."),
        (M, "host", "Customer may use the control panel to review its server usage statistics."),
    )),
    *_x("record_correction", (
        (S, "pp", "If any information we hold about your child is inaccurate, you may ask us to correct it and "
                  "we will do so."),
        (S, "form", "Provider shall correct erroneous Student Data when the LEA directs it to."),
        (S, "dpa", "Processor shall rectify inaccurate Customer Personal Data upon Customer's instruction."),
        (W, "tos", "Company is not responsible for the accuracy of data submitted by users."),
        (W, "pp", "We may correct information at our discretion."),
        (M, "tos", "Company may correct any errors in pricing on the website."),
        (M, "host", "Host will correct service interruptions within four hours."),
    )),
    *_x("deletion_or_return_at_contract_end", (
        (S, "dpa", "Upon termination of the Agreement, Processor shall return or delete all Customer Personal "
                   "Data within thirty (30) days, as Customer directs."),
        (S, "pp", "When a school's subscription ends, we delete all of its student data within 30 days."),
        (S, "add", "Within sixty (60) days after this Addendum expires, Contractor agrees to destroy all student "
                   "records in its possession."),
        (W, "tos", "Upon termination, your account may be deactivated, and data will be deleted in accordance "
                   "with our retention policy."),
        (W, "dpa", "Upon termination, Supplier may retain Customer Data for its legitimate business purposes."),
        (M, "host", "Upon termination, Customer shall pay all fees accrued through the termination date."),
        (M, "tos", "Either party may terminate these Terms with 30 days' written notice."),
    )),
    *_x("deletion_on_lea_request", (
        (S, "form", "Provider shall delete Student Data within ten (10) days of receiving a written request from "
                    "the LEA."),
        (S, "dpa", "Upon Customer's written request, Customer Personal Data is erased by the Processor within 14 "
                   "days."),
        (S, "pp", "If a school asks us to delete its student data, we will delete it within 30 days."),
        (W, "pp", "We will use commercially reasonable efforts to delete data upon request within a reasonable "
                  "time."),
        (W, "dpa", "Supplier will delete Customer Data upon Customer's request within one hundred twenty (120) "
                   "days."),
        (M, "tos", "You may request a refund within 14 days of purchase."),
        (M, "pp", "You may request a copy of this policy in large print."),
    )),
    *_x("deletion_certification", (
        (S, "dpa", "Upon request, Processor shall certify in writing that all Customer Personal Data has been "
                   "deleted."),
        (S, "add", "Contractor agrees to give the District a written certificate of destruction once the records "
                   "have been destroyed."),
        (W, "dpa", "Confirmation of deletion may be provided upon request at Supplier's discretion."),
        (M, "host", "Host is certified under ISO 9001 for quality management."),
        (M, "tos", "All of Company's tutors are certified teachers."),
    )),
    *_x("deletion_covers_subprocessors_and_copies", (
        (S, "dpa", "Deletion under this clause extends to all copies of Customer Personal Data held by Processor "
                   "and by its Sub-processors."),
        (S, "add", "Contractor agrees that the destruction of student records includes all copies held by its "
                   "subcontractors and agents."),
        (W, "pp", "Data held by our third-party service providers is subject to their own retention policies."),
        (M, "host", "Customer is responsible for keeping its own copies of its website files."),
    )),
    *_x("backup_copy_limits", (
        (S, "dpa", "Backup copies are kept solely for disaster recovery, are inaccessible to the public and "
                   "unusable in normal operations, and any data restored from a backup is deleted again."),
        (W, "pp", "Residual copies may remain in our backup systems indefinitely."),
        (W, "dpa", "Backups and audit logs are not immediately destroyed upon request or termination."),
        (M, "host", "Customer should back up its own website files regularly."),
    )),
    *_x("no_indefinite_retention", (
        (S, "pp", "We keep student information only as long as it is needed to provide the service to the "
                  "school, and never indefinitely."),
        (S, "dpa", "Customer Personal Data shall be retained no longer than necessary for the purposes of the "
                   "Services."),
        (S, "add", "Contractor agrees not to retain student records beyond the period needed to fulfil the "
                   "educational purpose for which they were provided."),
        (W, "pp", "We may keep information as long as necessary for our business purposes, including legal and "
                  "accounting purposes."),
        (W, "tos", "Company may keep information indefinitely."),
        (M, "host", "The initial term of this Agreement is one year and renews automatically."),
        (M, "pp", "You can keep using the free version for as long as you like."),
    )),
    *_x("breach_notice_deadline_to_lea", (
        (S, "dpa", "Processor shall notify Customer of any Personal Data Breach within 48 hours after becoming "
                   "aware of it."),
        (S, "pp", "If student data in our care is accessed without authorization, we will notify the affected "
                  "school within 72 hours of discovering it."),
        (S, "add", "Contractor agrees to notify the District of any security breach involving student data no "
                   "later than twenty-four (24) hours after discovery."),
        (W, "dpa", "Supplier will notify Customer of a Security Incident without undue delay."),
        (W, "pp", "We will notify schools of a confirmed data breach after completing our investigation."),
        (M, "pp", "If a data breach affects you, we will notify you by email within 72 hours."),
        (M, "tos", "Company may terminate these Terms upon any material breach by Customer."),
    )),
    *_x("breach_definition_and_trigger", (
        (S, "dpa", "\"Security Incident\" means any unauthorized access to, or acquisition, use or disclosure of, "
                   "Customer Personal Data, including by a Sub-processor, and Processor's notice obligation "
                   "begins when it discovers the incident."),
        (S, "add", "A breach includes any unauthorized release of, access to or acquisition of student records, "
                   "whether by Contractor or its subcontractors, and the notice period begins when Contractor "
                   "discovers or reasonably believes that a breach has occurred."),
        (W, "pp", "A breach means a confirmed security incident that we determine poses a significant risk of "
                  "harm to you."),
        (W, "dpa", "Notice under this section applies only to the unauthorized acquisition of unencrypted "
                   "personal information on Supplier's own systems."),
        (M, "tos", "A breach of these Terms by you may result in suspension of your account."),
    )),
    *_x("breach_notice_content", (
        (S, "dpa", "The notice shall describe the nature of the breach, the categories and approximate number of "
                   "students affected, the measures taken, and a contact point."),
        (S, "pp", "Our notice to the school will explain what happened, when it happened, what information was "
                  "involved, what we are doing about it and whom to contact."),
        (W, "dpa", "Supplier will provide such information about the incident as it deems appropriate."),
        (M, "tos", "Notices to you may be sent to the email address associated with your account."),
    )),
    *_x("breach_cooperation", (
        (S, "dpa", "Processor shall cooperate with Customer and with law enforcement in investigating any "
                   "Personal Data Breach and shall preserve relevant evidence."),
        (S, "add", "Contractor agrees to cooperate fully with the District and with law enforcement in any "
                   "investigation of a breach of student data."),
        (W, "dpa", "Supplier will provide reasonable assistance with an incident investigation at Customer's "
                   "cost."),
        (M, "host", "The parties will cooperate in good faith to migrate Customer's website at the start of the "
                    "Term."),
    )),
    *_x("breach_cost_reimbursement", (
        (S, "form", "Provider shall reimburse the LEA for the costs of notifying affected individuals, credit "
                    "monitoring and legal fees arising from a breach caused by Provider."),
        (S, "add", "Contractor agrees to bear all costs of breach notification and remediation when a breach is "
                   "attributable to Contractor."),
        (W, "tos", "In no event shall Company be liable for the costs of notification of a data breach."),
        (M, "host", "Host's total liability under this Agreement shall not exceed the fees paid in the prior "
                    "twelve months."),
    )),
    *_x("incident_response_plan", (
        (S, "dpa", "Processor maintains a written incident response plan that sets out how security incidents "
                   "are detected, contained and reported to Customer."),
        (S, "add", "Contractor agrees to keep a documented incident response plan for student data and to "
                   "provide it to the District on request."),
        (W, "pp", "We have procedures to respond to security incidents."),
        (M, "tos", "Our customer support team responds to tickets within one business day."),
    )),
    *_x("written_security_program", (
        (S, "dpa", "Processor shall implement and maintain a written information security program that includes "
                   "administrative, technical and physical safeguards appropriate to the sensitivity of the "
                   "data."),
        (S, "add", "Contractor agrees to maintain a comprehensive written data security plan with "
                   "administrative, technical and physical safeguards, and to designate a security "
                   "coordinator."),
        (W, "pp", "We take security seriously and use commercially reasonable measures to protect your "
                  "information."),
        (W, "tos", "Company uses industry-standard security to protect the Service."),
        (M, "tos", "You are responsible for keeping your password secure."),
    )),
    *_x("recognized_security_framework", (
        (S, "dpa", "Processor's security controls are aligned with ISO/IEC 27001 and are audited annually by an "
                   "accredited body."),
        (S, "add", "Contractor agrees that its safeguards will meet the NIST Cybersecurity Framework."),
        (S, "pp", "Our security program is built on the CIS Controls and the NIST SP 800-53 control families."),
        (W, "pp", "We use security measures we consider appropriate and aligned with best practices."),
        (W, "tos", "Company protects Student Data with reasonable safeguards."),
        (M, "host", "Customer must comply with the PCI DSS when it accepts card payments on its website."),
    )),
    *_x("encryption_transit_and_rest", (
        (S, "pp", "Student data is encrypted in transit using TLS 1.2 or higher and at rest using AES-256."),
        (S, "dpa", "All Customer Personal Data is encrypted both while it is transmitted over public networks "
                   "and while it is stored."),
        (S, "add", "Contractor agrees to encrypt student data at rest and in transit using FIPS 140-2 validated "
                   "cryptography."),
        (W, "pp", "We use SSL to protect information sent to our website."),
        (W, "dpa", "Supplier encrypts Customer Data where feasible."),
        (M, "tos", "You may not decrypt, reverse engineer or disassemble the Software."),
        (M, "host", "Customer may transmit files to the server using FTP."),
    )),
    *_x("access_control_least_privilege", (
        (S, "dpa", "Access to Customer Personal Data is restricted to Processor personnel who need it to perform "
                   "the Services, through role-based access controls, and every access is logged."),
        (S, "pp", "Only employees who need student information to support your school can access it, and every "
                  "access is logged."),
        (S, "add", "Contractor agrees to limit access to student records to those employees with a legitimate "
                   "need to know."),
        (W, "pp", "Our employees and affiliates worldwide may access data as needed."),
        (M, "tos", "Users are responsible for controlling access to their own accounts."),
        (M, "host", "Customer will have root access to its dedicated server."),
    )),
    *_x("personnel_training_confidentiality", (
        (S, "dpa", "Processor shall ensure that all persons authorised to process Customer Personal Data have "
                   "received privacy training and are bound by written confidentiality obligations."),
        (S, "add", "Contractor agrees that every employee with access to student data is trained on FERPA before "
                   "access is granted and signs a confidentiality agreement."),
        (W, "pp", "Our employees are informed of our privacy policy."),
        (M, "tos", "Company offers training webinars for teachers on how to use the platform."),
    )),
    *_x("audit_and_assessment_rights", (
        (S, "dpa", "Customer or its appointed auditor may audit Processor's compliance with this DPA, and "
                   "Processor shall make available all information necessary to demonstrate compliance."),
        (S, "add", "Contractor agrees to allow the District or its designee to audit Contractor's data security "
                   "practices upon reasonable notice."),
        (S, "tos", "Company will provide its most recent SOC 2 Type II report to the school on request."),
        (W, "dpa", "Audits are available only through Supplier's published SOC report, at Customer's expense and "
                   "no more than once every three years."),
        (M, "host", "Host may audit Customer's use of bandwidth to confirm compliance with usage limits."),
        (M, "tos", "Company's financial statements are audited annually by an independent accounting firm."),
    )),
    *_x("subprocessor_flowdown", (
        (S, "dpa", "Processor shall impose on each Sub-processor, by written contract, data protection "
                   "obligations no less protective than those in this DPA."),
        (S, "pp", "Every service provider that handles student data signs a written agreement requiring "
                  "protections at least as strict as ours."),
        (S, "add", "Contractor agrees that any subcontractor with access to student data will be bound in "
                   "writing by the same obligations as Contractor under this Addendum."),
        (W, "pp", "Our service providers are subject to their own privacy policies."),
        (W, "tos", "We require our vendors to use reasonable safeguards."),
        (M, "host", "Host may use subcontractors to install equipment at Customer's premises."),
    )),
    *_x("subprocessor_list_disclosure", (
        (S, "dpa", "The current list of Sub-processors is published on Processor's website and is kept up to "
                   "date."),
        (S, "pp", "We list every company that receives student data from us, and why, on our Subprocessors "
                  "page."),
        (W, "pp", "We use third-party service providers, such as hosting providers and analytics companies."),
        (W, "dpa", "A list of subprocessors is available upon request."),
        (M, "tos", "A list of supported browsers is available in our Help Center."),
    )),
    *_x("subprocessor_change_authorization", (
        (S, "dpa", "Processor shall give Customer at least thirty (30) days' prior written notice of any new "
                   "Sub-processor, during which Customer may object."),
        (S, "add", "Contractor agrees not to engage any new subcontractor with access to student data without "
                   "the District's prior written authorization."),
        (W, "dpa", "Supplier may engage new subprocessors at any time; check our website for updates."),
        (M, "tos", "Customer must notify Company of any change in its billing contact."),
    )),
    *_x("vendor_liable_for_subprocessors", (
        (S, "dpa", "Processor remains fully liable to Customer for the performance of each Sub-processor's "
                   "obligations."),
        (S, "add", "Contractor agrees that it is responsible for any failure of its subcontractors to protect "
                   "student data."),
        (W, "tos", "Company is not responsible for the acts or omissions of third-party service providers."),
        (M, "host", "Customer is liable for all activity that occurs under its account."),
    )),
    *_x("no_unilateral_terms_changes", (
        (S, "dpa", "This DPA may be amended only by a written instrument signed by both parties."),
        (S, "pp", "We will not make material changes to how we use student data without giving schools notice "
                  "at least 30 days in advance and obtaining their consent."),
        (S, "tos", "Changes to these Terms that affect Student Data take effect only after the school agrees to "
                   "them in writing, and continued use is not acceptance."),
        (W, "pp", "We may change this policy at any time, and changes are effective upon posting."),
        (W, "tos", "Your continued use of the Service constitutes acceptance of any revised Terms."),
        (M, "host", "Host may change the IP addresses assigned to Customer for maintenance reasons."),
    )),
    *_x("data_location_and_international_transfer", (
        (S, "dpa", "Customer Personal Data is stored only in data centres located in the European Union and is "
                   "not transferred outside it without Customer's written instruction."),
        (S, "add", "Contractor agrees that all student data will be stored within the continental United "
                   "States."),
        (S, "pp", "We store student data on servers in Canada and never move it to another country."),
        (W, "pp", "Your information may be stored and processed in any country where we or our providers "
                  "operate."),
        (W, "tos", "By using the Service you consent to the transfer of your data outside your country."),
        (M, "tos", "Company ships physical products only within the United States."),
    )),
    *_x("dpa_precedence_over_clickwrap", (
        (S, "form", "In the event of a conflict between this DPA and any terms of service or privacy policy of "
                    "Provider, this DPA shall control."),
        (S, "add", "Contractor agrees that no click-through terms accepted by a teacher or student shall "
                   "override this Addendum."),
        (W, "tos", "In case of conflict, these online Terms of Service prevail over any other agreement."),
        (W, "dpa", "This Agreement incorporates our Privacy Policy as updated from time to time."),
        (M, "host", "This Agreement constitutes the entire agreement between the parties."),
    )),
)
