"""breachlog: the data-breach register and 72-hour AP clock."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The app, with the settings checked first: gunicorn, `serve` and `scheduler` refuse to
    start (config_check.StartRefused) rather than fail requests later. Tests pass their
    settings as a dict and are not checked."""
    from . import config, config_check

    app = configured_app(test_config)
    if test_config is None:
        problems = config_check.problems(app.config, app.instance_path)
        if problems:
            raise config_check.InvalidSettings(problems)
    config.take_instance_folder(app.instance_path)
    config.load_secret_key(app)
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # behind that many proxies, the client's address and https come from their headers
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    from .ops import logs

    logs.init_app(app)
    return app


def configured_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The Flask object with its settings read, nothing created on disk yet."""
    instance_path = os.environ.get("BREACHLOG_INSTANCE_PATH") or None
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = test_config["INSTANCE_PATH"]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=_data_folder(root, "templates"),
        static_folder=_data_folder(root, "static"),
    )
    from . import config

    config.load(app, test_config)
    return app


def _data_folder(root: str, name: str) -> str:
    """templates/ and static/ live beside the package in a checkout, inside it when installed
    (setup.py copies them in when it builds the package)."""
    beside = os.path.join(root, name)
    if os.path.isdir(beside):
        return beside
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), name)


def register_extensions(app: Flask) -> None:
    from . import migrating, models, web  # noqa: F401 - models registers every table
    from .extensions import babel, csrf, db, login_manager

    db.init_app(app)
    migrating.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=web.select_timezone)
    web.init_app(app)


def register_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .auth.views import bp as auth_bp
    from .health import bp as health_bp
    from .incidents.views import bp as incidents_bp
    from .measures.views import bp as measures_bp
    from .notifications.views import bp as notifications_bp
    from .ops.metrics import bp as ops_bp  # /readyz and /metrics
    from .register.views import bp as register_bp
    from .reminders.views import bp as reminders_bp

    blueprints = (
        auth_bp,
        incidents_bp,
        measures_bp,
        notifications_bp,
        register_bp,
        reminders_bp,
        admin_bp,
        api_bp,
        health_bp,
        ops_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from . import guard
    from .errors import init_app

    init_app(app)
    guard.init_app(app)


def register_commands(app: Flask) -> None:
    from .cli import register

    register(app)
