"""A plain `pip install .` (a wheel, as in a container) serves pages and the PDF, and keeps its
data outside the Python environment."""

from __future__ import annotations

import io
import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")

# run by the installed package's own interpreter: log in as a demo user, fetch pages and the PDF
CLIENT = """
import json, re, sys
import breachlog
from breachlog import create_app
app = create_app()
client = app.test_client()
login = client.get("/login")
css = client.get("/static/style.css")
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login.get_data(as_text=True))[1]
client.post(
    "/login", data={"email": sys.argv[1], "password": sys.argv[2], "csrf_token": token}
)
pdf = client.get("/register/" + sys.argv[3] + ".pdf")
open(sys.argv[4], "wb").write(pdf.data)
print(json.dumps({
    "module": breachlog.__file__,
    "templates": app.template_folder,
    "login": [login.status_code, login.get_data(as_text=True)],
    "css": css.status_code,
    "pdf": [pdf.status_code, pdf.mimetype],
    "instance": app.instance_path,
}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, installed without network or dependencies into a
    fresh environment that borrows the dependencies of the one running the tests."""
    where = tmp_path_factory.mktemp("wheel")
    # built from a copy: building writes build/ and *.egg-info beside the sources
    source = where / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(where / "dist"), "."],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=source,
        env=clean_environment(),
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (where / "dist").glob("breachlog-*.whl")
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    packages = subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrowed = [path for path in site.getsitepackages() if "site-packages" in path]
    Path(packages, "borrowed-dependencies.pth").write_text("\n".join(borrowed) + "\n")
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-index",
            "--no-deps",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_environment(),
    )
    assert install.returncode == 0, install.stderr
    return venv


def clean_environment(**env: str) -> dict[str, str]:
    """Without this checkout on PYTHONPATH and without our settings."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("BREACHLOG_", "PYTHON"))
    }
    return environment | env


def run(venv: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = clean_environment(**env)
    return subprocess.run(
        list(args), capture_output=True, text=True, timeout=300, cwd=cwd, env=environment
    )


def test_the_installed_wheel_serves_the_login_page_and_the_pdf(installed: Path, tmp_path: Path):
    data = tmp_path / "data"
    env = {"BREACHLOG_INSTANCE_PATH": str(data)}
    breachlog = str(installed / "bin" / "breachlog")
    assert run(installed, breachlog, "init-db", cwd=tmp_path, **env).returncode == 0
    demo = run(installed, breachlog, "demo", cwd=tmp_path, **env)
    assert demo.returncode == 0, demo.stderr
    password = demo.stdout.split("password ")[1].split(":")[0]
    officer = next(line.split()[0] for line in demo.stdout.splitlines() if "officer" in line)
    year = str(__import__("datetime").date.today().year)
    pdf_file = tmp_path / "register.pdf"
    served = run(
        installed,
        str(installed / "bin" / "python"),
        "-c",
        CLIENT,
        officer,
        password,
        year,
        str(pdf_file),
        cwd=tmp_path,
        **env,
    )
    assert served.returncode == 0, served.stderr
    result = json.loads(served.stdout)
    assert result["module"].startswith(str(installed))  # the wheel, not this checkout
    assert result["templates"].startswith(str(installed))
    assert result["login"][0] == 200 and 'name="password"' in result["login"][1]
    assert result["css"] == 200
    assert result["pdf"] == [200, "application/pdf"]
    assert "Register" in PdfReader(io.BytesIO(pdf_file.read_bytes())).pages[0].extract_text()
    assert result["instance"] == str(data)
    assert not list(installed.rglob("secret_key"))


def test_installed_without_a_data_folder_it_refuses_to_keep_data_in_the_environment(
    installed: Path, tmp_path: Path
):
    """Before: the instance folder defaulted to <venv>/var/breachlog-instance, lost when the
    environment is rebuilt."""
    breachlog = str(installed / "bin" / "breachlog")
    result = run(installed, breachlog, "check-config", cwd=tmp_path)
    assert result.returncode == 2
    assert "INSTANCE_PATH (BREACHLOG_INSTANCE_PATH)" in result.stderr
    assert "inside the Python environment" in result.stderr
    started = run(installed, breachlog, "init-db", cwd=tmp_path)
    assert started.returncode == 2
    assert not (installed / "var").exists()
