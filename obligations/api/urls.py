from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("units", views.UnitViewSet, basename="unit")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("obligations", views.ObligationViewSet, basename="obligation")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("reports", views.ReportViewSet, basename="report")
router.register("targets", views.TargetViewSet, basename="target")
router.register("progress", views.ProgressViewSet, basename="progress")
router.register("assessment-results", views.AssessmentViewSet, basename="assessment")

urlpatterns = [
    path("responsibility-list/", views.ResponsibilityListView.as_view(), name="responsibility-list"),
    *router.urls,
]
