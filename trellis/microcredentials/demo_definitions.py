"""Micro-credential definitions written for Trellis, aligned to the starter framework ("Trellis
Teaching Competencies"). Plain data in the shape of the JSON exchange format's
`micro_credential` object (competencies by human code); demo.seed_definitions publishes them.
The research notes cite real, published work; the rubrics are ours."""

from __future__ import annotations

from typing import Any

from trellis.microcredentials.demo_definitions_more import MORE_DEFINITIONS
from trellis.microcredentials.demo_rubrics import (
    CONTEXT,
    IMPACT,
    NEXT_STEPS,
    WWC,
    artifact,
    crit,
    definition,
    overview,
    reflection,
)

DEFINITIONS: list[dict[str, Any]] = [
    definition(
        "learning-targets-and-success-criteria",
        "Learning targets and success criteria",
        ["1.2"],
        "Share lesson goals in students' words and show them what success looks like.",
        "The teacher writes a learning target for the lesson in student-friendly language, "
        "co-constructs success criteria with students from a worked example, and returns to both "
        "during and at the end of the lesson so students can judge their own progress.",
        [
            "Write the target as what students will learn, not what they will do.",
            "Derive two to four success criteria from an annotated example of strong work.",
            "Post and refer to the target at the start, middle and end of the lesson.",
            "Have students rate themselves against each criterion before leaving.",
        ],
        "Moss, C. M., & Brookhart, S. M. (2012). Learning Targets: Helping Students Aim for "
        "Understanding in Today's Lesson. ASCD.\nWiliam, D. (2011). Embedded Formative "
        "Assessment. Solution Tree Press (chapter 3, clarifying learning intentions).\nHattie, "
        "J. (2009). Visible Learning. Routledge.",
        [{"title": "ASCD: Learning targets", "url": "https://www.ascd.org/books/learning-targets"}],
        [
            overview(
                "Describe the class and the unit. Which standard did the lesson address, and why "
                "did you choose this lesson for the target and criteria?",
                CONTEXT,
                crit(
                    "Alignment to a standard",
                    "The standard is missing or does not match the lesson's goal.",
                    "Names the standard and explains how the target breaks it into one lesson's learning.",
                ),
            ),
            artifact(
                "Lesson plan with target and criteria",
                "Upload the lesson plan showing the learning target, the success criteria and "
                "where in the lesson you return to them.",
                ["document", "image"],
                crit(
                    "Target names learning",
                    "The target describes an activity (“complete the worksheet”).",
                    "The target states what students will know or be able to do, in words they understand.",
                    "The target is paired with a reason students find meaningful.",
                ),
                crit(
                    "Success criteria are observable",
                    "Criteria are vague (“do your best”) or repeat the target.",
                    "Two to four criteria describe features of quality work that a student can check.",
                ),
                crit(
                    "Planned check-ins",
                    "The plan does not return to the target after the opening.",
                    "Marks at least two moments where students check their work against the criteria.",
                ),
            ),
            artifact(
                "Student self-assessments",
                "Upload three student self-assessments against the criteria (names removed), one "
                "each from a student who met the target, one who nearly did and one who did not.",
                ["document", "image"],
                crit(
                    "Students use the criteria",
                    "Self-assessments do not refer to the criteria.",
                    "Each sample shows the student judging their work against named criteria.",
                    "Students cite evidence from their own work for each judgement.",
                ),
                IMPACT,
            ),
            reflection(
                "How accurately did students judge their own work? What will you change in how "
                "you write or use success criteria?",
                crit(
                    "Accuracy of student judgements",
                    "Does not compare students' judgements with the teacher's.",
                    "Compares self-assessments with the work and explains any gaps.",
                ),
                NEXT_STEPS,
            ),
        ],
    ),
    definition(
        "accountable-talk",
        "Accountable talk moves",
        ["2.2"],
        "Use talk moves that make students explain, listen to and build on one another's reasoning.",
        "The teacher plans an open question and uses accountable talk moves — revoicing, asking "
        "students to restate someone else's reasoning, adding on, agreeing or disagreeing with "
        "reasons, and wait time — so that students, not the teacher, carry the reasoning.",
        [
            "Plan an open question with more than one defensible answer.",
            "Teach and post the norms for respectful, reasoned talk.",
            "Use at least four talk moves during a whole-class discussion.",
            "Track who speaks and invite quieter students in.",
            "Close by naming the ideas the class built together.",
        ],
        "Michaels, S., O'Connor, C., & Resnick, L. B. (2008). Deliberative discourse idealized "
        "and realized: Accountable talk in the classroom and in civic life. Studies in Philosophy "
        "and Education, 27(4), 283–297.\nChapin, S. H., O'Connor, C., & Anderson, N. C. (2009). "
        "Classroom Discussions: Using Math Talk to Help Students Learn. Math Solutions.",
        [{"title": "Institute for Learning: Accountable Talk", "url": "https://ifl.pitt.edu/"}],
        [
            overview(
                "Describe the class, the lesson and the question you planned for discussion. "
                "Why does the question deserve discussion?",
                CONTEXT,
                crit(
                    "Quality of the question",
                    "The question has one short right answer.",
                    "The question invites reasoning and several defensible answers.",
                ),
            ),
            artifact(
                "Video of the discussion",
                "Upload or link 10–15 minutes of video of the whole-class discussion. Show "
                "students' faces only with consent.",
                ["video", "link"],
                crit(
                    "Range of talk moves",
                    "Fewer than three talk moves are used, or the teacher answers for students.",
                    "At least four different talk moves are used to deepen reasoning.",
                    "Students themselves use talk moves with each other.",
                ),
                crit(
                    "Student reasoning",
                    "Students give answers without reasons.",
                    "Students explain their reasoning and respond to one another's ideas.",
                ),
                crit(
                    "Equity of participation",
                    "A few students do most of the talking.",
                    "The teacher brings in students who had not spoken, and most students contribute.",
                ),
                files=2,
            ),
            artifact(
                "Talk tracker",
                "Upload the tally of who spoke during the discussion (initials or seat numbers only).",
                ["document", "image"],
                crit(
                    "Data on participation",
                    "No record of who spoke, or the record is incomplete.",
                    "A complete record shows how often each student spoke.",
                ),
                files=1,
            ),
            reflection(
                "What did the talk tracker and the video show you about whose voices were "
                "heard? Which talk move will you practise next, and why?",
                crit(
                    "Analysis of the discussion",
                    "Describes the lesson without analysing the talk.",
                    "Uses the video and tracker to explain what moved the discussion forward.",
                ),
                NEXT_STEPS,
            ),
        ],
    ),
    definition(
        "questioning-with-wait-time",
        "Questioning with wait time and no hands up",
        ["2.2", "3.2"],
        "Ask questions everyone must think about, give time to think, then choose who answers.",
        "The teacher asks higher-order questions, waits at least three seconds before taking an "
        "answer and again after it, and selects respondents at random rather than from raised "
        "hands, so that every student is expected to think.",
        [
            "Prepare higher-order questions in advance.",
            "Wait three to five seconds after the question and after the answer.",
            "Use a no-hands-up routine, such as named sticks or cards.",
            "Follow up with “say more” or “why do you think so?”",
        ],
        "Rowe, M. B. (1986). Wait time: Slowing down may be a way of speeding up! Journal of "
        "Teacher Education, 37(1), 43–50.\nBlack, P., & Wiliam, D. (1998). Inside the black box: "
        "Raising standards through classroom assessment. Phi Delta Kappan, 80(2), 139–148.",
        [{"title": "Edutopia: wait time", "url": "https://www.edutopia.org/"}],
        [
            overview(
                "Describe the class and which questions you planned. How did you introduce "
                "the no-hands-up routine?",
                CONTEXT,
                crit(
                    "Planned questions",
                    "Questions are mostly recall.",
                    "At least half the planned questions ask students to explain, compare or justify.",
                ),
            ),
            artifact(
                "Audio or video of questioning",
                "Upload or link a 10-minute recording in which you question the class.",
                ["video", "audio", "link"],
                crit(
                    "Wait time",
                    "Answers are taken in under three seconds most of the time.",
                    "The teacher waits at least three seconds after most questions.",
                    "Wait time is also used after student answers, and students extend them.",
                ),
                crit(
                    "Random selection",
                    "Volunteers answer most questions.",
                    "Respondents are chosen by a routine, and every student can be called.",
                ),
                files=2,
            ),
            reflection(
                "What changed in the number and quality of student answers? Which students "
                "surprised you?",
                IMPACT,
                NEXT_STEPS,
            ),
        ],
    ),
    definition(
        "hinge-questions",
        "Hinge questions",
        ["3.2"],
        "Check the whole class mid-lesson with one diagnostic question and decide what to do next.",
        "At the hinge point of a lesson the teacher asks a multiple-choice question whose wrong "
        "answers each reveal a known misconception, collects every student's answer at once, and "
        "decides within a minute whether to move on, reteach or group students.",
        [
            "Identify the hinge point: the idea the rest of the lesson depends on.",
            "Write distractors that each match a common misconception.",
            "Collect all answers at once (cards, fingers, mini-whiteboards).",
            "Decide in advance what you will do for each pattern of answers.",
        ],
        "Wiliam, D. (2011). Embedded Formative Assessment. Solution Tree Press.\nLeahy, S., Lyon, "
        "C., Thompson, M., & Wiliam, D. (2005). Classroom assessment, minute by minute, day by "
        "day. Educational Leadership, 63(3), 18–24.",
        [WWC],
        [
            overview(
                "Describe the lesson and the hinge point you chose. Which misconceptions did "
                "you expect?",
                CONTEXT,
                crit(
                    "Anticipated misconceptions",
                    "No specific misconceptions are named.",
                    "Names at least two misconceptions, each with a reason students hold it.",
                ),
            ),
            artifact(
                "Hinge question and decision plan",
                "Upload the hinge question with its answer options and your plan for each "
                "pattern of responses.",
                ["document", "image"],
                crit(
                    "Diagnostic distractors",
                    "Wrong answers are random or obviously wrong.",
                    "Each wrong answer matches a named misconception.",
                    "The question can be answered in under two minutes and read at a glance.",
                ),
                crit(
                    "Decision rules",
                    "There is no plan for what happens after the responses.",
                    "States what happens when most, some or few students answer correctly.",
                ),
            ),
            artifact(
                "Record of responses",
                "Upload a photo or table of the class's responses and what you did next.",
                ["image", "document"],
                crit(
                    "Every student responds",
                    "Only some students' answers were collected.",
                    "Every student's answer was seen at the same time.",
                ),
                crit(
                    "Instruction adjusted",
                    "The lesson continued as planned whatever the responses.",
                    "The next step followed the decision rules and the responses.",
                ),
            ),
            reflection(
                "What did the responses tell you that you would not otherwise have known?",
                IMPACT,
                NEXT_STEPS,
            ),
        ],
    ),
    definition(
        "exit-tickets-that-drive-planning",
        "Exit tickets that drive tomorrow's lesson",
        ["3.2", "3.4"],
        "End lessons with a short check and use the results to plan the next day.",
        "The teacher closes a lesson with a one- or two-question exit ticket tied to the "
        "learning target, sorts the tickets into three piles (got it, nearly, not yet) the same "
        "day, and plans the next lesson's opening and groups from the sort.",
        [
            "Write one or two questions that test the day's target.",
            "Sort tickets into three piles the same day.",
            "Plan a different opening task for each pile.",
            "Check the effect with the next exit ticket.",
        ],
        "Black, P., & Wiliam, D. (1998). Assessment and classroom learning. Assessment in "
        "Education: Principles, Policy & Practice, 5(1), 7–74.\nHamilton, L., et al. (2009). "
        "Using Student Achievement Data to Support Instructional Decision Making (NCEE 2009-4067). "
        "Institute of Education Sciences.",
        [WWC],
        [
            overview("Describe the class and the two lessons the evidence comes from.", CONTEXT),
            artifact(
                "Exit tickets and the sort",
                "Upload the exit ticket, six sample responses (two from each pile, names "
                "removed) and the counts in each pile.",
                ["document", "image"],
                crit(
                    "Ticket matches the target",
                    "The question tests something other than the day's target.",
                    "The question directly tests the target in one or two minutes.",
                ),
                crit(
                    "Sound sorting",
                    "Samples are placed in piles that do not match their content.",
                    "Samples are sorted consistently, with a note on what separates the piles.",
                ),
            ),
            artifact(
                "Next day's plan",
                "Upload the plan for the following lesson, showing what each group did.",
                ["document"],
                crit(
                    "Plan responds to the data",
                    "The next lesson is the same for everyone regardless of the tickets.",
                    "Each pile gets a task matched to what its tickets showed.",
                    "Students who had it are extended, not just kept busy.",
                ),
            ),
            reflection(
                "Compare the two exit tickets. Who moved, who did not, and why?", IMPACT, NEXT_STEPS
            ),
        ],
    ),
    definition(
        "actionable-feedback",
        "Feedback students act on",
        ["3.3"],
        "Give feedback that names a next step, and make time for students to use it.",
        "The teacher gives task-focused feedback on a draft — one strength and one next step "
        "tied to the success criteria, without a grade — and builds lesson time for students to "
        "revise, then compares the draft with the revision.",
        [
            "Comment on the task and the process, not the person.",
            "Give one strength and one specific next step per student.",
            "Withhold grades on drafts so the comment is read.",
            "Plan lesson time for revision.",
            "Compare drafts and revisions to see whether the feedback worked.",
        ],
        "Hattie, J., & Timperley, H. (2007). The power of feedback. Review of Educational "
        "Research, 77(1), 81–112.\nKluger, A. N., & DeNisi, A. (1996). The effects of feedback "
        "interventions on performance. Psychological Bulletin, 119(2), 254–284.\nButler, R. "
        "(1988). Enhancing and undermining intrinsic motivation. British Journal of Educational "
        "Psychology, 58(1), 1–14.",
        [
            {
                "title": "ASCD: Seven keys to effective feedback",
                "url": "https://www.ascd.org/el/articles/seven-keys-to-effective-feedback",
            }
        ],
        [
            overview(
                "Describe the task students drafted and the success criteria they used.", CONTEXT
            ),
            artifact(
                "Drafts with your feedback",
                "Upload three drafts with your written feedback (names removed).",
                ["document", "image"],
                crit(
                    "Specific and task-focused",
                    "Comments are general praise or criticism (“good job”, “needs work”).",
                    "Each comment names a strength and a next step tied to a criterion.",
                    "Next steps are phrased as a question or task the student can start at once.",
                ),
                crit(
                    "No grade on the draft",
                    "The drafts carry grades or scores beside the comments.",
                    "Drafts carry comments only.",
                ),
            ),
            artifact(
                "Revisions",
                "Upload the revised work of the same three students.",
                ["document", "image"],
                crit(
                    "Students acted on feedback",
                    "Revisions do not address the next step.",
                    "Each revision shows the next step attempted.",
                ),
                IMPACT,
            ),
            reflection(
                "Which feedback led to the biggest improvement, and why?",
                crit(
                    "Insight into feedback",
                    "Does not connect the kind of feedback to what students did with it.",
                    "Explains why some comments worked better than others.",
                ),
                NEXT_STEPS,
            ),
        ],
    ),
    *MORE_DEFINITIONS,
]

STACKS: list[dict[str, Any]] = [
    {
        "title": "Formative assessment",
        "description": "Clarify the goal, check where students are, and move them forward.",
        "capstone_title": "Formative Assessment Practitioner",
        "members": [
            "learning-targets-and-success-criteria",
            "hinge-questions",
            "exit-tickets-that-drive-planning",
            "actionable-feedback",
        ],
        "required_count": 3,
    },
    {
        "title": "Classroom discourse",
        "description": "Make students' reasoning and language the centre of the lesson.",
        "capstone_title": "Classroom Discourse Leader",
        "members": [
            "accountable-talk",
            "questioning-with-wait-time",
            "language-objectives-and-frames",
        ],
        "required_count": 2,
    },
]
