"""WSGI entry point for production servers (``thirdcountry.wsgi:application``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402  (needs the settings loaded)

from thirdcountry.keys import require_secret_key  # noqa: E402  (needs the settings loaded)

# A server under a published key would sign sessions and make pseudonyms anyone can forge.
require_secret_key()

# Every view, service and rule is loaded now (the URLs import them), and what loading made
# lives as long as the process: frozen, the cycle collector's full passes leave it out. A
# full pass over it took 70-80 ms every few hundred requests, holding up each request
# queued behind it; without it, 15 ms at most.
get_resolver().url_patterns  # noqa: B018  (reading it imports the views)
gc.collect()
gc.freeze()
