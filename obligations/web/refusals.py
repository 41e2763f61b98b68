"""A service's refusal on a page (funds, households): a ValidationError with code "forbidden"
is a 403 (the user may not take the step); any other is a Chinese message to show."""

from django.core.exceptions import PermissionDenied, ValidationError


def refusal(exc: ValidationError) -> str:
    """The message to show, or PermissionDenied for a forbidden step."""
    if getattr(exc, "code", None) == "forbidden" or any(
            getattr(e, "code", None) == "forbidden" for e in getattr(exc, "error_list", [])):
        raise PermissionDenied(exc.messages[0])
    return "；".join(exc.messages)
