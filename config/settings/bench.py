"""`make bench`: the test settings, on a database of its own (`bench_<name>`) so that a
benchmark never touches development data nor a concurrently running test suite."""

from .test import *  # noqa: F403
from .test import DATABASES

DATABASES["default"]["TEST"] = {"NAME": "bench_" + DATABASES["default"]["NAME"]}
