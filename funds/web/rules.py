"""funds pages: rules (issue 15)."""

urlpatterns: list = []
