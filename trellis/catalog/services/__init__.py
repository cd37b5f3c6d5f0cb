"""Catalog writes, split by topic: offerings and sessions, enrolment and approvals, attendance,
completion and surveys."""
