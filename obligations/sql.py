"""Small helpers for the set-based SQL of jobs."""

from contextlib import contextmanager


@contextmanager
def hash_joins(cursor):
    """Within the block, no nested loops: the jobs join large sets (arrays, temp tables) whose
    size the planner cannot see, and a nested loop over them is quadratic. Reset afterwards, so
    a caller's later queries (a request, a test) are planned normally."""
    cursor.execute("SET LOCAL enable_nestloop = off")
    try:
        yield
    finally:
        cursor.execute("RESET enable_nestloop")
