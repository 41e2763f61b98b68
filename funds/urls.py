"""/funds/ pages: each part of the module keeps its own URL list (funds/web/*.py)."""

from funds.web import dashboards, imports, projects, rules

app_name = "funds"
urlpatterns = [*projects.urlpatterns, *rules.urlpatterns, *dashboards.urlpatterns,
               *imports.urlpatterns]
