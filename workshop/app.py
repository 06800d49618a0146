"""The application factory: configuration, storage, extensions, blueprints and sockets."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale
from flask_socketio import SocketIO
from werkzeug.middleware.proxy_fix import ProxyFix

from facilitation.join_codes import display_code
from questionnaires.loader import load_all
from workshop.config import load_config
from workshop.extensions import babel, csrf, login_manager
from workshop.pages.shared.access import may_in_template
from workshop.realtime import last_sent, publish, queue
from workshop.rounds import measures
from workshop.rounds.lifecycle import questionnaire_of
from workshop.rounds.measures_queue import MeasuresQueue
from workshop.store.db import close_db, make_engine
from workshop.store.migrate import upgrade_to_head
from workshop.web import assets, backoff, errors, limits, request_cpu
from workshop.web.accounts import current_facilitator_loader
from workshop.web.admission import limit_page_requests
from workshop.web.converters import IdConverter, SlugConverter, TokenConverter
from workshop.web.i18n import (
    LANGUAGES,
    as_list,
    day_and_time,
    direction,
    install_gettext,
    language_code,
    own_language,
    plural_words,
    select_locale,
    template_ngettext,
)
from workshop.web.request import Request
from workshop.web.urls import public_url, url_for_each
from workshop.web.wording import event_words, participant_label, status_label


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build a Roundtable app; `config` overrides settings (tests pass a database URL)."""
    app = Flask(__name__, instance_relative_config=True)
    app.request_class = Request
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["token"] = TokenConverter
    app.url_map.converters["slug"] = SlugConverter
    app.config.update(load_config(app.instance_path))
    app.config.update(config or {})

    if proxies := app.config["PROXIES"]:
        # Behind a proxy, each person's own address (for the sign-in backoff) and https.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    engine = make_engine(app.config["DATABASE_URL"])
    upgrade_to_head(engine)
    app.extensions["roundtable.engine"] = engine
    app.extensions["roundtable.questionnaires"] = load_all(app.config["QUESTIONNAIRE_DIRS"])
    app.extensions["roundtable.last_sent"] = last_sent.for_queue(
        app.config["SOCKETIO_MESSAGE_QUEUE"]
    )
    app.teardown_appcontext(close_db)

    babel.init_app(app, locale_selector=select_locale)
    install_gettext(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(current_facilitator_loader)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    backoff.init_app(app)

    from workshop.pages.about import bp as about_bp
    from workshop.pages.auth.account_routes import bp as accounts_bp
    from workshop.pages.auth.routes import bp as auth_bp
    from workshop.pages.designer import bp as designer_bp
    from workshop.pages.facilitator.routes import bp as facilitator_bp
    from workshop.pages.facilitator.run_sheet_routes import bp as run_sheet_bp
    from workshop.pages.facilitator.team_routes import bp as team_bp
    from workshop.pages.language import bp as language_bp
    from workshop.pages.maps.import_routes import bp as map_import_bp
    from workshop.pages.maps.routes import bp as maps_bp
    from workshop.pages.participant.data_routes import bp as your_data_bp
    from workshop.pages.participant.routes import bp as participant_bp
    from workshop.pages.reports.routes import bp as reports_bp

    app.register_blueprint(participant_bp)
    app.register_blueprint(your_data_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(language_bp)
    app.register_blueprint(about_bp)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(designer_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(run_sheet_bp)
    app.register_blueprint(maps_bp)
    app.register_blueprint(map_import_bp)
    app.register_blueprint(reports_bp)
    assets.register(app)
    errors.register(app)
    limits.register(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        get_locale=get_locale,
        display_code=display_code,
        status_label=status_label,
        event_words=event_words,
        participant_label=participant_label,
        may=may_in_template,  # what the signed-in facilitator may do to the round shown
        public_url=public_url,
        url_for_each=url_for_each,
        questionnaire_title=lambda round_: questionnaire_of(round_).title,
        LANGUAGES=LANGUAGES,
        direction=direction,
        language_code=language_code,
        plural_words=plural_words,
        ngettext=template_ngettext,
    )
    app.jinja_env.filters["own_language"] = own_language
    app.jinja_env.filters["as_list"] = as_list
    app.jinja_env.filters["day_and_time"] = day_and_time
    app.after_request(_security_headers)

    limit_page_requests(app)  # before Socket.IO wraps the app: its traffic is not gated
    if timings := app.config["BENCH_TIMINGS"]:
        request_cpu.record(app, timings)  # CPU per page request, for bench/load.py only
    socketio = SocketIO(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        # Small frames only: answers go through HTTP forms, never sockets.
        max_http_buffer_size=16 * 1024,
        **queue.options(app.config["SOCKETIO_MESSAGE_QUEUE"]),
    )
    from workshop.pages.sockets import FacilitatorNamespace, ParticipantNamespace, failed_event

    socketio.on_namespace(ParticipantNamespace(publish.PARTICIPANTS))
    socketio.on_namespace(FacilitatorNamespace(publish.FACILITATORS))
    socketio.on_error_default(failed_event)
    app.extensions["roundtable.measures"] = MeasuresQueue(
        start=socketio.start_background_task,
        sleep=socketio.sleep,
        work=partial(measures.work_out_in, app),
    )

    from workshop.cli.commands import register_commands

    register_commands(app)
    return app


_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Nothing here needs a camera, a microphone, a location or a payment: switch them all off.
_PERMISSIONS = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
_HEADERS = {
    "Content-Security-Policy": _CSP,
    "Permissions-Policy": _PERMISSIONS,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _security_headers(response):
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        # Served over HTTPS: browsers should never try plain HTTP here again (one year).
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Pages hold private links and live state, and downloads and JSON hold people's data
    # (their answers, the map, exports): never kept in a cache, on a shared device or
    # between. Static files set their own (a day); send_file's "no-cache" is not enough.
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        response.headers["Cache-Control"] = "no-store"
    else:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
