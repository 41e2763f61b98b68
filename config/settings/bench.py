"""`make bench`: the test settings, on a database of its own (`bench_<name>`, or
BENCH_DATABASE_NAME) so that a benchmark never touches development data nor a concurrently
running test suite or another benchmark."""

import os

from .test import *  # noqa: F403
from .test import DATABASES

DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("BENCH_DATABASE_NAME") or "bench_" + DATABASES["default"]["NAME"]}
