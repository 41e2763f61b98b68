"""/api/v1/funds/ endpoints: dashboards (issue 15)."""


def register(router) -> None:
    pass
