from django.urls import path

from ankommen.housing import views

app_name = "housing"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("gemeinden/<int:pk>/", views.municipality, name="municipality"),
    path("unterkuenfte/<int:pk>/", views.facility, name="facility"),
    path("unterkuenfte/<int:pk>/zimmer/", views.room_create, name="room_create"),
    path("unterkuenfte/<int:pk>/merkmale/", views.facility_features, name="facility_features"),
    path("betten/<int:pk>/zustand/", views.bed_state, name="bed_state"),
    path("haushalte/<int:pk>/", views.household, name="household"),
    path("haushalte/<int:pk>/umzug/", views.household_move, name="household_move"),
    path("haushalte/<int:pk>/auszug/", views.household_move_out, name="household_move_out"),
    path("haushalte/<int:pk>/wohnungsbereit/", views.household_ready, name="household_ready"),
    path("wohnphase/", views.shelter_stays, name="shelter_stays"),
    path("vorschlag/", views.placement, name="placement"),
    path("vorschlag/<int:pk>/", views.placement_run, name="placement_run"),
    path("vorschlag/<int:pk>/status/", views.placement_status, name="placement_status"),
    path("vorschlag/<int:pk>/annehmen/", views.placement_accept, name="placement_accept"),
    path(
        "vorschlag/<int:pk>/aendern/<str:household>/",
        views.placement_change,
        name="placement_change",
    ),
]
