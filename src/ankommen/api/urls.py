from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from ankommen.api import views
from ankommen.api.allocations import AllocationImportView

router = DefaultRouter()
router.register("persons", views.PersonViewSet, basename="person")
router.register("search", views.PersonSearchViewSet, basename="search")
router.register("households", views.HouseholdViewSet, basename="household")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("allocation-imports/", AllocationImportView.as_view(), name="api-allocation-imports"),
    path("", include(router.urls)),
]
