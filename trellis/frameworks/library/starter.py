"""Trellis Teaching Competencies: the starter framework of educator practice shipped with Trellis.

Written for Trellis in its own words. It follows the usual shape of public teaching standards
(planning, instruction, assessment, environment, professional responsibility, …) without copying
any of them, so districts may use, copy and edit it freely.
"""

from __future__ import annotations

from trellis.frameworks.library.spec import FrameworkSpec, LevelSpec, competency, domain

DEFAULT_LEVELS = (
    LevelSpec(1, "Emerging", "Beginning to try the practice, with support and uneven results."),
    LevelSpec(2, "Developing", "Uses the practice regularly; results vary across lessons."),
    LevelSpec(3, "Proficient", "Uses the practice consistently and it works for students.", True),
    LevelSpec(4, "Leading", "Adapts the practice with ease and helps colleagues grow in it."),
)

_PLANNING = domain(
    "1",
    "Planning for Learning",
    "Designs learning that starts from clear goals and from what students already know.",
    (
        competency(
            "1.1",
            "Knowing the content and how students learn it",
            "Understands the subject deeply enough to anticipate where students will stumble "
            "and to choose explanations that build real understanding.",
            (
                "Connects new ideas to earlier learning and to later topics.",
                "Anticipates common misconceptions and plans how to surface them.",
                "Keeps subject knowledge current through reading and practice.",
            ),
        ),
        competency(
            "1.2",
            "Setting clear learning goals",
            "Writes goals that say what students will know or be able to do, at the right level "
            "of challenge, and shares them in words students understand.",
            (
                "States goals in terms of student learning, not activities.",
                "Aligns goals with the district's standards and curriculum.",
                "Checks that each goal is demanding yet reachable for the class.",
            ),
        ),
        competency(
            "1.3",
            "Designing coherent lessons and units",
            "Sequences tasks so that each one builds toward the goal and leaves time for practice, "
            "feedback and reflection.",
            (
                "Orders tasks from accessible entry points to more complex work.",
                "Plans how and when learning will be checked along the way.",
                "Builds in time for students to practise and to revise their work.",
            ),
        ),
        competency(
            "1.4",
            "Choosing and adapting materials",
            "Selects high-quality curriculum materials and adapts them thoughtfully for the "
            "students in the room.",
            (
                "Uses adopted curriculum materials as intended before changing them.",
                "Adapts texts and tasks so every student can reach the same goal.",
            ),
        ),
    ),
)

_INSTRUCTION = domain(
    "2",
    "Instruction and Engagement",
    "Leads lessons in which students do the thinking and stay engaged in meaningful work.",
    (
        competency(
            "2.1",
            "Explaining and modelling clearly",
            "Presents ideas, directions and worked examples in ways students can follow and use.",
            (
                "Gives directions that students can act on without repeated help.",
                "Models thinking aloud, including how to recover from mistakes.",
                "Uses precise vocabulary and checks that students can use it too.",
            ),
        ),
        competency(
            "2.2",
            "Questioning and discussion",
            "Asks questions that make students reason, and structures talk so that many voices "
            "are heard.",
            (
                "Poses open questions and allows time for everyone to think.",
                "Asks students to build on, question or justify one another's ideas.",
                "Uses discussion routines that bring in quieter students.",
            ),
        ),
        competency(
            "2.3",
            "Engaging students in rigorous work",
            "Gives students tasks that require effort, choice and real thinking, and keeps the "
            "pace purposeful.",
            (
                "Most class time is spent with students actively working on the goal.",
                "Offers meaningful choices in how students learn or show learning.",
            ),
        ),
        competency(
            "2.4",
            "Responding to students during the lesson",
            "Notices when learning stalls or races ahead and changes course while the lesson is "
            "still under way.",
            (
                "Adjusts grouping, pacing or examples based on what students show.",
                "Treats unexpected student ideas as openings for learning.",
            ),
        ),
    ),
)

_ASSESSMENT = domain(
    "3",
    "Assessment and Feedback",
    "Gathers evidence of learning and uses it to guide both students and teaching.",
    (
        competency(
            "3.1",
            "Designing assessments that match the goals",
            "Builds or selects assessments that measure the intended learning and give students "
            "several ways to show it.",
            (
                "Each assessment item traces back to a stated learning goal.",
                "Shares success criteria or exemplars before students begin.",
                "Offers accommodations that keep the goal intact.",
            ),
        ),
        competency(
            "3.2",
            "Checking for understanding",
            "Uses quick, frequent checks during lessons to see who has learned what.",
            (
                "Collects evidence from every student, not only volunteers.",
                "Uses the results the same day to decide what to reteach.",
            ),
        ),
        competency(
            "3.3",
            "Giving useful feedback",
            "Gives timely, specific feedback that tells students where they are and what to do next.",
            (
                "Feedback names strengths and one clear next step.",
                "Students have time to act on feedback and improve their work.",
                "Teaches students to give helpful feedback to each other.",
            ),
        ),
        competency(
            "3.4",
            "Using data to plan",
            "Looks at patterns in student work and results to plan instruction and support.",
            (
                "Reviews results by group to spot gaps in opportunity or outcomes.",
                "Sets and revisits goals with students based on their progress.",
            ),
        ),
    ),
)

_COMMUNITY = domain(
    "4",
    "Classroom Community",
    "Creates a safe, respectful and organised place where every student belongs and can learn.",
    (
        competency(
            "4.1",
            "Building relationships and respect",
            "Knows students as people and shows each of them warmth, respect and high "
            "expectations.",
            (
                "Learns and uses students' names, interests and goals.",
                "Responds to disrespect promptly and restores relationships afterwards.",
                "Shows by word and action that every student is expected to succeed.",
            ),
        ),
        competency(
            "4.2",
            "Routines and organisation",
            "Teaches and maintains routines so that time, space and materials serve learning.",
            (
                "Transitions and everyday procedures run with little lost time.",
                "Students take on responsibility for routines as the year goes on.",
            ),
        ),
        competency(
            "4.3",
            "A culture of effort and learning",
            "Makes it normal to take risks, make mistakes and keep working at hard things.",
            (
                "Treats mistakes as useful information rather than failure.",
                "Celebrates growth and persistence, not only high scores.",
            ),
        ),
        competency(
            "4.4",
            "Supporting positive behaviour",
            "Sets clear expectations and responds to behaviour consistently, fairly and in ways "
            "that teach.",
            (
                "Expectations are posted, taught and practised.",
                "Responses to misbehaviour are calm, proportionate and private when possible.",
                "Reviews behaviour data for patterns of unfair treatment.",
            ),
        ),
    ),
)

_EQUITY = domain(
    "5",
    "Equity and Diverse Learners",
    "Makes sure that each student, whatever their background, language or disability, gets "
    "what they need to reach ambitious goals.",
    (
        competency(
            "5.1",
            "Building on students' strengths and backgrounds",
            "Draws on students' cultures, languages and experiences as resources for learning.",
            (
                "Includes texts, examples and voices that reflect the students in the class.",
                "Invites families to share knowledge that connects to the curriculum.",
            ),
        ),
        competency(
            "5.2",
            "Differentiating instruction",
            "Varies support, pacing and tasks so that students with different needs reach the "
            "same high goals.",
            (
                "Uses flexible groups that change with evidence of learning.",
                "Provides scaffolds that are removed as students gain independence.",
                "Extends learning for students who are ready for more.",
            ),
        ),
        competency(
            "5.3",
            "Supporting students with disabilities",
            "Carries out individual education plans and accommodations faithfully and works with "
            "specialists to help students progress.",
            (
                "Knows each student's plan and provides the accommodations it lists.",
                "Collaborates with special educators on goals and progress monitoring.",
            ),
        ),
        competency(
            "5.4",
            "Supporting multilingual learners",
            "Helps students learn content and academic language at the same time.",
            (
                "Plans language goals alongside content goals.",
                "Uses visuals, sentence frames and home languages to make content accessible.",
            ),
        ),
    ),
)

_TECHNOLOGY = domain(
    "6",
    "Technology for Learning",
    "Uses digital tools where they improve learning, and teaches students to use them well.",
    (
        competency(
            "6.1",
            "Choosing digital tools with purpose",
            "Picks technology because it serves a learning goal, and checks that it does.",
            (
                "Can explain how a chosen tool helps students reach the goal.",
                "Checks accessibility and data privacy before adopting a tool.",
            ),
        ),
        competency(
            "6.2",
            "Teaching responsible digital citizenship",
            "Teaches students to stay safe, judge sources and act respectfully online.",
            (
                "Teaches students to check the reliability of online information.",
                "Sets and models norms for respectful online communication.",
            ),
        ),
        competency(
            "6.3",
            "Using technology to personalise learning",
            "Uses digital tools to give students practice, feedback and choices matched to their "
            "needs.",
            (
                "Uses tool data to adjust practice for individual students.",
                "Lets students create with technology, not only consume content.",
            ),
        ),
    ),
)

_COLLABORATION = domain(
    "7",
    "Collaboration and Leadership",
    "Works with colleagues and families, and helps the school improve.",
    (
        competency(
            "7.1",
            "Collaborating with colleagues",
            "Plans, studies student work and solves problems together with other educators.",
            (
                "Contributes actively to team planning and data meetings.",
                "Shares materials and opens their classroom to peers.",
            ),
        ),
        competency(
            "7.2",
            "Partnering with families and communities",
            "Keeps families informed and involved as partners in their children's learning.",
            (
                "Communicates with families regularly, not only when problems arise.",
                "Offers ways to communicate that suit families' languages and schedules.",
                "Connects students with community resources and opportunities.",
            ),
        ),
        competency(
            "7.3",
            "Leading and sharing practice",
            "Takes on roles that help colleagues improve, such as mentoring, coaching or leading "
            "professional learning.",
            (
                "Mentors new colleagues or leads a team or learning community.",
                "Shares evidence of effective practice beyond their own classroom.",
            ),
        ),
    ),
)

_PROFESSIONAL = domain(
    "8",
    "Professional Responsibility and Growth",
    "Reflects honestly, keeps learning, and acts with integrity.",
    (
        competency(
            "8.1",
            "Reflecting on practice",
            "Looks at the effects of their teaching on students and uses what they see to improve.",
            (
                "Names specific strengths and areas to grow, backed by evidence.",
                "Seeks feedback from students, peers and leaders.",
            ),
        ),
        competency(
            "8.2",
            "Pursuing professional learning",
            "Sets growth goals and follows through with learning that changes practice.",
            (
                "Sets at least one professional goal each year and tracks progress.",
                "Tries out new learning in the classroom and reflects on results.",
            ),
        ),
        competency(
            "8.3",
            "Acting ethically and keeping accurate records",
            "Follows laws and policies, protects student privacy and keeps records that are "
            "accurate and current.",
            (
                "Keeps grades, attendance and required records accurate and on time.",
                "Protects confidential student information.",
                "Advocates for students' wellbeing and reports concerns as required.",
            ),
        ),
    ),
)

STARTER = FrameworkSpec(
    key="starter",
    title="Trellis Teaching Competencies",
    description=(
        "A starter framework of teaching practice written for Trellis: eight domains, each with "
        "competencies and observable indicators. Adopt it as is, or copy and adapt it to your "
        "district's language."
    ),
    source="starter",
    purpose="educator_practice",
    version="2026.1",
    levels=DEFAULT_LEVELS,
    items=(
        _PLANNING,
        _INSTRUCTION,
        _ASSESSMENT,
        _COMMUNITY,
        _EQUITY,
        _TECHNOLOGY,
        _COLLABORATION,
        _PROFESSIONAL,
    ),
    subject="Teaching practice",
)
