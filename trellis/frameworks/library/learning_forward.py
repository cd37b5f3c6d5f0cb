"""The Learning Forward Standards for Professional Learning (2022): the frame for judging PD quality.

Eleven standards in three groups, as in the 2022 edition. The names are Learning Forward's; the
short descriptions are our own summaries, not the published standard text. (Learning Forward has
since relabelled the three equity standards "Learning Foundations", "Learning Drivers" and
"Learning Practices"; the 2022 names are kept here.)
"""

from __future__ import annotations

from trellis.frameworks.library.spec import FrameworkSpec, ItemSpec, LevelSpec


def _standard(code: str, title: str, summary: str) -> ItemSpec:
    return ItemSpec(code=code, kind="standard", title=title, statement=summary)


def _group(code: str, title: str, summary: str, standards: tuple[ItemSpec, ...]) -> ItemSpec:
    return ItemSpec(code=code, kind="domain", title=title, statement=summary, children=standards)


QUALITY_LEVELS = (
    LevelSpec(1, "Not evident", "The offering shows no sign of this standard."),
    LevelSpec(2, "Partly evident", "Some elements are present but uneven or incomplete."),
    LevelSpec(3, "Evident", "The offering clearly meets this standard.", True),
    LevelSpec(4, "Exemplary", "The offering is a strong model of this standard for others."),
)

LEARNING_FORWARD = FrameworkSpec(
    key="learning-forward-2022",
    title="Learning Forward Standards for Professional Learning (2022)",
    description=(
        "Eleven standards describing professional learning that leads to equitable, excellent "
        "outcomes for students. Trellis uses them to judge the quality of PD offerings; "
        "descriptions are short summaries written for Trellis."
    ),
    source="learning_forward",
    purpose="pd_quality",
    version="2022",
    creator="Learning Forward (standard names); summaries by Trellis",
    publisher="Trellis",
    subject="Professional learning",
    levels=QUALITY_LEVELS,
    items=(
        _group(
            "CS",
            "Conditions for Success",
            "The system-level conditions that make strong professional learning possible.",
            (
                _standard(
                    "1",
                    "Equity Foundations",
                    "Expects every educator to learn, gives all staff access to learning, and "
                    "keeps up a culture that supports them.",
                ),
                _standard(
                    "2",
                    "Culture of Collaborative Inquiry",
                    "Educators improve continuously together, build skill at collaborating and "
                    "share responsibility for every student's learning.",
                ),
                _standard(
                    "3",
                    "Leadership",
                    "Leaders grow their own skill at leading learning, champion professional "
                    "learning and build the systems that sustain it.",
                ),
                _standard(
                    "4",
                    "Resources",
                    "Time, money, people and materials are set aside for learning, shared "
                    "equitably, and tracked for their use and effect.",
                ),
            ),
        ),
        _group(
            "TP",
            "Transformational Processes",
            "How professional learning is planned, carried out and sustained.",
            (
                _standard(
                    "5",
                    "Equity Drivers",
                    "Educators examine their own beliefs, work with colleagues who see things "
                    "differently, and put the learning needs of every student and adult first.",
                ),
                _standard(
                    "6",
                    "Evidence",
                    "Data and research shape the plan, and the effect of the learning is measured "
                    "and reported.",
                ),
                _standard(
                    "7",
                    "Learning Designs",
                    "Goals fit the educators' context, and the design rests on research about how "
                    "adults learn, using proven formats.",
                ),
                _standard(
                    "8",
                    "Implementation",
                    "Change is supported over time with feedback and follow-through, drawing on "
                    "what is known about managing change.",
                ),
            ),
        ),
        _group(
            "RC",
            "Rigorous Content for Each Learner",
            "What educators learn: the content that improves teaching for every student.",
            (
                _standard(
                    "9",
                    "Equity Practices",
                    "Educators understand students' histories and contexts, build on their "
                    "strengths, and form strong ties with students, families and communities.",
                ),
                _standard(
                    "10",
                    "Curriculum, Assessment, and Instruction",
                    "Educators learn high-quality curriculum and materials in depth, assess "
                    "student learning, and teach the curriculum well.",
                ),
                _standard(
                    "11",
                    "Professional Expertise",
                    "Educators apply standards and research to their work, build the expertise "
                    "their roles require, and keep their learning coherent.",
                ),
            ),
        ),
    ),
)
