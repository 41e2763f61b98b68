"""The obligations app's tables: the register (documents, units, obligations, tasks) and
the periods and close-out dispositions, the schedule (deadlines, milestones, rules, indicator targets)."""

from .api import ApiClient  # noqa: F401, E402
from .imports import DocumentUpload, ListImport  # noqa: F401
from .periods import Disposition, Period  # noqa: F401
from .register import (  # noqa: F401
    CollectiveUnit,
    DataFlag,
    Membership,
    Obligation,
    ObligationPerson,
    ObligationUnit,
    Person,
    PolicyDocument,
    Region,
    RegionCategory,
    Task,
    Unit,
    UnitAlias,
    UnitRename,
)
from .schedule import (  # noqa: F401
    IndicatorTarget,
    IndicatorValue,
    Milestone,
    Reminder,
    TransitionRule,
)
from .workflow import (  # noqa: F401
    AuditEntry,
    Evidence,
    Notification,
    ProgressReport,
    ReportedValue,
)
