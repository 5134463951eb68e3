from flask import Blueprint

bp = Blueprint("incidents", __name__)


@bp.get("/")
def dashboard() -> str:
    return "dashboard"


@bp.get("/mine")
def mine() -> str:
    return "mine"


@bp.get("/report")
def report() -> str:
    return "report"
