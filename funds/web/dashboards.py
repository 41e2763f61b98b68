"""funds pages: dashboards (issue 15)."""

urlpatterns: list = []
