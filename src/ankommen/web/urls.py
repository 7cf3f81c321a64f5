from django.contrib.auth import views as auth_views
from django.urls import path

from ankommen.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("konto/anmelden/", views.LoginView.as_view(), name="login"),
    path("konto/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/zweiter-faktor/", views.otp, name="otp"),
    path("konto/zweiter-faktor/qr.svg", views.otp_qr, name="otp_qr"),
    path("suche/", views.search, name="search"),
    path("haushalte/<int:pk>/", views.household_detail, name="household"),
    path("protokoll/", views.audit_log, name="audit"),
    path("bereiche/<slug:slug>/", views.field_of_action, name="field"),
]
