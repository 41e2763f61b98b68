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
    path("period/", views.period_summary_latest, name="period_summary_latest"),
    path("period/<int:period_id>/", views.period_summary_page, name="period_summary"),
    path("period/<int:period_id>/region/<str:code>/", views.period_summary_page,
         name="period_summary_region"),
    path("period/<int:period_id>/region/<str:code>/word/", views.period_summary_word,
         name="period_summary_word"),
    path("period/<int:period_id>/region/<str:code>/excel/", views.period_summary_excel,
         name="period_summary_excel"),
]
