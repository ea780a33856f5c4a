"""The web application's pages."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from thirdcountry.web.views import identity, imports, oversight, pages, profile, recording

app_name = "web"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", pages.dashboard, name="dashboard"),
    path("transfers/", pages.transfer_list, name="transfers"),
    path("transfers/<str:ref>/", pages.transfer_detail, name="transfer"),
    path("transfers/<str:ref>/notice/", recording.transfer_notice, name="transfer-notice"),
    path(
        "transfers/<str:ref>/acceptance/",
        recording.transfer_acceptance,
        name="transfer-acceptance",
    ),
    path("people/", pages.person_list, name="people"),
    path("people/<str:ref>/", pages.person_detail, name="person"),
    path("people/<str:ref>/fear-claims/", recording.person_fear_claim, name="person-fear-claim"),
    path(
        "people/<str:ref>/removal-decision/",
        recording.person_removal_decision,
        name="person-removal-decision",
    ),
    path("arrangements/", pages.arrangement_list, name="arrangements"),
    path("arrangements/<str:ref>/", pages.arrangement_detail, name="arrangement"),
    path("arrangements/<str:ref>/status/", recording.arrangement_status, name="arrangement-status"),
    path("arrangements/<str:ref>/exchange-rates/", recording.exchange_rate, name="exchange-rate"),
    path("court-orders/", pages.court_order_list, name="court-orders"),
    path("court-orders/new/", recording.court_order_create, name="court-order-create"),
    path("court-orders/<str:ref>/lift/", recording.court_order_lift, name="court-order-lift"),
    path("countries/", pages.country_list, name="countries"),
    path("countries/assessments/", recording.assessment_create, name="assessment-create"),
    path("statistics/", oversight.statistics_page, name="statistics"),
    path("audit/verify/", oversight.audit_verify, name="audit-verify"),
    path("runs/", pages.run_list, name="runs"),
    path("runs/<int:pk>/", pages.run_detail, name="run"),
    path("duplicates/", identity.candidate_list, name="duplicates"),
    path("duplicates/<int:pk>/", identity.candidate_detail, name="duplicate"),
    path("duplicates/<int:pk>/decide/", identity.candidate_decide, name="duplicate-decide"),
    path("merges/", identity.merge_list, name="merges"),
    path("merges/<int:pk>/undo/", identity.merge_undo, name="merge-undo"),
    path("import/", imports.import_page, name="import"),
    path("profile/", profile.profile, name="profile"),
    path("profile/tokens/", profile.token_create, name="token-create"),
    path("profile/tokens/<int:pk>/revoke/", profile.token_revoke, name="token-revoke"),
]
