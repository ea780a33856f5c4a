"""The web application's pages."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from thirdcountry.web.views import (
    catalog,
    court_orders,
    editing,
    erasure,
    exports,
    identity,
    imports,
    oversight,
    pages,
    printing,
    profile,
    recording,
    users,
    world,
)

app_name = "web"


class RefConverter:
    """A record's ref in a web address (the format's ``REF_PATTERN``, which a pseudonym
    also follows): anything else is no page, so a malformed ref never reaches a view."""

    regex = "[A-Za-z0-9][A-Za-z0-9._-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RefConverter, "ref")

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
    path("transfers.csv", exports.transfers_csv, name="transfers-csv"),
    path("people.csv", exports.persons_csv, name="people-csv"),
    path("arrangements.csv", exports.arrangements_csv, name="arrangements-csv"),
    path("court-orders.csv", exports.court_orders_csv, name="court-orders-csv"),
    path("runs.csv", exports.runs_csv, name="runs-csv"),
    path("statistics/<slug:table>.csv", exports.statistics_csv, name="statistics-csv"),
    path("transfers/new/", editing.transfer_new, name="transfer-new"),
    path("transfers/<ref:ref>/edit/", editing.transfer_edit, name="transfer-edit"),
    path("transfers/<ref:ref>/", pages.transfer_detail, name="transfer"),
    path(
        "transfers/<ref:ref>/verdict.pdf",
        printing.transfer_verdict_pdf,
        name="transfer-verdict-pdf",
    ),
    path("transfers/<ref:ref>/notice/", recording.transfer_notice, name="transfer-notice"),
    path(
        "transfers/<ref:ref>/acceptance/",
        recording.transfer_acceptance,
        name="transfer-acceptance",
    ),
    path("people/", pages.person_list, name="people"),
    path("people/new/", editing.person_new, name="person-new"),
    path("people/candidates/", editing.person_candidates, name="person-candidates"),
    path("people/<ref:ref>/edit/", editing.person_edit, name="person-edit"),
    path("people/<ref:ref>/", pages.person_detail, name="person"),
    path("people/<ref:ref>/erase/", erasure.person_erase, name="person-erase"),
    path("people/<ref:ref>/fear-claims/", recording.person_fear_claim, name="person-fear-claim"),
    path(
        "people/<ref:ref>/removal-decision/",
        recording.person_removal_decision,
        name="person-removal-decision",
    ),
    path("arrangements/", pages.arrangement_list, name="arrangements"),
    path("arrangements/new/", editing.arrangement_new, name="arrangement-new"),
    path("arrangements/<ref:ref>/edit/", editing.arrangement_edit, name="arrangement-edit"),
    path("arrangements/<ref:ref>/", pages.arrangement_detail, name="arrangement"),
    path("arrangements/<ref:ref>/status/", recording.arrangement_status, name="arrangement-status"),
    path("arrangements/<ref:ref>/exchange-rates/", recording.exchange_rate, name="exchange-rate"),
    path("court-orders/", pages.court_order_list, name="court-orders"),
    path("court-orders/new/", recording.court_order_create, name="court-order-create"),
    path("court-orders/<ref:ref>/", court_orders.court_order_detail, name="court-order"),
    path("court-orders/<ref:ref>/edit/", court_orders.court_order_edit, name="court-order-edit"),
    path("court-orders/<ref:ref>/facts/", court_orders.court_order_facts, name="court-order-facts"),
    path(
        "court-orders/<ref:ref>/withdraw/",
        court_orders.court_order_withdraw,
        name="court-order-withdraw",
    ),
    path("countries/", pages.country_list, name="countries"),
    path("world/<str:section>/", world.world_section, name="world-section"),
    path("world/<str:section>/new/", world.world_entry, name="world-entry-new"),
    path("world/<str:section>/<str:key>/", world.world_entry, name="world-entry"),
    path("countries/assessments/", recording.assessment_create, name="assessment-create"),
    path("statistics/", oversight.statistics_page, name="statistics"),
    path("catalog/", catalog.catalog_page, name="catalog"),
    path("catalog/<str:version>/", catalog.catalog_page, name="catalog-version"),
    path("audit/verify/", oversight.audit_verify, name="audit-verify"),
    path("runs/", pages.run_list, name="runs"),
    path("runs/<int:pk>/", pages.run_detail, name="run"),
    path("users/", users.user_list, name="users"),
    path("users/<int:pk>/", users.user_change, name="user-change"),
    path("duplicates/", identity.candidate_list, name="duplicates"),
    path("duplicates/<int:pk>/", identity.candidate_detail, name="duplicate"),
    path("duplicates/<int:pk>/decide/", identity.candidate_decide, name="duplicate-decide"),
    path("merges/", identity.merge_list, name="merges"),
    path("merges/<int:pk>/undo/", identity.merge_undo, name="merge-undo"),
    path("import/", imports.import_page, name="import"),
    path("import/progress/<str:token>/", imports.import_progress, name="import-progress"),
    path("profile/", profile.profile, name="profile"),
    path("profile/tokens/", profile.token_create, name="token-create"),
    path("profile/tokens/<int:pk>/revoke/", profile.token_revoke, name="token-revoke"),
]
