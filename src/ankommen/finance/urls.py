from django.urls import path

from ankommen.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.claim, name="claim"),
    path("antrag.<str:fmt>", views.claim_file, name="claim_file"),
    path("berechnen/", views.claim_start, name="claim_start"),
    path("berechnungen/<int:pk>/", views.claim_run_status, name="claim_run_status"),
    path("berechnungen/<int:pk>/antrag.<str:fmt>", views.claim_run_file, name="claim_run_file"),
    path("regeln/neu/", views.rule_create, name="rule_create"),
    path("zahlungen/neu/", views.payment_create, name="payment_create"),
]
