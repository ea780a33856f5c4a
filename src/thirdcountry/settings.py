"""Django settings, configured by environment variables.

- ``THIRDCOUNTRY_DATABASE_URL``: ``sqlite:///path`` or ``postgresql://user@host:port/name``;
  default: the SQLite file ``thirdcountry.sqlite3`` in the working directory.
- ``THIRDCOUNTRY_SECRET_KEY``: required when ``THIRDCOUNTRY_DEBUG`` is off.
- ``THIRDCOUNTRY_DEBUG``: ``1``/``true`` to turn on debugging (never in production).
- ``THIRDCOUNTRY_ALLOWED_HOSTS``: comma-separated host names (default: local addresses).
- ``THIRDCOUNTRY_PSEUDONYM_KEY``, ``THIRDCOUNTRY_AUDIT_KEY``: keys for monitors' pseudonyms
  and the audit trail's record digests (default: derived from the secret key).
- ``THIRDCOUNTRY_CATALOG``: the catalog version new screenings are made under (default: the
  registry's, see :mod:`thirdcountry.rules.catalogs`); read by the registry itself, so the
  command line and the engine follow it too.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("THIRDCOUNTRY_DEBUG")
SECRET_KEY = os.environ.get("THIRDCOUNTRY_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and _flag("THIRDCOUNTRY_REQUIRE_SECRET_KEY"):
        raise ImproperlyConfigured("set THIRDCOUNTRY_SECRET_KEY")
    # A fixed key is only acceptable for a local, single-user installation.
    SECRET_KEY = "thirdcountry-local-only-not-secret"

# Pseudonyms shown to monitors are keyed hashes of person refs; the audit trail's record
# digests are keyed too, so nobody can guess a small record from its digest. Keep both keys
# stable: a new pseudonym key gives every person a new pseudonym, a new audit key makes every
# record differ from its logged digest.
THIRDCOUNTRY_PSEUDONYM_KEY = os.environ.get("THIRDCOUNTRY_PSEUDONYM_KEY") or (
    "pseudonym:" + SECRET_KEY
)
THIRDCOUNTRY_AUDIT_KEY = os.environ.get("THIRDCOUNTRY_AUDIT_KEY") or ("audit:" + SECRET_KEY)

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("THIRDCOUNTRY_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",  # serves the API documentation's Swagger UI from its own static files
    "django_tasks",
    "django_tasks_db",
    "thirdcountry.accounts",
    "thirdcountry.registry",
    "thirdcountry.cases",
    "thirdcountry.oversight",
    "thirdcountry.identity",
    "django_htmx",
    "thirdcountry.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves the static files (stylesheet, htmx) itself, also when DEBUG is off (WhiteNoise).
    "thirdcountry.web.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "thirdcountry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "thirdcountry.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get(
            "THIRDCOUNTRY_DATABASE_URL", f"sqlite:///{Path.cwd() / 'thirdcountry.sqlite3'}"
        ),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (a server, a worker, the command line) share one file: wait rather
    # than fail, take the write lock up front, and let readers go on while one writes (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("THIRDCOUNTRY_STATIC_ROOT", Path.cwd() / "staticfiles"))
# WhiteNoise finds the static files in the installed package, so serving needs no collectstatic.
WHITENOISE_USE_FINDERS = True

# Re-screening runs started from the web application or the API run in the background, queued
# in the database itself (no extra server): `thirdcountry worker` carries them out.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "/"
