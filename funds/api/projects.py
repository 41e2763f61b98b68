"""/api/v1/funds/ endpoints: projects (issue 15)."""


def register(router) -> None:
    pass
