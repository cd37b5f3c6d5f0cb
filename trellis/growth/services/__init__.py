"""Every write of the growth app: keyword-only, `access` + `actor`, atomic, audited.

Split by subject: `profile` (profile and career-stage settings), `assessments` (self-assessment
drafts and snapshots), `observations` (CSV import), `goals` (goals, reflections, coach comments),
`plan` (learning plan), `caseload` (coaching assignments).
"""
