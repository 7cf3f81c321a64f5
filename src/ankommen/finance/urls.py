from django.urls import path

from ankommen.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.claim, name="claim"),
    path("antrag.<str:fmt>", views.claim_file, name="claim_file"),
    path("regeln/neu/", views.rule_create, name="rule_create"),
    path("zahlungen/neu/", views.payment_create, name="payment_create"),
]
