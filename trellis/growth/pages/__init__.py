"""Thin views of the growth pages (the people directory stays in `trellis.growth.views`).

`me`: the educator's growth page, profile and plan; `assessment`: self-assessment;
`goals`: goals, reflections and coach comments; `coaching`: caseloads and assignments;
`district`: observation import and career-stage settings for district admins.
"""
