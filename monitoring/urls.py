from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("region/<str:code>/", views.region, name="region"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("assessment/", views.assessment, name="assessment_latest"),
    path("assessment/<int:year>/", views.assessment, name="assessment"),
    path("assessment/<int:year>/print/", views.assessment_print, name="assessment_print"),
    path("assessment/<int:year>/excel/", views.assessment_excel, name="assessment_excel"),
]
