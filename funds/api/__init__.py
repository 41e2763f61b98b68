"""/api/v1/funds/…: each part registers its own viewsets (funds/api/*.py)."""


def register(router) -> None:
    from funds.api import dashboards, projects, rules

    for part in (projects, rules, dashboards):
        part.register(router)
