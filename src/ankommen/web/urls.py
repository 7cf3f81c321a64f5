from django.contrib.auth import views as auth_views
from django.urls import path

from ankommen.web import views, views_allocations, views_arrivals, views_people, views_privacy

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("konto/anmelden/", views.LoginView.as_view(), name="login"),
    path("konto/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/zweiter-faktor/", views.otp, name="otp"),
    path("konto/zweiter-faktor/qr.svg", views.otp_qr, name="otp_qr"),
    path("suche/", views.search, name="search"),
    path("haushalte/neu/", views_people.household_create, name="household_create"),
    path("haushalte/<int:pk>/", views.household_detail, name="household"),
    path("haushalte/<int:pk>/personen/neu/", views_people.person_create, name="person_create"),
    path("personen/<int:pk>/", views_people.person_detail, name="person"),
    path("personen/<int:pk>/bearbeiten/", views_people.person_edit, name="person_edit"),
    path(
        "personen/<int:pk>/aufenthaltsstatus/neu/",
        views_people.residence_status_create,
        name="residence_status_create",
    ),
    path(
        "personen/<int:pk>/schutzbedarf/neu/",
        views_people.vulnerability_create,
        name="vulnerability_create",
    ),
    path(
        "personen/<int:pk>/einwilligungen/neu/",
        views_people.consent_create,
        name="consent_create",
    ),
    path(
        "personen/<int:pk>/einwilligungen/<int:consent_pk>/widerrufen/",
        views_people.consent_withdraw,
        name="consent_withdraw",
    ),
    path("personen/<int:pk>/auskunft/", views_privacy.subject_export, name="subject_export"),
    path("protokoll/", views.audit_log, name="audit"),
    path("bereiche/<slug:slug>/", views.field_of_action, name="field"),
    # Allocation lists and the stress-free arrival (issue 5, parts 2 and 3)
    path("unterbringung/zuweisungslisten/", views_allocations.upload, name="allocation_upload"),
    path(
        "unterbringung/zuweisungslisten/<int:pk>/",
        views_allocations.preview,
        name="allocation_preview",
    ),
    path(
        "unterbringung/zuweisungslisten/<int:pk>/importieren/",
        views_allocations.confirm,
        name="allocation_confirm",
    ),
    path(
        "unterbringung/zuweisungslisten/<int:pk>/status/",
        views_allocations.status,
        name="allocation_status",
    ),
    path(
        "unterbringung/zuweisungslisten/<int:pk>/fehler.csv",
        views_allocations.errors_csv,
        name="allocation_errors_csv",
    ),
    path("unterbringung/ankuenfte/", views_arrivals.board, name="arrival_board"),
    path("unterbringung/ankuenfte/<int:pk>/", views_arrivals.detail, name="arrival"),
    path("unterbringung/ankuenfte/<int:pk>/unterkunft/", views_arrivals.plan, name="arrival_plan"),
    path(
        "unterbringung/ankuenfte/<int:pk>/schutzbedarf/",
        views_arrivals.assess,
        name="arrival_assess",
    ),
    path(
        "unterbringung/ankuenfte/aufgaben/<int:pk>/",
        views_arrivals.toggle_task,
        name="arrival_task",
    ),
]
