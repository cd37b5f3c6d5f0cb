"""The fixed demo cast (DESIGN §7) and the pools realistic synthetic people are drawn from."""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "trellis-demo"  # noqa: S105 - documented demo password, demo data only


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    grade_span: str
    grade_bands: tuple[str, ...]


@dataclass(frozen=True)
class PersonSpec:
    email: str
    full_name: str
    roles: tuple[str, ...]
    school: str | None
    position: str
    years: int
    subjects: tuple[str, ...] = ()
    grade_bands: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    slug: str
    state_code: str
    schools: tuple[SchoolSpec, ...]
    cast: tuple[PersonSpec, ...]
    extra_educators: int
    email_domain: str = field(default="")


PINE_VALLEY_SCHOOLS = (
    SchoolSpec("Maple Grove Elementary", "K-5", ("k_5",)),
    SchoolSpec("Riverside Elementary", "PK-5", ("pre_k", "k_5")),
    SchoolSpec("Pine Valley Middle School", "6-8", ("6_8",)),
    SchoolSpec("Pine Valley High School", "9-12", ("9_12",)),
)

PINE_VALLEY_CAST = (
    PersonSpec(
        "educator@pinevalley.test",
        "Jordan Rivera",
        ("educator",),
        "Pine Valley Middle School",
        "teacher",
        1,
        ("Mathematics",),
        ("6_8",),
        "2nd-year math teacher",
    ),
    PersonSpec(
        "veteran@pinevalley.test",
        "Margaret Okafor",
        ("educator",),
        "Pine Valley High School",
        "teacher",
        20,
        ("English Language Arts",),
        ("9_12",),
        "20-year English teacher",
    ),
    PersonSpec(
        "coach@pinevalley.test",
        "Samuel Chen",
        ("coach", "educator"),
        "Pine Valley Middle School",
        "coach",
        11,
        ("Mathematics", "Science"),
        ("6_8",),
        "instructional coach",
    ),
    PersonSpec(
        "assessor@pinevalley.test",
        "Alicia Moreno",
        ("assessor", "educator"),
        "Maple Grove Elementary",
        "teacher",
        14,
        ("Literacy",),
        ("k_5",),
        "micro-credential assessor",
    ),
    PersonSpec(
        "principal@pinevalley.test",
        "David Thompson",
        ("approver", "educator"),
        "Pine Valley Middle School",
        "leader",
        17,
        (),
        ("6_8",),
        "principal, Pine Valley Middle School",
    ),
    PersonSpec(
        "admin@pinevalley.test",
        "Renee Washington",
        ("district_admin", "educator"),
        None,
        "district",
        15,
        (),
        (),
        "district PD leader",
    ),
)

CEDAR_RIDGE_SCHOOLS = (
    SchoolSpec("Cedar Ridge Elementary", "K-5", ("k_5",)),
    SchoolSpec("Cedar Ridge Middle School", "6-8", ("6_8",)),
    SchoolSpec("Cedar Ridge High School", "9-12", ("9_12",)),
)

CEDAR_RIDGE_CAST = (
    PersonSpec(
        "admin@cedarridge.test",
        "Thomas Nguyen",
        ("district_admin", "educator"),
        None,
        "district",
        12,
        (),
        (),
        "district PD leader",
    ),
    PersonSpec(
        "educator@cedarridge.test",
        "Priya Patel",
        ("educator",),
        "Cedar Ridge Elementary",
        "teacher",
        6,
        ("Literacy", "Mathematics"),
        ("k_5",),
        "6-year elementary teacher",
    ),
)

DEMO_DISTRICTS = (
    DistrictSpec(
        "Pine Valley",
        "pine-valley",
        "TX",
        PINE_VALLEY_SCHOOLS,
        PINE_VALLEY_CAST,
        42,
        "pinevalley.test",
    ),
    DistrictSpec(
        "Cedar Ridge",
        "cedar-ridge",
        "NY",
        CEDAR_RIDGE_SCHOOLS,
        CEDAR_RIDGE_CAST,
        18,
        "cedarridge.test",
    ),
)

FIRST_NAMES = (
    "Aaliyah",
    "Aiden",
    "Amara",
    "Andre",
    "Ava",
    "Benjamin",
    "Camila",
    "Carlos",
    "Chloe",
    "Daniel",
    "Deja",
    "Diego",
    "Elena",
    "Elijah",
    "Emily",
    "Ethan",
    "Fatima",
    "Gabriel",
    "Grace",
    "Hannah",
    "Hector",
    "Imani",
    "Isaac",
    "Jasmine",
    "Javier",
    "Jessica",
    "Kai",
    "Keisha",
    "Kevin",
    "Laura",
    "Liam",
    "Lucia",
    "Malik",
    "Maria",
    "Mason",
    "Maya",
    "Michael",
    "Nadia",
    "Noah",
    "Olivia",
    "Omar",
    "Rachel",
    "Rosa",
    "Ryan",
    "Sara",
    "Sofia",
    "Tanya",
    "Tyrone",
    "Valeria",
    "William",
    "Yusuf",
    "Zoe",
)
LAST_NAMES = (
    "Adams",
    "Ahmed",
    "Alvarez",
    "Baker",
    "Brooks",
    "Campbell",
    "Castillo",
    "Clark",
    "Davis",
    "Diaz",
    "Edwards",
    "Evans",
    "Fischer",
    "Flores",
    "Garcia",
    "Gonzalez",
    "Green",
    "Hall",
    "Harris",
    "Hernandez",
    "Hill",
    "Jackson",
    "Johnson",
    "Kim",
    "King",
    "Lee",
    "Lewis",
    "Lopez",
    "Martin",
    "Martinez",
    "Mitchell",
    "Murphy",
    "Nelson",
    "Nguyen",
    "O'Brien",
    "Ortiz",
    "Park",
    "Perez",
    "Phillips",
    "Ramirez",
    "Reyes",
    "Roberts",
    "Robinson",
    "Rodriguez",
    "Sanchez",
    "Scott",
    "Singh",
    "Smith",
    "Taylor",
    "Torres",
    "Walker",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
)
SUBJECTS_BY_BAND = {
    "pre_k": ("Early Childhood",),
    "k_5": (
        "Literacy",
        "Mathematics",
        "Science",
        "Art",
        "Music",
        "Physical Education",
        "Special Education",
    ),
    "6_8": (
        "Mathematics",
        "English Language Arts",
        "Science",
        "Social Studies",
        "World Languages",
        "Special Education",
        "English as a Second Language",
        "Physical Education",
    ),
    "9_12": (
        "Algebra",
        "Geometry",
        "Biology",
        "Chemistry",
        "Physics",
        "English Language Arts",
        "U.S. History",
        "Government",
        "Spanish",
        "Computer Science",
        "Special Education",
        "Career and Technical Education",
    ),
}
# Years of experience drawn so every career stage is present, weighted like a real staff.
EXPERIENCE_POOL = (
    0,
    0,
    1,
    1,
    2,
    2,
    3,
    3,
    4,
    5,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    17,
    19,
    21,
    24,
    28,
    31,
)
POSITION_POOL = ("teacher",) * 14 + ("para", "counselor", "specialist", "librarian")
