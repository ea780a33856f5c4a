"""Django settings, configured by environment variables.

- ``THIRDCOUNTRY_DATABASE_URL``: ``sqlite:///path`` or ``postgresql://user@host:port/name``;
  default: the SQLite file ``thirdcountry.sqlite3`` in the working directory.
- ``THIRDCOUNTRY_SECRET_KEY``: required by the server, the worker and every command that
  writes (``serve --demo`` makes a random one); see docs/SECURITY.md.
- ``THIRDCOUNTRY_SECRET_KEY_FALLBACKS``: earlier secret keys (comma-separated) during a rotation.
- ``THIRDCOUNTRY_HTTPS``, ``THIRDCOUNTRY_PROXY_SSL_HEADER``, ``THIRDCOUNTRY_CSRF_TRUSTED_ORIGINS``,
  ``THIRDCOUNTRY_CLIENT_ADDRESS_HEADER``, ``THIRDCOUNTRY_HSTS_*``, ``THIRDCOUNTRY_SESSION_MINUTES``,
  ``THIRDCOUNTRY_MAX_REQUEST_BYTES``, ``THIRDCOUNTRY_LOGIN_FAILURE_LIMIT``,
  ``THIRDCOUNTRY_LOGIN_LOCK_MINUTES``: deployment, see docs/SECURITY.md.
- ``THIRDCOUNTRY_DEBUG``: ``1``/``true`` to turn on debugging (never in production).
- ``THIRDCOUNTRY_DEMO``: set by ``serve --demo``: the sign-in page says where the demo
  accounts are.
- ``THIRDCOUNTRY_ALLOWED_HOSTS``: comma-separated host names (default: local addresses).
- ``THIRDCOUNTRY_PSEUDONYM_KEY``, ``THIRDCOUNTRY_AUDIT_KEY``: keys for monitors' pseudonyms
  and the audit trail's record digests (default: derived from the secret key).
- ``THIRDCOUNTRY_CATALOG``: the catalog version new screenings are made under (default: the
  registry's, see :mod:`thirdcountry.rules.catalogs`); read by the registry itself, so the
  command line and the engine follow it too.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _whole(name: str, default: int, least: int = 0) -> int:
    """A whole-number setting; a value that is not one stops the start with its name."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < least:
        raise ImproperlyConfigured(f"{name} must be at least {least}, not {number}")
    return number


def _listed(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _flag("THIRDCOUNTRY_DEBUG")
#: Whether this is the demonstration served by ``serve --demo`` (its accounts are printed in
#: the terminal that started it).
THIRDCOUNTRY_DEMO = _flag("THIRDCOUNTRY_DEMO")
#: Whether a secret key was configured. Without one, the server, the worker and every
#: command that writes refuse to start (see :mod:`thirdcountry.keys`): pseudonyms and audit
#: digests made under a key anyone can read protect nobody.
THIRDCOUNTRY_SECRET_KEY_SET = bool(os.environ.get("THIRDCOUNTRY_SECRET_KEY", "").strip())
SECRET_KEY = os.environ.get("THIRDCOUNTRY_SECRET_KEY", "").strip()
if not SECRET_KEY:
    # Only so that the settings load (for Django's read-only commands and the tests);
    # nothing that serves or records data runs under it.
    SECRET_KEY = "thirdcountry-unset-" + "-" * 50
#: Earlier secret keys, still accepted for what they signed (sessions) while a new key is
#: rolled out (docs/SECURITY.md: rotating the secret key).
SECRET_KEY_FALLBACKS = _listed("THIRDCOUNTRY_SECRET_KEY_FALLBACKS")

# Pseudonyms shown to monitors are keyed (see :mod:`thirdcountry.oversight.pseudonyms`); the
# audit trail's record digests are keyed too, so nobody can guess a small record from its
# digest. Each defaults to a key derived from the secret key; separate keys let the secret key
# be rotated alone. Keep both stable: a new pseudonym key gives every person a new pseudonym,
# a new audit key makes every record differ from its logged digest (docs/SECURITY.md).
THIRDCOUNTRY_PSEUDONYM_KEY = os.environ.get("THIRDCOUNTRY_PSEUDONYM_KEY") or (
    "pseudonym:" + SECRET_KEY
)
THIRDCOUNTRY_AUDIT_KEY = os.environ.get("THIRDCOUNTRY_AUDIT_KEY") or ("audit:" + SECRET_KEY)

ALLOWED_HOSTS = _listed("THIRDCOUNTRY_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# -- HTTPS, the proxy in front, and the browser's protections (docs/SECURITY.md) ----------

#: Served over HTTPS (directly or behind a TLS-terminating proxy): plain HTTP is redirected,
#: cookies go over HTTPS only, and browsers are told to come back over HTTPS (HSTS).
HTTPS = _flag("THIRDCOUNTRY_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = _whole("THIRDCOUNTRY_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("THIRDCOUNTRY_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = _flag("THIRDCOUNTRY_HSTS_PRELOAD", HTTPS)
#: Behind a proxy that terminates TLS: the header it sets to say the request came over HTTPS
#: (e.g. ``X-Forwarded-Proto``). Only when the proxy always sets it, overwriting a client's.
_PROXY_HEADER = os.environ.get("THIRDCOUNTRY_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_HEADER.upper().replace("-", "_"), "https") if _PROXY_HEADER else None
)
#: The origins (``https://cases.example.org``) a signed-in form may be posted from; by
#: default each allowed host over HTTPS when HTTPS is on.
CSRF_TRUSTED_ORIGINS = _listed("THIRDCOUNTRY_CSRF_TRUSTED_ORIGINS") or (
    [f"https://{host}" for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
    if HTTPS
    else []
)
#: A signed-in session ends after this many minutes without a request (default 8 hours).
SESSION_COOKIE_AGE = _whole("THIRDCOUNTRY_SESSION_MINUTES", 8 * 60, least=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"
#: The largest request body (bytes) read, e.g. a scenario sent to ``POST /api/v1/check``;
#: a larger one is answered 413 (default 32 MiB).
DATA_UPLOAD_MAX_MEMORY_SIZE = _whole("THIRDCOUNTRY_MAX_REQUEST_BYTES", 32 * 1024 * 1024, least=1)
#: Pages load scripts, styles and images from the application only; nothing may frame them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# -- signing in: throttled, and locked after repeated failures (django-axes) --------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
#: Failed sign-ins, counted per account and per address apart, before either is locked.
AXES_FAILURE_LIMIT = _whole("THIRDCOUNTRY_LOGIN_FAILURE_LIMIT", 5, least=1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
#: How long a lock lasts unless an administrator lifts it (``thirdcountry unlock``).
AXES_COOLOFF_TIME = timedelta(minutes=_whole("THIRDCOUNTRY_LOGIN_LOCK_MINUTES", 30, least=1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
#: Behind a proxy, the address a request came from is the proxy's own: name the header in
#: which the proxy appends the client's (e.g. ``X-Forwarded-For``); its last entry is taken.
THIRDCOUNTRY_CLIENT_ADDRESS_HEADER = os.environ.get("THIRDCOUNTRY_CLIENT_ADDRESS_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "thirdcountry.edge.client_address"

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
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Serves the static files (stylesheet, htmx) itself, also when DEBUG is off (WhiteNoise).
    "thirdcountry.web.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses a request no view can take (a NUL character, a body over the limit) before
    # anything reads it, in the reader's language.
    "thirdcountry.edge.RequestEdgeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "thirdcountry.edge.NoStoreMiddleware",
    # Last, as django-axes asks: it answers a locked account's sign-in.
    "axes.middleware.AxesMiddleware",
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
#: Django's own backends, each linking the audit trail's entries into its chain just before a
#: transaction commits (``thirdcountry.dbengines``).
_ENGINES = {
    "django.db.backends.postgresql": "thirdcountry.dbengines.postgresql",
    "django.db.backends.sqlite3": "thirdcountry.dbengines.sqlite3",
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
    # Tests use an in-memory database, as Django's own SQLite backend does by default; named
    # here because tools that recognise that default by the engine's name (pytest-django
    # under xdist) would not recognise the wrapper below.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation of queries: the application's queries each read a few
    # rows, but the planner, misled by a table's largest run (a million screenings), can
    # expect a large cost and spend 10 to 40 ms compiling a query that then takes 0.1 ms.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options"), "-c jit=off"]))
    # Parameters bound by the server, and a statement run five times on a connection
    # prepared there: parsed and planned once, not at every request. Planning was half the
    # database's time in screening one transfer (3.3 of 6.7 ms). A pooler between the
    # application and PostgreSQL must keep prepared statements (PgBouncer 1.21 or later,
    # with max_prepared_statements set).
    options.setdefault("server_side_binding", True)
    options.setdefault("prepare_threshold", 5)
DATABASES["default"]["ENGINE"] = _ENGINES.get(
    DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
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
# Dates and numbers follow the page's language: English pages keep ISO dates.
FORMAT_MODULE_PATH = ["thirdcountry.formats"]
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

# The retention policy (``thirdcountry retention``): a person whose case closed more than this
# many days ago has their personal data erased. Unset: no retention period is configured.
_retention = os.environ.get("THIRDCOUNTRY_RETENTION_DAYS", "").strip()
if _retention and not (_retention.isdigit() and int(_retention) > 0):
    raise ImproperlyConfigured("THIRDCOUNTRY_RETENTION_DAYS must be a whole number of days above 0")
THIRDCOUNTRY_RETENTION_DAYS = int(_retention) if _retention else None
