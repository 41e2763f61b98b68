"""What every page's header shows: the user's roles and unread notifications (one query each)."""

from obligations.models import Notification
from obligations.selectors import scope


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_roles": scope.roles(user),
        "nav_can_review": scope.can_review(user),
        "nav_can_import": scope.can_import_lists(user),
        "nav_unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }
