"""The app for gunicorn with gevent workers (README, Deployment): `workshop.wsgi:app`."""

from workshop.app import create_app
from workshop.commands import forget_old_connections
from workshop.realtime import queue

app = create_app()
with app.app_context():
    forget_old_connections()
queue.listen_now(app.extensions["socketio"])
