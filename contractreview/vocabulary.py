"""The contract's own words for its parties and for the protected data, used in what the district sends.

The clause library writes suggested language with stock defined terms ("Vendor", "District", "Student
Data", "Subprocessor"; "Controller", "Processor", "Personal Data" for GDPR terms). A letter to a vendor
whose contract says "SFUSD", "Stanford Research Organization" and "Confidential Data" must use those.
:func:`detect_terms` reads the preamble and the definitions for quoted defined terms
(``("Provider")``, ``(the "District")``, ``"Confidential Data" means``); :func:`apply_terms` rewrites
library text with them, and with neutral words ("the vendor", "the district", "student data") where the
contract defines none. A reviewer can override each name (:class:`ContractTerms` fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import textscan
from .domain import Document

# Defined terms that name the protected data, most specific first.
DATA_TERMS = (
    "Student Data",
    "Student Personal Information",
    "Student Records",
    "Pupil Records",
    "Education Records",
    "Covered Information",
    "District Data",
    "School Data",
    "Customer Data",
    "Client Data",
    "Personal Information",
    "Personal Data",
    "Protected Data",
    "Confidential Data",
    "Confidential Information",
)
_SCHOOL_WORDS = re.compile(
    r"\b(schools?|districts?|unified|board of education|lea|local education|county office|"
    r"department of education|university|college|charter|educational agency|usd)\b",
    re.I,
)
_SCHOOL_ROLES = {"district", "lea", "school", "customer", "controller", "client", "board", "institution", "agency"}
_VENDOR_ROLES = {
    "vendor", "provider", "contractor", "company", "operator", "processor", "supplier", "licensor",
    "service provider", "consultant", "researcher", "recipient", "data recipient",
}
# Words of defined terms that name things, not parties ("Services", "Website", "Privacy Policy").
_NOT_PARTY = {
    "agreement", "terms", "policy", "service", "services", "website", "site", "platform", "app",
    "application", "plan", "plans", "content", "data", "information", "software", "product", "products",
    "materials", "documentation", "order", "schedule", "exhibit", "addendum", "date", "partners", "studies",
    "records", "elements", "termination", "affiliates", "users", "user", "account", "fees", "period",
}
_COMPANY = re.compile(r"\b(inc|llc|l\.l\.c|ltd|limited|corp|corporation|gmbh|plc|l\.p|s\.a|b\.v|co)\b\.?", re.I)
_ENTITY_KIND = re.compile(
    r"^\s*(?:[A-Z][\w.]*\s+){1,3}(corporation|company|limited liability company|partnership|"
    r"nonprofit|non-profit|public benefit corporation|entity|société|gmbh)\b[^,]*,?\s*$",
    re.I,
)
_SUBPROCESSOR_TERMS = ("Subprocessor", "Sub-processor", "Sub-Processor", "Subcontractor", "Third Party Provider")
# Role nouns keep "the" before them ("the Provider"); proper names drop it ("SFUSD", not "the SFUSD").
_ROLE_NOUNS = _SCHOOL_ROLES | _VENDOR_ROLES | {"licensee", "partner", "organization", "university"}

_Q = "\"“”'‘’"
_PAREN_DEF = re.compile(
    rf"\((?:[^()]{{0,40}}?\b(?:the|as|hereinafter|collectively|each|individually)\b[^()]{{0,20}}?)?\s*[{_Q}]"
    rf"(?P<term>[A-Z][\w&.\- ]{{0,58}}?)[{_Q}]\s*(?:,[^()]{{0,40}})?\)"
)
_MEANS_DEF = re.compile(
    rf"[{_Q}](?P<term>[A-Z][\w\- ]{{1,58}}?)[{_Q}]\s*(?:,?\s*(?:as used [^,]{{0,40}},\s*)?)"
    rf"(?:means|shall mean|refers to|is defined as|has the meaning|includes|shall include)\b"
)


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """The names the change request and suggested language use; "" = not defined in the contract."""

    vendor: str = ""
    school: str = ""
    data: str = ""
    subprocessor: str = ""
    vendor_name: str = ""  # the full name the preamble gives ("BrightPath Learning, Inc."), for an address line
    school_name: str = ""

    def merged(self, override: ContractTerms | None) -> ContractTerms:
        """These terms with the reviewer's non-empty overrides applied."""
        if override is None:
            return self
        return replace(
            self,
            **{
                k: getattr(override, k)
                for k in ("vendor", "school", "data", "subprocessor", "vendor_name", "school_name")
                if getattr(override, k)
            },
        )


def _strip_article(term: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", term.strip(), flags=re.I)


def detect_terms(document: Document) -> ContractTerms:
    """The parties' defined names and the data's defined term, read from the preamble and definitions."""
    text = document.text
    head = text[:6000]  # the preamble names the parties
    parties: list[tuple[str, bool, bool, bool]] = []  # (term, names the school, vendor role noun, in "between")
    full_names: dict[str, str] = {}
    for m in _PAREN_DEF.finditer(head):
        term = _strip_article(m.group("term"))
        if not term or len(term.split()) > 6 or any(term.lower() == d.lower() for d in DATA_TERMS):
            continue
        before = head[max(0, m.start() - 160) : m.start()]
        # The party's full name is what precedes the parenthesis, back to "between"/"and"/a line start.
        flat = re.sub(r"(?<!\n)\n(?!\n)", " ", before)  # a PDF's line wrap inside a name
        pieces = re.split(r"\bbetween\b|\band\b|\n|,\s*an?\b|;", flat)
        # "Tern Inc., a Delaware corporation ("Tern")": the name is before the description.
        while len(pieces) > 1 and _ENTITY_KIND.match(pieces[-1]):
            pieces.pop()
        full = pieces[-1]
        low = term.lower()
        is_vendor = low in _VENDOR_ROLES
        if not is_vendor and low not in _SCHOOL_ROLES and set(low.split()) & _NOT_PARTY:
            continue
        company = bool(_COMPANY.search(full))
        in_preamble = _party_context(re.sub(r"\s+", " ", head[max(0, m.start() - 400) : m.start()]))
        # A school named by its full name counts only as a party of the preamble ("between … District ("LPS")").
        # The buyer's role noun ("Customer", "Client") is the school's place whoever the buyer is.
        is_school = not is_vendor and (
            low in _SCHOOL_ROLES
            or (
                not company
                and (bool(_SCHOOL_WORDS.search(term)) or (in_preamble and bool(_SCHOOL_WORDS.search(full))))
            )
        )
        is_vendor = is_vendor or (company and in_preamble and not is_school)
        if is_school or is_vendor or in_preamble:
            parties.append((term, is_school, is_vendor, in_preamble))
            name = re.sub(r"^\W*(the\s+)?", "", full.strip().rstrip(","), flags=re.I).strip()
            if 3 <= len(name) <= 80 and name[:1].isupper() and name.lower() != term.lower():
                full_names.setdefault(term, ("the " if full.strip().lower().startswith("the ") else "") + name)
    school = next((t for t, s, _, _ in parties if s), "")
    vendor = next((t for t, _, v, _ in parties if v and t != school), "")
    if not vendor and school:  # the other party named in "between … and …" is the vendor
        vendor = next((t for t, _, _, b in parties if b and t != school), "")
    # No defining parenthesis: a role noun the contract capitalises throughout is its defined name.
    school = school or _used_role(text, ("District", "School", "LEA", "Customer", "Board", "Institution"))
    vendor = vendor or _used_role(
        text, ("Vendor", "Provider", "Contractor", "Company", "Operator", "Supplier", "Service Provider")
    )
    vendor_name, school_name = full_names.get(vendor, ""), full_names.get(school, "")
    # A school defined as "District" but called by its initials throughout ("SFUSD") goes by the initials.
    school = _initials_if_used(school, school_name, text)
    school, vendor = _with_article(school, text), _with_article(vendor, text)
    # In short scans (textscan): on a 300-page contract one whole-text scan holds the GIL, and the Names
    # dialog and the exports call this on the GUI thread (noticed in #17).
    defined = {_strip_article(m.group("term")) for m in textscan.finditer(_MEANS_DEF, text)}
    defined |= {_strip_article(m.group("term")) for m in textscan.finditer(_PAREN_DEF, text)}
    defined_low = {d.lower(): d for d in defined}
    data = ""
    candidates = [defined_low[d.lower()] for d in DATA_TERMS if d.lower() in defined_low]
    if candidates:
        # Prefer the most used of the defined data terms; ties go to the more specific (earlier) one.
        data = max(candidates, key=lambda t: (len(re.findall(re.escape(t), text)), -candidates.index(t)))
    sub = next((defined_low[s.lower()] for s in _SUBPROCESSOR_TERMS if s.lower() in defined_low), "")
    if not sub:
        sub = next((s for s in ("Subprocessor", "Sub-processor") if re.search(rf'[{_Q}]{s}s?[{_Q}]', text)), "")
    return ContractTerms(
        vendor=vendor, school=school, data=data, subprocessor=sub, vendor_name=vendor_name, school_name=school_name
    )


def _initials_if_used(term: str, full: str, text: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", full) if w.lower() not in {"the", "of", "and", "for"}]
    initials = "".join(w[0] for w in words).upper()
    if len(initials) < 2:
        return term
    used = len(re.findall(rf"\b{initials}\b", text))
    # Uses of the defined term itself, not inside the full name ("School District").
    own = len(re.findall(rf"\b{re.escape(term)}\b", text)) - len(re.findall(re.escape(full), text))
    return initials if used >= 3 and used > 2 * max(own, 0) else term


def _used_role(text: str, roles: tuple[str, ...]) -> str:
    """The role noun written capitalised mid-sentence most often (at least twice), or ""."""
    counts = {r: len(re.findall(rf"(?<=[a-z,;] )(?:the )?{r}\b", text)) for r in roles}
    best = max(counts, key=lambda r: counts[r])
    return best if counts[best] >= 2 else ""


def _with_article(term: str, text: str) -> str:
    """"the District" when the contract mostly writes it with the article, else the bare name."""
    if not term:
        return term
    total = len(re.findall(rf"\b{re.escape(term)}\b", text))
    with_the = len(re.findall(rf"\b[Tt]he {re.escape(term)}\b", text))
    return f"the {term}" if total and with_the * 2 >= total else term


def _party_context(before: str) -> bool:
    """The parenthesis follows a party's name in a 'between … and …' preamble."""
    return bool(re.search(r"\b(between|by and between)\b[^()]{0,200}$", before, re.I)) or bool(
        re.search(r"\bbetween\b.{0,300}\band\b[^()]{0,150}$", before, re.I | re.S)
    )


def _is_role_noun(term: str) -> bool:
    return term.lower() in _ROLE_NOUNS


_LIBRARY_VENDOR = ("Vendor", "Provider", "Processor")
_LIBRARY_SCHOOL = ("District", "LEA", "Controller")
_LIBRARY_SUB = ("Subprocessors", "Subprocessor", "sub-processors", "sub-processor")


def _swap(text: str, words: tuple[str, ...], new: str, neutral: str) -> str:
    """Replace the library's defined term ``words`` with the contract's ``new`` (or ``neutral``)."""
    for w in words:
        plural = w.endswith("s")
        if new:
            target = new + ("s" if plural and not new.endswith("s") else "")
            if new.lower().startswith("the "):
                repl_bare = repl_the = target
            elif _is_role_noun(new):
                repl_bare, repl_the = target, "the " + target
            else:  # a proper name ("SFUSD") takes no article
                repl_bare = repl_the = target
        else:
            target = neutral + ("s" if plural and not neutral.endswith("s") else "")
            repl_bare = repl_the = target
        # "the District" / "The District" → article handled by the replacement.
        text = re.sub(rf"\b([Tt])he {re.escape(w)}\b(?!-)", lambda m, r=repl_the: _cap(r, m.group(1) == "T"), text)
        text = re.sub(
            rf"(?<![\w-])(?<!the )(?<!The ){re.escape(w)}\b(?!-)",
            lambda m, r=repl_bare: r,
            text,
        )
    return _sentence_caps(text, repl_bare) if repl_bare[:1].islower() else text


def _cap(s: str, cap: bool) -> str:
    return s[:1].upper() + s[1:] if cap else s


def _sentence_caps(text: str, word: str) -> str:
    """Capitalise a neutral word that now opens a sentence ("the vendor shall" → "The vendor shall")."""
    return re.sub(rf"(^|[.!?:]\s+)({re.escape(word)})", lambda m: m.group(1) + _cap(m.group(2), True), text)


def apply_terms(text: str, terms: ContractTerms) -> str:
    """Library text rewritten with the contract's defined terms, or neutral words where it defines none."""
    if not text:
        return text
    out = _swap(text, _LIBRARY_VENDOR, terms.vendor, "the vendor")
    out = _swap(out, _LIBRARY_SCHOOL, terms.school, "the district")
    out = _swap(out, ("Student Data",), terms.data, "student data")
    out = _swap(out, ("Personal Data",), terms.data, "personal data")
    out = _swap(out, _LIBRARY_SUB, terms.subprocessor, "subprocessor")
    # Neutral words after "the" may double it ("the the vendor").
    out = re.sub(r"\b([Tt])he the\b", r"\1he", out)
    return out
