from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from ankommen.api import views
from ankommen.api.allocations import AllocationImportView
from ankommen.casework import api as casework_api
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
    path("casework/cases/", casework_api.CaseList.as_view(), name="casework-cases"),
    path("casework/cases/<int:pk>/", casework_api.CaseDetail.as_view(), name="casework-case"),
    path(
        "casework/cases/<int:pk>/contacts/",
        casework_api.CaseContacts.as_view(),
        name="casework-contacts",
    ),
    path(
        "casework/cases/<int:pk>/referrals/",
        casework_api.CaseReferrals.as_view(),
        name="casework-referrals",
    ),
    path("casework/cases/<int:pk>/goals/", casework_api.CaseGoals.as_view(), name="casework-goals"),
    path(
        "casework/referrals/<int:pk>/",
        casework_api.ReferralDetail.as_view(),
        name="casework-referral",
    ),
    path("casework/goals/<int:pk>/", casework_api.GoalDetail.as_view(), name="casework-goal"),
    path("casework/overdue/", casework_api.Overdue.as_view(), name="casework-overdue"),
    path("casework/caseload/", casework_api.Caseload.as_view(), name="casework-caseload"),
    path("", include(router.urls)),
]
