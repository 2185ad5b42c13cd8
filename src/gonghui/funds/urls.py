from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.index, name="index"),
    path("receipts/new/", views.receipt_new, name="receipt_new"),
    path("receipts/pending/", views.pending, name="pending"),
    path("receipts/<int:pk>/", views.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/match/", views.receipt_match, name="receipt_match"),
    path("declarations/", views.declarations, name="declarations"),
    path("declarations/new/", views.declaration_new, name="declaration_new"),
    path("employers/<int:pk>/dunning/", views.dunning, name="dunning"),
    path("letter-template/", views.letter_template, name="letter_template"),
    path("letter-template/download/", views.letter_template_download, name="letter_template_download"),
    path("formalities/", views.formalities, name="formalities"),
    path("formalities/<int:pk>/", views.formality_edit, name="formality_edit"),
    path("formalities/<int:pk>/reveal/", views.formality_reveal, name="formality_reveal"),
    path("refunds/", views.refunds, name="refunds"),
    path("refunds/new/", views.refund_new, name="refund_new"),
    path("refunds/<int:pk>/", views.refund_detail, name="refund_detail"),
    path("refunds/<int:pk>/approve/", views.refund_approve, name="refund_approve"),
    path("refunds/<int:pk>/refuse/", views.refund_refuse, name="refund_refuse"),
    path("refunds/<int:pk>/pay/", views.refund_pay, name="refund_pay"),
    path("shares/", views.shares, name="shares"),
    path("dues/", views.dues, name="dues"),
    path("dues/new/", views.dues_new, name="dues_new"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/findings/new/", views.finding_new, name="finding_new"),
    path("findings/<int:pk>/rectify/", views.finding_rectify, name="finding_rectify"),
    path("export/dues/", views.export, {"what": "dues"}, name="export_dues"),
    path("export/receipts/", views.export, {"what": "receipts"}, name="export_receipts"),
    path("export/declarations/", views.export, {"what": "declarations"}, name="export_declarations"),
    path("export/formalities/", views.export, {"what": "formalities"}, name="export_formalities"),
    path("export/refunds/", views.export, {"what": "refunds"}, name="export_refunds"),
]
