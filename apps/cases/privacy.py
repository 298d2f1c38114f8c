"""Personal data of enforcement cases, declared for the retention job and the subject export (apps.gbcp.privacy).

A case file is an archive (行政处罚案卷, kept for the period the archives rules set and appraised before it is
destroyed by people, not software): the party's name, ID number and address, the records (笔录) and the documents stay
as they are. What the law does not require to keep is the citizen party's phone, a contact the decision does not
carry (APL art. 59): it goes a set time after the last of the person's cases was archived."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.gbcp import privacy
from apps.gbcp.privacy import PersonalData, PersonalField, Retention


def _all_cases_archived_before(moment):
    # The person is a party of a case, and none of their cases is unarchived or archived after the cut-off.
    return Q(cases__isnull=False) & ~Q(cases__archived_at__isnull=True) & ~Q(cases__archived_at__gte=moment)


def register():
    privacy.register(
        PersonalData(
            key="cases.party_contact", model="gbcp.Person", subject=_("a citizen party of archived cases"),
            fields=(PersonalField("phone", "phone"),),
            retention=Retention(since="cases__archived_at", period="case_party_contact", where=_all_cases_archived_before),
            reason=_("Enforcement through the court and late reconsideration after archiving; the case file keeps the rest."),
        ),
        PersonalData(
            key="cases.case_party", model="cases.Case", subject=_("the party of a case (archive: kept)"),
            fields=(PersonalField("party_name", "name"), PersonalField("party_code", "id_number"), PersonalField("party_address", "address")),
            match={"id_number": "party_code"}, reason=_("Part of the case file (an archive): never anonymised by the job."),
        ),
        PersonalData(
            key="cases.record_interviewee", model="cases.CaseRecord", subject=_("a person heard in a case (archive: kept)"),
            fields=(PersonalField("interviewee", "name"),), reason=_("Part of the case file (an archive): never anonymised by the job."),
        ),
        PersonalData(
            key="cases.challenge_applicant", model="cases.CaseChallenge", subject=_("who applied for review or sued (archive: kept)"),
            fields=(PersonalField("applicant", "name"),), reason=_("Part of the case file (an archive): never anonymised by the job."),
        ),
    )
