"""Shared fixtures: a scratch copy of the project layout for runs that write reports/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import paths

TINY_PUBLISHED = (
    "source_id,table_id,year,category,count,percent,base,quote\n"
    # Seed 000: "Năm 2013: HTNV giảm còn 3/56, đạt TSVM tăng lên 39/56 ... (56 tổ chức đảng làm điểm đạt 69,64%)"
    "000,bt56-2013,2013,HTNV,3,\"5,36%\",56,\"HTNV giảm còn 3/56\"\n"
    "000,bt56-2013,2013,TSVM,39,\"69,64%\",56,\"đạt TSVM tăng lên 39/56\"\n"
)


@pytest.fixture(scope="session")
def kernel() -> str:
    """The project's Jupyter kernel; `make test` registers it."""
    from jupyter_client.kernelspec import KernelSpecManager

    if paths.KERNEL_NAME not in KernelSpecManager().find_kernel_specs():
        pytest.fail(f"Jupyter kernel '{paths.KERNEL_NAME}' is not registered: run the tests with `make test`.")
    return paths.KERNEL_NAME


@dataclass
class ScratchProject:
    """A throw-away project root (studies/, data/, reports/, notebooks/) using the real notebooks."""

    root: Path

    def write(self, relative: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding=encoding)
        return path

    def study(self, name: str, body: str) -> Path:
        return self.write(f"studies/{name}.yaml", body)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "HELPERS_ROOT": str(self.root)}
        return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True,
                              env=env, timeout=600)

    def tree(self, relative: str) -> dict[str, bytes]:
        base = self.root / relative
        return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, kernel: str) -> ScratchProject:
    root = tmp_path / "project"
    for folder in ("studies", "data/raw", "data/processed", "reports"):
        (root / folder).mkdir(parents=True)
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks")
    return ScratchProject(root)


def teach_in_copy(root: Path, *args: str) -> Path:
    """The real ``python -m helpers teach *args`` run on a scratch copy of the whole project under ``root``."""
    for folder in ("data/processed", "reports"):
        (root / folder).mkdir(parents=True)
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks")
    shutil.copytree(paths.STUDIES, root / "studies")
    shutil.copytree(paths.DATA_RAW, root / "data" / "raw")
    result = subprocess.run([sys.executable, "-m", "helpers", "teach", *args], capture_output=True, text=True,
                            env={**os.environ, "HELPERS_ROOT": str(root)}, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return root
