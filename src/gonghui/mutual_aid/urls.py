from django.urls import path

from . import views

app_name = "mutual_aid"
urlpatterns = [
    path("", views.index, name="index"),
    path("enrol/", views.enrol, name="enrol"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/form.docx", views.batch_docx, name="batch_docx"),
    path("batches/<int:pk>/add/", views.batch_add, name="batch_add"),
    path("batches/<int:pk>/join/", views.batch_join, name="batch_join"),
    path("batches/<int:pk>/rehome/", views.batch_rehome, name="batch_rehome"),
    path("export/items/", views.export_items, name="export_items"),
    path("export/claims/", views.export_claims, name="export_claims"),
    path("claims/", views.claims, name="claims"),
    path("claims/new/<int:item>/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/payee/", views.claim_payee, name="claim_payee"),
    path("claims/<int:pk>/account/", views.claim_account, name="claim_account"),
    path("claims/<int:pk>/documents/", views.claim_document_add, name="claim_document_add"),
    path("claims/documents/<int:pk>/", views.claim_document, name="claim_document"),
    path("claims/<int:pk>/<str:step>/", views.claim_act, name="claim_act"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan>/edit/", views.plan_edit, name="plan_edit"),
    path("form-template/", views.form_template, name="form_template"),
    path("form-template/download/", views.form_template_download, name="form_template_download"),
    path("plans/<int:plan>/terms/new/", views.term_new, name="term_new"),
]
