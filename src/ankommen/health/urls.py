from django.urls import path

from ankommen.health import views

app_name = "health"
urlpatterns = [
    path("personen/<int:pk>/", views.record, name="person"),
    path("personen/<int:pk>/erstuntersuchung/", views.examination, name="examination"),
    path("personen/<int:pk>/impfung/", views.vaccination, name="vaccination"),
    path("personen/<int:pk>/erkrankung/", views.condition, name="condition"),
    path("personen/<int:pk>/screening/", views.screening, name="screening"),
    path("personen/<int:pk>/ueberweisung/", views.referral, name="referral"),
    path("personen/<int:pk>/versorgung/", views.care_route, name="care_route"),
    path("personen/<int:pk>/termin/", views.booking, name="booking"),
    path(
        "personen/<int:pk>/ueberweisungen/<int:referral_pk>/status/",
        views.referral_status,
        name="referral_status",
    ),
    path(
        "personen/<int:pk>/termine/<int:booking_pk>/teilnahme/",
        views.booking_attendance,
        name="booking_attendance",
    ),
    path("erinnerungen/", views.reminders, name="worklist"),
    path("sprechstunden/", views.hours_overview, name="hours"),
    path("sprechstunden/<int:pk>/", views.facility_hours, name="facility_hours"),
]
