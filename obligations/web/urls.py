from django.urls import path

from obligations.web import closeout_views, import_views, intake_views, views

app_name = "obligations"

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report/", views.report, name="report"),
    path("review/", views.review_queue, name="review"),
    path("close-out/", closeout_views.close_out, name="close_out"),
    path("close-out/linkage/", closeout_views.linkage_upload, name="linkage_upload"),
    path("close-out/linkage/preview/", closeout_views.linkage_preview, name="linkage_preview"),
    path("review/approve/", views.approve_selected, name="approve_selected"),
    path("reports/<int:pk>/approve/", views.approve, name="approve"),
    path("reports/<int:pk>/return/", views.return_, name="return"),
    path("notifications/", views.notifications, name="notifications"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("register/documents/", intake_views.upload, name="document_uploads"),
    path("register/documents/<int:pk>/", intake_views.detail, name="document_upload"),
    path("register/documents/<int:pk>/progress/", intake_views.progress,
         name="document_upload_progress"),
    path("register/documents/<int:pk>/measures/<int:index>/", intake_views.correct,
         name="document_upload_correct"),
    path("register/documents/<int:pk>/measures/<int:index>/split/", intake_views.split,
         name="document_upload_split"),
    path("register/documents/<int:pk>/measures/<int:index>/merge/", intake_views.merge,
         name="document_upload_merge"),
    path("register/documents/<int:pk>/period/", intake_views.set_period,
         name="document_upload_period"),
    path("register/documents/<int:pk>/publish/", intake_views.publish,
         name="document_upload_publish"),
    path("register/documents/<int:pk>/file/", intake_views.original,
         name="document_upload_file"),
    path("register/import/", import_views.upload, name="list_import"),
    path("register/import/<int:pk>/", import_views.preview, name="list_import_preview"),
    path("register/import/<int:pk>/confirm/", import_views.confirm, name="list_import_confirm"),
]
