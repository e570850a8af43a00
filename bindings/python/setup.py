"""Build hooks of the peat wheel and sdist (everything static lives in pyproject.toml).

build_py adds two things the source tree does not hold:
  * peat/pb/: Python modules (+ .pyi stubs) generated from ../../proto by the
    project's pinned protoc (tools/protoc.sh), imports rewritten under peat.pb
    and rewritten to run on protobuf 5.x-7.x (buildsupport.runtime_neutral);
    an sdist ships them in src/peat/pb instead;
  * peat/_native/libpeat.so.1: the library, from $PEAT_BUNDLE_LIBRARY, else
    built with `make -C ../.. lib` when Go is installed, else ../../build/lib;
    from an sdist, built by Go from its libpeat/ (vendored, offline).
bdist_wheel tags the wheel py3-none-<platform of the bundled library>.
sdist adds src/peat/pb and libpeat/ (buildsupport.add_sdist_sources) and
writes a reproducible archive ($SOURCE_DATE_EPOCH, sorted, no owners).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

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


class Sdist(sdist):
    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        buildsupport.add_sdist_sources(Path(base_dir))

    def make_distribution(self) -> None:
        super().make_distribution()
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # default: 1980-01-01
        for archive in self.archive_files:
            if archive.endswith(".tar.gz"):
                buildsupport.normalize_targz(Path(archive), epoch)


setup(distclass=BinaryDistribution, cmdclass={"build_py": BuildPy, "bdist_wheel": BdistWheel, "sdist": Sdist})
