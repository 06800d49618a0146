"""The app for gunicorn with gevent workers (README, Deployment): `workshop.wsgi:app`."""

from workshop.app import create_app

app = create_app()
