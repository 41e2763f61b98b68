"""/households/ pages (households/web/)."""

from households.web import pages

app_name = "households"
urlpatterns = [*pages.urlpatterns]
