"""A wheel built from this checkout, installed into a fresh virtualenv (once per session).

Everything comes from pip's ordinary index and cache, as on a user's machine; the venv is made
without its own pip (the outer pip installs into it with `--python`), which saves seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SDK_PIN = "3.1.219"


@dataclass
class FreshVenv:
    wheel: Path
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def run(self, *args: str, cwd: Path | None = None, timeout: float = 120):
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            cwd=cwd or self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_fresh_env(),
        )


def build_wheel(out: Path) -> Path:
    """Builds the wheel as a user would (`python -m build`, in its isolated environment). Its
    build requirements come from the package index, which has failed a build now and then:
    one retry, and the builder's own output in the failure."""
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)]
    for attempt in (1, 2):
        built = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if built.returncode == 0:
            break
        if attempt == 2:
            raise AssertionError(f"python -m build failed:\n{built.stdout}\n{built.stderr}")
    (wheel,) = out.glob("idplane-*.whl")
    return wheel


def fresh_venv(root: Path, wheel: Path, *extra: str) -> FreshVenv:
    venv.create(root, with_pip=False)
    python = root / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-compile", str(wheel), *extra],
        check=True,
        capture_output=True,
        timeout=600,
        env=_fresh_env(),
    )
    return FreshVenv(wheel, root)


def _fresh_env() -> dict[str, str]:
    """The environment without PYTHONPATH: a checkout on it (with the egg-info the build leaves
    in src/) would make pip see idplane as installed already and the venv use the checkout."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
