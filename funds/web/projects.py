"""funds pages: projects (issue 15)."""

urlpatterns: list = []
