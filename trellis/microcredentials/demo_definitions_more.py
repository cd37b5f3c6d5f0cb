"""The second half of the demo definitions (see demo_definitions.py)."""

from __future__ import annotations

from typing import Any

from trellis.microcredentials.demo_rubrics import (
    CONTEXT,
    IMPACT,
    NEXT_STEPS,
    artifact,
    crit,
    definition,
    overview,
    reflection,
)

MORE_DEFINITIONS: list[dict[str, Any]] = [
    definition(
        "teaching-classroom-routines",
        "Teaching classroom routines",
        ["4.2"],
        "Teach, practise and hand over the routines that save learning time.",
        "The teacher chooses a routine that wastes time (entering, transitions, materials), "
        "breaks it into steps, models and rehearses it with students, gives precise feedback, "
        "and measures the minutes saved over three weeks.",
        [
            "Measure how long the routine takes now.",
            "Break it into steps and model each one.",
            "Rehearse it and give precise praise and correction.",
            "Hand responsibility to students over time.",
        ],
        "Emmer, E. T., & Stough, L. M. (2001). Classroom management: A critical part of "
        "educational psychology. Educational Psychologist, 36(2), 103–112.\nSimonsen, B., "
        "Fairbanks, S., Briesch, A., Myers, D., & Sugai, G. (2008). Evidence-based practices in "
        "classroom management. Education and Treatment of Children, 31(3), 351–380.",
        [{"title": "Center on PBIS: classroom practices", "url": "https://www.pbis.org/"}],
        [
            overview(
                "Which routine did you choose, how long did it take before, and why does it matter?",
                CONTEXT,
                crit(
                    "Baseline measured",
                    "No measure of the routine before teaching it.",
                    "Reports the minutes the routine took on at least three days.",
                ),
            ),
            artifact(
                "Routine plan",
                "Upload the steps of the routine and how you taught them.",
                ["document", "image"],
                crit(
                    "Clear steps",
                    "The routine is described as a general expectation.",
                    "Each step is concrete and observable.",
                ),
            ),
            artifact(
                "Video of the routine",
                "Upload or link a short video of the routine in the third week.",
                ["video", "link"],
                crit(
                    "Routine runs smoothly",
                    "Many students need reminders to follow the steps.",
                    "Most students follow the routine with few prompts.",
                    "Students lead the routine themselves.",
                ),
                crit(
                    "Time saved",
                    "No comparison with the baseline.",
                    "Shows the minutes saved compared with the baseline.",
                ),
                files=2,
            ),
            reflection(
                "What did you do with the time you saved? Which students still struggle "
                "with the routine, and what will you do?",
                NEXT_STEPS,
            ),
        ],
    ),
    definition(
        "flexible-grouping",
        "Flexible grouping from evidence",
        ["5.2"],
        "Group students by current evidence of learning, and change the groups as it changes.",
        "The teacher forms short-term groups from a pre-assessment, gives each group a task that "
        "leads to the same goal with different support, and regroups after the next check so no "
        "student is stuck in a fixed track.",
        [
            "Pre-assess the skill before the unit.",
            "Form groups for a few lessons, not a term.",
            "Keep the goal the same; vary support and scaffolds.",
            "Regroup after every check.",
        ],
        "Tomlinson, C. A. (2014). The Differentiated Classroom: Responding to the Needs of All "
        "Learners (2nd ed.). ASCD.\nLou, Y., Abrami, P. C., Spence, J. C., Poulsen, C., Chambers, "
        "B., & d'Apollonia, S. (1996). Within-class grouping: A meta-analysis. Review of "
        "Educational Research, 66(4), 423–458.",
        [{"title": "CAST: Universal Design for Learning", "url": "https://www.cast.org/"}],
        [
            overview("Describe the class, the unit and the pre-assessment you used.", CONTEXT),
            artifact(
                "Groups and tasks",
                "Upload the pre-assessment results (anonymised), the groups and each group's task.",
                ["document", "image"],
                crit(
                    "Groups follow evidence",
                    "Groups are formed by prior grades or labels, not this pre-assessment.",
                    "Each group is justified by the pre-assessment results.",
                ),
                crit(
                    "Same goal, different support",
                    "Some groups work toward a lower goal.",
                    "All tasks lead to the same goal with scaffolds matched to the group.",
                    "Scaffolds are planned to fade as students gain independence.",
                ),
            ),
            artifact(
                "Regrouping",
                "Upload the second check's results and the new groups.",
                ["document", "image"],
                crit(
                    "Groups change",
                    "Groups stay the same after the second check.",
                    "Students move between groups according to the new evidence.",
                ),
                IMPACT,
            ),
            reflection("Which students moved groups, and what helped them?", NEXT_STEPS),
        ],
    ),
    definition(
        "language-objectives-and-frames",
        "Language objectives and sentence frames",
        ["5.4", "2.2"],
        "Teach the academic language of the lesson alongside its content.",
        "The teacher writes a language objective beside the content objective, identifies the "
        "language students need to talk and write about the content, and supports it with "
        "sentence frames, visuals and structured partner talk, removing frames as students grow.",
        [
            "Write a language objective naming a function (explain, compare, argue).",
            "Pre-teach key vocabulary with visuals.",
            "Provide sentence frames at two levels of support.",
            "Structure partner talk before writing.",
        ],
        "Echevarría, J., Vogt, M., & Short, D. (2017). Making Content Comprehensible for English "
        "Learners: The SIOP Model (5th ed.). Pearson.\nZwiers, J., & Crawford, M. (2011). "
        "Academic Conversations. Stenhouse.\nGibbons, P. (2015). Scaffolding Language, "
        "Scaffolding Learning (2nd ed.). Heinemann.",
        [{"title": "Colorín Colorado", "url": "https://www.colorincolorado.org/"}],
        [
            overview(
                "Describe your multilingual learners (proficiency levels, no names) and the lesson.",
                CONTEXT,
            ),
            artifact(
                "Lesson plan with language objective",
                "Upload the plan with the content and language objectives, the vocabulary and the frames.",
                ["document", "image"],
                crit(
                    "Language objective",
                    "No language objective, or it repeats the content objective.",
                    "Names a language function and the form students will use.",
                    "Differentiated for at least two proficiency levels.",
                ),
                crit(
                    "Supports",
                    "Frames or visuals are missing.",
                    "Frames, visuals and partner talk support the objective.",
                ),
            ),
            artifact(
                "Student talk or writing",
                "Upload recordings or writing samples from two multilingual learners.",
                ["document", "image", "audio", "link"],
                crit(
                    "Students use the language",
                    "Samples do not show the targeted language.",
                    "Both samples use the targeted language function with the content.",
                ),
                IMPACT,
            ),
            reflection(
                "How will you reduce the support as students gain proficiency?",
                crit(
                    "Plan for fading supports",
                    "Supports stay the same for everyone.",
                    "Describes when and how each support will be removed.",
                ),
                NEXT_STEPS,
            ),
        ],
    ),
    definition(
        "choosing-digital-tools-with-purpose",
        "Choosing digital tools with purpose",
        ["6.1"],
        "Choose a digital tool because it serves the learning goal — and check that it did.",
        "The teacher names the learning goal first, compares a digital tool with a non-digital "
        "alternative, checks accessibility and student data privacy, uses the tool, and judges "
        "from student work whether it improved learning.",
        [
            "Start from the learning goal, not the tool.",
            "Compare the tool with a non-digital alternative.",
            "Check accessibility and the district's data-privacy list.",
            "Judge the tool by student work, not engagement alone.",
        ],
        "Mishra, P., & Koehler, M. J. (2006). Technological pedagogical content knowledge: A "
        "framework for teacher knowledge. Teachers College Record, 108(6), 1017–1054.\nEscueta, "
        "M., Quan, V., Nickow, A. J., & Oreopoulos, P. (2017). Education technology: An "
        "evidence-based review (NBER Working Paper 23744).",
        [{"title": "ISTE Standards for Educators", "url": "https://iste.org/standards"}],
        [
            overview(
                "What was the learning goal, and which tool and alternative did you compare?",
                CONTEXT,
                crit(
                    "Goal first",
                    "The tool is chosen before or without a learning goal.",
                    "Explains how the tool serves the goal better than the alternative.",
                ),
            ),
            artifact(
                "Tool review",
                "Upload your review of the tool: accessibility features, privacy terms, cost.",
                ["document", "link"],
                crit(
                    "Accessibility and privacy checked",
                    "Accessibility or privacy is not considered.",
                    "Both are checked against the district's requirements.",
                ),
            ),
            artifact(
                "Student work made with the tool",
                "Upload three samples of student work (names removed).",
                ["document", "image", "link"],
                IMPACT,
            ),
            reflection("Was the tool worth the time it took? Would you use it again?", NEXT_STEPS),
        ],
        hours="10",
    ),
    definition(
        "looking-at-student-work",
        "Looking at student work together",
        ["7.1", "3.4"],
        "Study student work with colleagues using a protocol, and change teaching as a team.",
        "A team of teachers brings samples of student work on a common task, studies them with a "
        "structured protocol (describe, interpret, plan) without judging the student or teacher, "
        "and agrees on one instructional change each will try.",
        [
            "Choose a common task and collect work from each class.",
            "Follow a protocol with timed steps and a facilitator.",
            "Describe the work before interpreting it.",
            "Agree on one change and bring new work to the next meeting.",
        ],
        "Vescio, V., Ross, D., & Adams, A. (2008). A review of research on the impact of "
        "professional learning communities on teaching practice and student learning. Teaching "
        "and Teacher Education, 24(1), 80–91.\nLittle, J. W., Gearhart, M., Curry, M., & Kafka, "
        "J. (2003). Looking at student work for teacher learning. Phi Delta Kappan, 85(3), 184–192.",
        [
            {
                "title": "School Reform Initiative protocols",
                "url": "https://www.schoolreforminitiative.org/",
            }
        ],
        [
            overview(
                "Who was on the team, what was the common task, and which protocol did you use?",
                CONTEXT,
            ),
            artifact(
                "Meeting notes",
                "Upload the notes of two meetings, including the agreed changes.",
                ["document"],
                crit(
                    "Protocol followed",
                    "The meeting was an open conversation without structure.",
                    "The notes show the protocol's steps, with description before interpretation.",
                ),
                crit(
                    "Shared next step",
                    "No agreed change.",
                    "The team agrees on a specific change each member will try.",
                ),
            ),
            artifact(
                "Work before and after",
                "Upload student work on the task before and after the agreed change.",
                ["document", "image"],
                IMPACT,
            ),
            reflection(
                "What did you learn from colleagues' students' work that changed your teaching?",
                NEXT_STEPS,
            ),
        ],
    ),
    definition(
        "video-reflection-cycle",
        "Reflecting on practice with video",
        ["8.1"],
        "Record your own teaching, study it against a focus, and set a goal from what you see.",
        "The teacher chooses one focus of practice, records a lesson, watches it twice (once for "
        "the teacher's moves, once for students' responses), writes a time-stamped analysis, sets "
        "a goal, and records again to check progress.",
        [
            "Choose one focus of practice before recording.",
            "Watch once for your moves and once for students.",
            "Note time stamps of moments that matter.",
            "Set one goal and record again in three weeks.",
        ],
        "Schön, D. A. (1983). The Reflective Practitioner. Basic Books.\nTripp, T. R., & Rich, "
        "P. J. (2012). The influence of video analysis on the process of teacher change. Teaching "
        "and Teacher Education, 28(5), 728–739.\nAllen, J. P., Pianta, R. C., Gregory, A., "
        "Mikami, A. Y., & Lun, J. (2011). An interaction-based approach to enhancing secondary "
        "school instruction and student achievement. Science, 333(6045), 1034–1037.",
        [{"title": "Edutopia: video reflection", "url": "https://www.edutopia.org/"}],
        [
            overview("Which focus did you choose, and why?", CONTEXT),
            artifact(
                "First and second recordings",
                "Upload or link both recordings (about 15 minutes each).",
                ["video", "link"],
                crit(
                    "Recordings fit the focus",
                    "The recordings do not show the chosen focus.",
                    "Both recordings show the focus clearly enough to analyse.",
                ),
                files=2,
            ),
            artifact(
                "Time-stamped analysis",
                "Upload your analysis of both recordings with time stamps.",
                ["document"],
                crit(
                    "Evidence-based analysis",
                    "General impressions without time stamps.",
                    "At least five time-stamped observations about teacher moves and student responses.",
                    "Observations connect each teacher move to how students responded.",
                ),
                crit(
                    "Change between recordings",
                    "No comparison between the recordings.",
                    "Describes what changed between the two recordings.",
                ),
            ),
            reflection(
                "What did you see that you did not notice while teaching? What is your next goal?",
                NEXT_STEPS,
            ),
        ],
    ),
]
