from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("region/<str:code>/", views.region, name="region"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("assessment/", views.assessment, name="assessment_latest"),
    path("assessment/<int:year>/", views.assessment, name="assessment"),
]
