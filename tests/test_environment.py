"""environment.yml and pyproject.toml must declare the same dependencies."""

import re
import tomllib

import yaml

from helpers import paths


def _normalise(spec: str) -> str:
    name, constraint = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return name.lower().replace("_", "-") + constraint.replace(" ", "")


def _pyproject_specs() -> set[str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    return {_normalise(s) for s in specs}


def _conda_specs() -> set[str]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    specs = {_normalise(d) for d in env["dependencies"] if isinstance(d, str)}
    return {s for s in specs if not s.startswith(("python>", "python=", "pip"))} | {
        s for s in specs if s.startswith("pip") and s != "pip"
    }


def test_environment_declares_same_dependencies_as_pyproject():
    pyproject, conda = _pyproject_specs(), _conda_specs()
    assert pyproject == conda, (
        f"only in pyproject.toml: {sorted(pyproject - conda)}; only in environment.yml: {sorted(conda - pyproject)}"
    )


def test_environment_installs_the_package_itself():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def test_drift_is_detected(tmp_path):
    # The comparison itself must be able to fail: a spec present on one side only shows up.
    assert _normalise("Pandas >= 2.1") == "pandas>=2.1"
    assert {_normalise("pandas>=2.1")} != {_normalise("pandas>=2.2")}
