"""The wheel is the product: built, installed into a fresh venv, used from another folder.

Tests may not reach the network, so the wheel is built without build isolation and
installed with ``--no-index``; its dependencies come from this test environment through a
``.pth`` line (the repository's own editable install is not on that path, so every import
of ``workbench`` below is the installed wheel's), and their data files (nbconvert's
templates) through ``JUPYTER_PATH``. ``WORKBENCH_WHEEL_ONLINE=1`` installs the
dependencies from the package index instead, as a user's ``pip install`` would.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600):
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """(bin directory of a fresh venv holding the wheel, environment to run it in)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"  # a clean copy: the build writes build/ and egg-info beside it
    shutil.copytree(ROOT / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))  # fmt: skip
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = base / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(dist), str(source)],
        cwd=base,
    )  # fmt: skip
    (wheel,) = dist.glob("filings_workbench-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    py = venv / "bin" / "python"
    if os.environ.get("WORKBENCH_WHEEL_ONLINE") == "1":
        _run([str(py), "-m", "pip", "install", "-q", str(wheel)], cwd=base, timeout=1800)
    else:
        purelib = _run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base
        ).stdout.strip()
        ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
        Path(purelib, "_test_env_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
        _run([str(py), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
             cwd=base)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBENCH_", "PYTHON"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["WORKBENCH_SAMPLE_DATA"] = str(base / "sample-data")  # never the user's cache
    env["HOME"] = str(base / "home")  # jupyter's runtime files stay in the test's folder
    (base / "home").mkdir()
    if os.environ.get("WORKBENCH_WHEEL_ONLINE") != "1":  # nbconvert's templates are data files
        env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return venv / "bin", env


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    bindir, env = installed
    where = _run(
        [str(bindir / "python"), "-c", "import workbench; print(workbench.__file__)"],
        cwd=tmp_path, env=env,
    ).stdout.strip()  # fmt: skip
    assert str(bindir.parent) in where and str(ROOT) not in where, where


def test_sample_and_a_report_from_another_folder(installed, tmp_path):
    bindir, env = installed
    _run([str(bindir / "workbench"), "sample"], cwd=tmp_path, env=env)
    for name in ("company_dilution", "company_timeliness"):
        page = tmp_path / "reports" / name / "innovo-group.html"
        assert page.exists() and "Innovo" in page.read_text(encoding="utf-8")
    out = _run(
        [str(bindir / "workbench"), "report", "company_timeliness", "-p", "company", "Innovo",
         "--data", "data/sample", "--out", "more"],
        cwd=tmp_path, env=env,
    ).stdout  # fmt: skip
    assert Path(out.strip().splitlines()[-1]).exists()


def test_report_list_names_every_report_with_typed_parameters(installed, tmp_path):
    bindir, env = installed
    text = _run([str(bindir / "workbench"), "report", "--list"], cwd=tmp_path, env=env).stdout
    for line in ("company_dilution:", "company_timeliness:", "market_timeliness:", "market_dilution:",
                 "-p start_year VALUE  (int | None", "-p form_types VALUE  (list[str]"):  # fmt: skip
        assert line in text, text


def test_both_explorers_run_headless_from_copied_notebooks(installed, tmp_path):
    bindir, env = installed
    dest = tmp_path / "mine"
    _run([str(bindir / "workbench"), "notebooks", str(dest)], cwd=tmp_path, env=env)
    assert sorted(p.name for p in (dest / "reports").glob("*.ipynb")) == [
        "company_dilution.ipynb", "company_timeliness.ipynb", "market_dilution.ipynb",
        "market_timeliness.ipynb",
    ]  # fmt: skip
    for name in ("explore_dilution", "explore_timeliness"):
        out = tmp_path / f"{name}.out.ipynb"
        _run(
            [str(bindir / "python"), "-m", "papermill", str(dest / f"{name}.ipynb"), str(out),
             "-k", "python3", "--no-progress-bar"],
            cwd=tmp_path, env=env,
        )  # fmt: skip
        book = json.loads(out.read_text(encoding="utf-8"))
        outputs = [o for c in book["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
        assert not [o for o in outputs if o["output_type"] == "error"]
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
