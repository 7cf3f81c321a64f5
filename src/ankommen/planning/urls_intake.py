from django.urls import path

from ankommen.planning import views_intake as views

app_name = "intake"
urlpatterns = [
    path("<slug:slug>/prior/", views.prior, name="prior"),
    path("<slug:slug>/reihen/", views.series_upload, name="series_upload"),
    path("<slug:slug>/kette/", views.chain_link, name="chain_link"),
    path("<slug:slug>/aufnahmesoll/", views.aufnahmesoll, name="aufnahmesoll"),
    path("<slug:slug>/freimeldung/", views.freimeldung, name="freimeldung"),
    path(
        "<slug:slug>/freimeldung.<str:extension>",
        views.freimeldung_file,
        name="freimeldung_file",
    ),
]
