"""The controlled vocabularies partners answer in: funding streams, support services, work-based
learning, partner kinds and credential levels.

A coordinated-funding view only works when every partner names a stream the same way ("WIOA
ITA", "ITA", "Title I" are one stream), so the templates accept these codes and nothing else;
the labels are what the report prints. This module imports nothing, so the connectors and the
participant-records reader can share it.
"""

from __future__ import annotations

FUNDING_STREAMS: dict[str, str] = {
    "wioa_title_i_ita": "WIOA Title I individual training account",
    "wioa_title_i_ojt": "WIOA Title I on-the-job training contract",
    "wioa_title_ii_adult_ed": "WIOA Title II adult education and literacy",
    "perkins_v": "Perkins V career and technical education",
    "pell": "Federal Pell Grant",
    "state_grant": "State grant or state-funded tuition programme",
    "employer_paid": "Employer-paid (tuition, wages during training)",
    "registered_apprenticeship": "Registered apprenticeship funding (sponsor or DOL grant)",
    "tanf": "TANF-funded training",
    "snap_et": "SNAP Employment and Training",
    "philanthropy": "Philanthropic or local foundation grant",
    "other_public": "Other public funding (name it in notes)",
}
SUPPORT_SERVICES: dict[str, str] = {
    "childcare": "Childcare",
    "transportation": "Transportation",
    "tuition_assistance": "Tuition help beyond the funding streams",
    "coaching": "Coaching or navigation",
    "emergency_aid": "Emergency aid",
    "tutoring": "Tutoring or academic support",
    "housing": "Housing assistance",
}
WORK_BASED_LEARNING: dict[str, str] = {
    "externship": "Externship",
    "clinical_placement": "Clinical placement",
    "internship": "Internship",
    "apprenticeship": "Registered apprenticeship",
    "pre_apprenticeship": "Pre-apprenticeship",
    "on_the_job_training": "On-the-job training",
}
#: work-based learning kinds an employer externship slot can host (the externship need)
EXTERNSHIP_KINDS = ("externship", "clinical_placement", "internship")
ITEM_KINDS: dict[str, dict[str, str]] = {"funding": FUNDING_STREAMS, "support_service": SUPPORT_SERVICES,
                                         "work_based_learning": WORK_BASED_LEARNING}
PARTNER_KINDS: dict[str, str] = {
    "workforce_board": "Workforce development board",
    "college": "College or training provider",
    "community_org": "Community organisation",
    "employer": "Employer",
    "state_agency": "State agency",
    "other": "Other partner",
}
CREDENTIALS: dict[str, str] = {
    "none": "No credential required",
    "high_school": "High school diploma or equivalent",
    "industry_credential": "Industry-recognised credential",
    "license": "State licence or certification",
    "certificate": "Postsecondary certificate",
    "apprenticeship": "Registered apprenticeship completion",
    "associate": "Associate's degree",
    "bachelor": "Bachelor's degree",
    "graduate": "Master's degree or higher",
}
