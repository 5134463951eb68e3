"""templates/ and static/ stay at the top of the repository, where designers look for them,
and travel inside the package when it is built, so `pip install .` and a wheel serve pages
too. create_app finds them beside the package in a checkout and inside it when installed."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("templates", "static")


class build_with_data(build_py):
    def run(self) -> None:
        super().run()
        here = Path(__file__).resolve().parent
        for name in DATA_FOLDERS:
            target = Path(self.build_lib) / "breachlog" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(here / name, target)


setup(cmdclass={"build_py": build_with_data})
