"""The kinds of case documents (文书) and their official titles: the one list the PDF, the pages and the file names use."""

DOCUMENT_KINDS: dict[str, str] = {
    "filing_approval": "立案审批表",
    "proposed_penalty_notice": "行政处罚事先告知书",
    "hearing_notice": "行政处罚听证通知书",
    "hearing_record": "听证笔录",
    "penalty_decision": "行政处罚决定书",
    "onsite_decision": "当场行政处罚决定书",
    "service_receipt": "送达回证",
    "closing_report": "结案审批表",
}
