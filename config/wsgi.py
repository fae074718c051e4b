import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# LRS clients (/xapi/) skip the middleware that only serves pages (ancrage/lrs/lane.py).
from ancrage.lrs.lane import with_xapi_lane  # noqa: E402

# The player's card endpoint: its common case is answered before Django's handler
# (ancrage/player/fastpath.py); everything else goes to the full stack.
from ancrage.player.fastpath import with_card_lane  # noqa: E402

application = with_xapi_lane(with_card_lane(django_application))
