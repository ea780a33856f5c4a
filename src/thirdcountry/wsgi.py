"""WSGI entry point for production servers (``thirdcountry.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
application = get_wsgi_application()
