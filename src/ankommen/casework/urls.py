from django.urls import path

from ankommen.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("wiedervorlagen/", views.worklist, name="worklist"),
    path("personalschluessel/", views.caseload, name="caseload"),
    path("haushalte/<int:pk>/", views.household, name="household"),
    path("faelle/<int:pk>/", views.case_detail, name="case"),
    path("faelle/<int:pk>/beratungen/", views.contact_create, name="contact_create"),
    path("faelle/<int:pk>/vermittlungen/", views.referral_create, name="referral_create"),
    path("faelle/<int:pk>/ziele/", views.goal_create, name="goal_create"),
    path("faelle/<int:pk>/zuordnung/", views.assign, name="assign"),
    path("vermittlungen/<int:pk>/", views.referral_update, name="referral_update"),
    path("ziele/<int:pk>/", views.goal_update, name="goal_update"),
]
