"""The app for gunicorn with gevent workers (README, Deployment): `workshop.wsgi:app`."""

from workshop.app import create_app
from workshop.realtime import queue
from workshop.rounds.people import forget_old_connections
from workshop.web.collector import settle_after_start

app = create_app()
with app.app_context():
    forget_old_connections()
queue.listen_now(app.extensions["socketio"])
settle_after_start()
