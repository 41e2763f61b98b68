"""What the register tells the modules built on it when its figures change.

obligations never imports those modules (the import-linter contracts in pyproject.toml):
it sends `register_changed`, and monitoring (which keeps the progress summaries) listens.
Services call `register_changed_on_commit()` inside their transaction; the signal goes out
only if the transaction commits, so a rolled-back write rebuilds nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# Arguments: regions (codes of the regions whose tasks changed; empty: unknown / all),
# sync (True: rebuild now, in this process — commands such as load_seed; False: queue it).
register_changed = Signal()


def register_changed_on_commit(*, regions=(), sync: bool = False) -> None:
    codes = sorted({code for code in regions if code})
    transaction.on_commit(
        lambda: register_changed.send(sender="obligations", regions=codes, sync=sync))


def regions_of_tasks(tasks) -> list[str]:
    """The region codes of the units of `tasks` (a queryset), for the signal."""
    return list(tasks.order_by().values_list("unit__region__code", flat=True).distinct())
