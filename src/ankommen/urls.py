from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("ankommen.api.urls")),
    path("unterbringung/", include("ankommen.housing.urls")),
    path("planung/", include("ankommen.planning.urls")),
    path("planung/", include("ankommen.planning.urls_intake")),
    path("gesundheit/", include("ankommen.health.urls")),
    path("finanzen/", include("ankommen.finance.urls")),
    path("beratung/", include("ankommen.casework.urls")),
    path("", include("ankommen.web.urls")),
]

handler404 = "ankommen.api.problems.not_found_handler"
