"""Catalog reads, always scoped to a district: offerings (`offerings`), enrolments and approvals
(`enrolment`), sessions to facilitate and attendance (`attendance`)."""
