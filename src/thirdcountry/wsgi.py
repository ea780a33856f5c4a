"""WSGI entry point for production servers (``thirdcountry.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
application = get_wsgi_application()

from thirdcountry.keys import require_secret_key  # noqa: E402  (needs the settings loaded)

# A server under a published key would sign sessions and make pseudonyms anyone can forge.
require_secret_key()
