"""The rubric every district starts with, in Trellis's own words.

Rows are framed by the themes of the Learning Forward Standards for Professional Learning
(2022) and the design features research links to changed practice (see
shared/research/pd-effectiveness.md), plus rows on usability and accessibility for online
courses. Essential rows must be met (2 of 3 points or more) before an offering counts as vetted.
"""

from __future__ import annotations

from typing import NamedTuple


class DefaultRow(NamedTuple):
    key: str
    text: str
    help: str
    essential: bool


DEFAULT_RUBRIC: tuple[DefaultRow, ...] = (
    DefaultRow(
        "clear_outcomes",
        "States what participants will be able to do in their classrooms afterwards",
        "3: outcomes are specific, observable and tied to named competencies. "
        "1: outcomes are vague (“learn about…”). 0: none given.",
        True,
    ),
    DefaultRow(
        "content_focus",
        "Focuses on subject content and how students learn it",
        "Look for work on the curriculum, students' thinking and teaching moves in a subject, "
        "rather than generic tips.",
        False,
    ),
    DefaultRow(
        "active_learning",
        "Participants practise, try out and analyse, not only listen",
        "3: most of the time is spent doing (planning lessons, analysing student work, "
        "rehearsing). 0: lecture or video only.",
        True,
    ),
    DefaultRow(
        "collaboration",
        "Builds in collaboration with colleagues",
        "Structured time to plan, observe or review evidence together; a shared inquiry.",
        False,
    ),
    DefaultRow(
        "models_and_support",
        "Shows effective practice and offers expert support",
        "Example lessons, video of teaching, worked plans; coaching or facilitator feedback.",
        False,
    ),
    DefaultRow(
        "feedback_reflection",
        "Gives time for feedback and reflection on one's own practice",
        "Participants look at their own teaching or students' work and get feedback on it.",
        False,
    ),
    DefaultRow(
        "sustained",
        "Sustained over time with follow-up, not a single event",
        "3: several weeks or more, with follow-up in the classroom. 1: one session with a "
        "suggested follow-up. 0: one-off.",
        False,
    ),
    DefaultRow(
        "evidence_base",
        "Grounded in evidence, with a credible source or rationale",
        "A study, a research summary or at least a clear rationale for why it should work. "
        "The ESSA evidence tier on the offering records the strength.",
        True,
    ),
    DefaultRow(
        "student_needs",
        "Responds to the needs of our students and educators, using data",
        "Addresses a need the district's data shows (student results, self-assessments, "
        "observations) and serves every student group equitably.",
        False,
    ),
    DefaultRow(
        "implementation",
        "Supports putting the learning into practice and measuring it",
        "Includes tools, classroom follow-up and a way to see whether practice or student "
        "learning changed.",
        False,
    ),
    DefaultRow(
        "facilitator_expertise",
        "Led or written by people with relevant expertise",
        "Facilitators or authors have experience teaching the content and leading adult learning.",
        False,
    ),
    DefaultRow(
        "accessible",
        "Accessible to every participant",
        "Online: captions and transcripts, works with a keyboard and a screen reader, readable "
        "contrast. In person: accessible venue and materials on request.",
        True,
    ),
    DefaultRow(
        "usable_online",
        "Easy to use (online courses): clear navigation, works on school devices",
        "Score 3 for in-person offerings. Online: sign-in works, progress is saved, runs in a "
        "browser on school laptops without extra installs.",
        False,
    ),
    DefaultRow(
        "worth_cost",
        "Worth the time and cost for what it offers",
        "Compare the hours and the cost per hour with similar offerings in the catalog.",
        False,
    ),
)
