"""The app for gunicorn with gevent workers (README, Deployment): `workshop.wsgi:app`."""

from workshop.app import create_app
from workshop.commands import forget_old_connections

app = create_app()
with app.app_context():
    forget_old_connections()
