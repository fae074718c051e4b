import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# The player's card endpoint takes a lean middleware lane (ancrage/player/fastpath.py).
from ancrage.player.fastpath import with_card_lane  # noqa: E402

application = with_card_lane(django_application)
