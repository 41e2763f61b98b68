from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    # Pages without our <link rel="icon"> (the admin's) make browsers ask for /favicon.ico.
    path("favicon.ico", lambda request: redirect(static("obligations/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.web.urls")),
    path("api/v1/", include(("config.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script as its own request (?script): no inline
    # script, so the page works under the Content-Security-Policy (script-src 'self').
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
         name="api-docs"),
    path("dashboard/", include("monitoring.urls")),
    path("funds/", include("funds.urls")),
    path("households/", include("households.urls")),
    path("", include("obligations.web.urls")),
]
