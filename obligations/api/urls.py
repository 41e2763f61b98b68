from django.urls import path

from obligations.api import intake, views


def register(router) -> None:
    """obligations' endpoints on the project's /api/v1/ router (config/api_urls.py)."""
    router.register("regions", views.RegionViewSet, basename="region")
    router.register("units", views.UnitViewSet, basename="unit")
    router.register("documents", views.DocumentViewSet, basename="document")
    router.register("obligations", views.ObligationViewSet, basename="obligation")
    router.register("tasks", views.TaskViewSet, basename="task")
    router.register("milestones", views.MilestoneViewSet, basename="milestone")
    router.register("reports", views.ReportViewSet, basename="report")
    router.register("targets", views.TargetViewSet, basename="target")
    router.register("periods", views.PeriodViewSet, basename="period")
    router.register("dispositions", views.DispositionViewSet, basename="disposition")
    router.register("document-uploads", intake.DocumentUploadViewSet, basename="document-upload")


urlpatterns = [
    path("responsibility-list/", views.ResponsibilityListView.as_view(), name="responsibility-list"),
]
