"""gunicorn's settings for breachlog: `gunicorn -c python:breachlog.gunicorn_conf ...`.

gunicorn writes its own lines (the master and its workers starting and stopping, a worker
that fails to boot) before any app is loaded, in a format of its own. GunicornLogger gives
those lines breachlog's format (ops/log_format.py), text or JSON as LOG_FORMAT says, read the
way the app reads it (config.py in the instance folder, then BREACHLOG_LOG_FORMAT), so the
journal holds one format. The app sets the same formatter on these handlers when it loads
(ops/logs.install_handler), so a worker's lines agree before and after.

on_starting checks the settings in the master, before any worker is started: with wrong
settings gunicorn stops at once with breachlog's message and exit status 2. Without these
settings each worker refuses on its own when it loads the app, and gunicorn may add a
traceback of its own when several workers refuse at the same moment.

gunicorn's access log stays off: breachlog writes one access line per request itself.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from gunicorn.glogging import Logger

from .ops.log_format import formatter


def log_format() -> str:
    """LOG_FORMAT as the app will read it; a config.py that cannot be read is the app's to
    refuse, with its own message, so here the environment alone decides."""
    from . import configured_app

    try:
        return str(configured_app().config.get("LOG_FORMAT", "text"))
    except Exception:  # noqa: BLE001 - reported by check-config and the app factory
        return os.environ.get("BREACHLOG_LOG_FORMAT") or "text"


class GunicornLogger(Logger):
    def setup(self, cfg: Any) -> None:
        # run again at every reload (SIGHUP), so a changed LOG_FORMAT is taken up there too
        super().setup(cfg)
        chosen = formatter(log_format())
        for handler in self.error_log.handlers:
            if isinstance(handler, logging.StreamHandler):  # standard error or --error-logfile
                handler.setFormatter(chosen)


def on_starting(server: Any) -> None:
    """Refuse in the master, before a worker is forked, what every worker would refuse."""
    from . import config_check, configured_app

    try:
        app = configured_app()
    except Exception as error:  # noqa: BLE001 - a config.py that cannot be read
        problems = [f"config.py: {error}"]
    else:
        problems = config_check.problems(app.config, app.instance_path)
    if problems:
        print(config_check.refusal_text(problems), file=sys.stderr, flush=True)
        raise SystemExit(2)


logger_class = GunicornLogger
accesslog = None
