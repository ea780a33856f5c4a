"""Which models the trail covers, and how each reaches it: one record at a time, through
the entry of the run that wrote it, or not at all because it is derived from others."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.db import models

from thirdcountry.oversight.audit.digests import model_label

#: The apps whose every write is audited.
AUDITED_APPS = ("registry", "cases")
#: Who may do what: accounts, roles, their memberships and permissions, and API tokens. A
#: user made a superuser, or given a role, without an entry is found by verification.
AUDITED_ACCOUNT_MODELS = (
    "auth.user",
    "auth.group",
    "auth.user_groups",
    "auth.user_user_permissions",
    "auth.group_permissions",
    "accounts.apitoken",
)
#: Models whose rows reach the trail through their run's entry, not one by one.
RUN_LEVEL = frozenset({"cases.screening", "cases.runchange"})
#: Tables derived from others and kept in step with them: verification checks that they
#: agree with what they derive from instead of logging their writes.
DERIVED = frozenset({"cases.latestscreening"})


def _is_historical(model: type[models.Model]) -> bool:
    return getattr(model, "instance_type", None) is not None


def _account_models() -> tuple[type[models.Model], ...]:
    """The models of :data:`AUDITED_ACCOUNT_MODELS`, the memberships' through tables too."""
    by_label = {
        m._meta.label_lower: m
        for label in ("auth", "accounts")
        for m in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    return tuple(by_label[label] for label in AUDITED_ACCOUNT_MODELS)


@cache
def audited_models() -> tuple[type[models.Model], ...]:
    """Every model of the audited apps (their historical models excluded), and the accounts
    models of :data:`AUDITED_ACCOUNT_MODELS`."""
    return (
        *(
            model
            for label in AUDITED_APPS
            for model in apps.get_app_config(label).get_models()
            if not _is_historical(model) and model_label(model) not in DERIVED
        ),
        *_account_models(),
    )


@cache
def logged_one_by_one() -> frozenset[type[models.Model]]:
    """The audited models whose every write has an entry of its own (not a run's)."""
    return frozenset(m for m in audited_models() if model_label(m) not in RUN_LEVEL)


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The historical model django-simple-history keeps for ``model``, if any."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


@cache
def watched_tables() -> dict[str, tuple[type[models.Model], type[models.Model]]]:
    """Historical table name -> (historical model, the model it records)."""
    watched = {}
    for model in audited_models():
        history = history_model(model)
        if history is not None:
            watched[history._meta.db_table] = (history, model)
    return watched
