"""Build hooks of the peat wheel (everything static lives in pyproject.toml).

build_py adds two things the source tree does not hold:
  * peat/pb/: Python modules (+ .pyi stubs) generated from ../../proto by the
    project's pinned protoc (tools/protoc.sh), imports rewritten under peat.pb;
  * peat/_native/libpeat.so.1: the library, from $PEAT_BUNDLE_LIBRARY, else
    built with `make -C ../.. lib` when Go is installed, else ../../build/lib.
bdist_wheel tags the wheel for this platform (it carries a native library).
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent))
import buildsupport  # noqa: E402


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        buildsupport.add_generated(Path(self.build_lib) / "peat")


class BinaryDistribution(Distribution):
    """Carries a native library: install into platlib, like an extension module."""

    def has_ext_modules(self) -> bool:
        return True


class BdistWheel(bdist_wheel):
    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> tuple[str, str, str]:
        lib = Path(self.get_finalized_command("build_py").build_lib) / "peat" / "_native" / buildsupport.SONAME
        return "py3", "none", buildsupport.platform_tag(lib, super().get_tag()[2])


setup(distclass=BinaryDistribution, cmdclass={"build_py": BuildPy, "bdist_wheel": BdistWheel})
