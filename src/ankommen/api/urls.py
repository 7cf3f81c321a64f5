from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from ankommen.api import arrivals as api_arrivals
from ankommen.api import housing as api_moves
from ankommen.api import views
from ankommen.api.allocations import AllocationImportView
from ankommen.api.privacy import RetentionView, SubjectAccessView
from ankommen.casework import api as casework_api
from ankommen.finance import api as finance_api
from ankommen.health import api as health_api
from ankommen.housing import api as housing_api
from ankommen.housing.api_arrivals import ArrivalBoard
from ankommen.planning import api as planning_api
from ankommen.planning import api_intake

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
    path("capacity-plan/", planning_api.CapacityPlanView.as_view(), name="api-capacity-plan"),
    path("scenarios/", planning_api.ScenarioListView.as_view(), name="api-scenarios"),
    path(
        "scenarios/<int:pk>/",
        planning_api.ScenarioDetailView.as_view(),
        name="api-scenario",
    ),
    path(
        "persons/<int:pk>/subject-access/",
        SubjectAccessView.as_view(),
        name="api-subject-access",
    ),
    path("privacy/retention/", RetentionView.as_view(), name="api-retention"),
    path("planning/<slug:slug>/series/", api_intake.SeriesList.as_view(), name="planning-series"),
    path("planning/<slug:slug>/prior/", api_intake.PriorView.as_view(), name="planning-prior"),
    path(
        "planning/<slug:slug>/aufnahmesoll/",
        api_intake.AufnahmesollView.as_view(),
        name="planning-aufnahmesoll",
    ),
    path(
        "planning/<slug:slug>/freimeldung/",
        api_intake.FreimeldungView.as_view(),
        name="planning-freimeldung",
    ),
    path("persons/<int:pk>/health/", health_api.HealthRecordView.as_view(), name="api-health"),
    path(
        "persons/<int:pk>/screenings/",
        health_api.ScreeningCreateView.as_view(),
        name="api-screenings",
    ),
    path("arrivals/", ArrivalBoard.as_view(), name="api-arrivals"),
    path(
        "households/<int:pk>/moves/",
        api_moves.HouseholdMoveView.as_view(),
        name="api-household-moves",
    ),
    path(
        "households/<int:pk>/move-out/",
        api_moves.HouseholdMoveOutView.as_view(),
        name="api-household-move-out",
    ),
    path(
        "households/<int:pk>/flat-readiness/",
        api_moves.FlatReadinessView.as_view(),
        name="api-household-flat-readiness",
    ),
    path(
        "households/<int:pk>/bed-assignments/",
        api_moves.BedAssignmentView.as_view(),
        name="api-household-bed-assignments",
    ),
    path(
        "arrival-tasks/<int:pk>/completion/",
        api_arrivals.TaskCompletionView.as_view(),
        name="api-arrival-task-completion",
    ),
    path("arrivals/<int:pk>/plan/", api_arrivals.PlanView.as_view(), name="api-arrival-plan"),
    path(
        "arrivals/<int:pk>/assessment/",
        api_arrivals.AssessmentView.as_view(),
        name="api-arrival-assessment",
    ),
    path("shelter-stays/", api_moves.ShelterStayList.as_view(), name="api-shelter-stays"),
    path("claims/", finance_api.ClaimView.as_view(), name="api-claim"),
    path("claims/file/", finance_api.ClaimFileView.as_view(), name="api-claim-file"),
    path("claims/runs/", finance_api.ClaimRunStartView.as_view(), name="api-claim-runs"),
    path("claims/runs/<int:pk>/", finance_api.ClaimRunView.as_view(), name="api-claim-run"),
    path("finance-rules/", finance_api.RuleListView.as_view(), name="api-finance-rules"),
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
