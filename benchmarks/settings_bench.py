"""Settings for benchmarks only: the production settings plus a minimal view to compare against.

Everything else (DEBUG off, the database, secrets) comes from the environment the benchmark sets.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.minimal_urls"
