from django.urls import path

from ankommen.planning import views

app_name = "planning"
urlpatterns = [
    path("kapazitaet/", views.capacity, name="capacity"),
    path("kapazitaet/ergebnisse/", views.capacity_results, name="capacity_results"),
    path("kapazitaet/aenderungen/", views.planned_change_create, name="planned_change_create"),
    path("kapazitaet/kosten/", views.cost_create, name="cost_create"),
    path("szenarien/", views.scenario_create, name="scenario_create"),
    path("szenarien/<int:pk>/", views.scenario, name="scenario"),
    path("szenarien/<int:pk>/loeschen/", views.scenario_delete, name="scenario_delete"),
    path("aenderungen/<int:pk>/loeschen/", views.change_delete, name="change_delete"),
]
