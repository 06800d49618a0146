"""The application factory: configuration, storage, extensions, blueprints and sockets."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale
from flask_socketio import SocketIO

from facilitation.join_codes import display_code
from questionnaires.loader import load_all
from questionnaires.schema import NETWORK_STEPS
from workshop import assets, errors
from workshop.admission import limit_page_requests
from workshop.auth import current_facilitator_loader
from workshop.config import load_config
from workshop.converters import IdConverter, TokenConverter
from workshop.extensions import babel, csrf, login_manager
from workshop.facilitator.console import participant_label
from workshop.i18n import (
    LANGUAGES,
    as_list,
    direction,
    language_code,
    own_language,
    plural_words,
    select_locale,
    template_ngettext,
)
from workshop.participant.network_steps import EDITOR_STEPS, PLACEMENT_STEPS
from workshop.rounds import questionnaire_of
from workshop.store.db import close_db, create_tables, make_engine
from workshop.urls import public_url
from workshop.wording import event_words, status_label


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build a Roundtable app; `config` overrides settings (tests pass a database URL)."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["token"] = TokenConverter
    app.config.update(load_config(app.instance_path))
    app.config.update(config or {})

    engine = make_engine(app.config["DATABASE_URL"])
    create_tables(engine)
    app.extensions["roundtable.engine"] = engine
    app.extensions["roundtable.questionnaires"] = load_all(app.config["QUESTIONNAIRE_DIRS"])
    app.teardown_appcontext(close_db)

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(current_facilitator_loader)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None

    from workshop.about import bp as about_bp
    from workshop.auth.routes import bp as auth_bp
    from workshop.facilitator.routes import bp as facilitator_bp
    from workshop.facilitator.run_sheet_routes import bp as run_sheet_bp
    from workshop.facilitator.team_routes import bp as team_bp
    from workshop.language import bp as language_bp
    from workshop.maps.import_routes import bp as map_import_bp
    from workshop.maps.routes import bp as maps_bp
    from workshop.participant.routes import bp as participant_bp
    from workshop.reports.routes import bp as reports_bp

    app.register_blueprint(participant_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(language_bp)
    app.register_blueprint(about_bp)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(run_sheet_bp)
    app.register_blueprint(maps_bp)
    app.register_blueprint(map_import_bp)
    app.register_blueprint(reports_bp)
    assets.register(app)
    errors.register(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        get_locale=get_locale,
        display_code=display_code,
        status_label=status_label,
        event_words=event_words,
        participant_label=participant_label,
        public_url=public_url,
        questionnaire_title=lambda round_: questionnaire_of(round_).title,
        NETWORK_STEPS=NETWORK_STEPS,
        EDITOR_STEPS=EDITOR_STEPS,
        PLACEMENT_STEPS=PLACEMENT_STEPS,
        LANGUAGES=LANGUAGES,
        direction=direction,
        language_code=language_code,
        plural_words=plural_words,
        ngettext=template_ngettext,
    )
    app.jinja_env.filters["own_language"] = own_language
    app.jinja_env.filters["as_list"] = as_list
    app.after_request(_security_headers)

    limit_page_requests(app)  # before Socket.IO wraps the app: its traffic is not gated
    socketio = SocketIO(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        # Small frames only: answers go through HTTP forms, never sockets.
        max_http_buffer_size=16 * 1024,
    )
    from workshop.realtime.namespaces import FacilitatorNamespace, ParticipantNamespace

    socketio.on_namespace(ParticipantNamespace("/participant"))
    socketio.on_namespace(FacilitatorNamespace("/facilitator"))

    from workshop.commands import register_commands

    register_commands(app)
    return app


_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype == "text/html":
        # Pages hold private links and live state: never serve them from a cache.
        response.headers.setdefault("Cache-Control", "no-store")
    return response
