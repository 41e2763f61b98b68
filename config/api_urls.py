"""/api/v1/: one router over every app's endpoints. Each app registers its own viewsets;
only this composition root knows them all (obligations never imports monitoring)."""

from rest_framework.routers import DefaultRouter

import funds.api as funds_api
import households.api as households_api
from monitoring.api import views as monitoring_api
from obligations.api import urls as obligations_api

router = DefaultRouter()
obligations_api.register(router)
monitoring_api.register(router)
funds_api.register(router)
households_api.register(router)

urlpatterns = [*obligations_api.urlpatterns, *router.urls]
