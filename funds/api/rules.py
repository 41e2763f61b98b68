"""/api/v1/funds/ endpoints: rules (issue 15)."""


def register(router) -> None:
    pass
