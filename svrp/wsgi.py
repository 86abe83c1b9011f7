from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svrp.settings")

application = get_wsgi_application()

# A serving process (gunicorn's workers, make run's server): its start-up objects set aside from the
# garbage collector once the first request has loaded the rest (core.gc_freeze).
from core import gc_freeze  # noqa: E402 - after Django is set up

gc_freeze.after_first_request()
