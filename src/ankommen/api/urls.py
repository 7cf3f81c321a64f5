from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from ankommen.api import views
from ankommen.api.allocations import AllocationImportView
from ankommen.finance import api as finance_api
from ankommen.housing import api as housing_api

router = DefaultRouter()
router.register("persons", views.PersonViewSet, basename="person")
router.register("search", views.PersonSearchViewSet, basename="search")
router.register("households", views.HouseholdViewSet, basename="household")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "occupancy/facilities/",
        housing_api.FacilityOccupancyList.as_view(),
        name="occupancy-facilities",
    ),
    path(
        "occupancy/facilities/<int:pk>/",
        housing_api.FacilityOccupancyDetail.as_view(),
        name="occupancy-facility",
    ),
    path(
        "occupancy/municipalities/",
        housing_api.MunicipalityOccupancyList.as_view(),
        name="occupancy-municipalities",
    ),
    path(
        "occupancy/municipalities/<int:pk>/",
        housing_api.MunicipalityOccupancyDetail.as_view(),
        name="occupancy-municipality",
    ),
    path("allocation-imports/", AllocationImportView.as_view(), name="api-allocation-imports"),
    path("claims/", finance_api.ClaimView.as_view(), name="api-claim"),
    path("claims/file/", finance_api.ClaimFileView.as_view(), name="api-claim-file"),
    path("finance-rules/", finance_api.RuleListView.as_view(), name="api-finance-rules"),
    path("", include(router.urls)),
]
