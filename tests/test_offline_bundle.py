"""The offline bundle: its checksum list, the dependency closure per target, and install.sh run for real
on small stand-in wheels (refusing altered bundles, installing, upgrading over, uninstalling).

The real bundle (PySide6 and all) is built and installed by tools/ci_offline_bundle.sh from .ci/run.
"""

from __future__ import annotations

import base64
import configparser
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


builder = _load("build_offline_bundle", TOOLS / "build_offline_bundle.py")
verifier = _load("verify_bundle", TOOLS / "offline" / "verify_bundle.py")
HERE = (
    (builder.TARGETS[verifier.this_target()], verifier.this_python())
    if verifier.this_target() in builder.TARGETS
    else None
)
needs_linux = pytest.mark.skipif(sys.platform != "linux" or HERE is None, reason="install.sh runs on Linux x86_64")


# -- stand-in wheels -------------------------------------------------------------------------------


def make_wheel(folder: Path, name: str, version: str, *, requires=(), files=None, scripts=None) -> Path:
    """A minimal valid pure-Python wheel (METADATA, WHEEL, entry points and RECORD)."""
    dist_info = f"{name}-{version}.dist-info"
    contents = dict(files or {})
    metadata = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    metadata += [f"Requires-Dist: {requirement}" for requirement in requires]
    contents[f"{dist_info}/METADATA"] = "\n".join(metadata) + "\n"
    contents[f"{dist_info}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    if scripts:
        contents[f"{dist_info}/entry_points.txt"] = "[console_scripts]\n" + "".join(
            f"{k} = {v}\n" for k, v in scripts.items()
        )
    record = []
    for path, text in contents.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    contents[f"{dist_info}/RECORD"] = "\n".join(record) + "\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in contents.items():
            archive.writestr(path, text)
    return wheel


FAKE_CLI = """import os, sys
VERSION = "{version}"
def main():
    if sys.argv[1:] == ["--version"]:
        print("Quadrangle " + VERSION)
        return 0
    print("running " + VERSION + " with data in " + os.environ.get("QUADRANGLE_HOME", "?"))
    return 0
"""
FAKE_PATHS = "import os\ndef user_data_dir():\n    return os.environ['QUADRANGLE_HOME']\n"


def fake_bundle(tmp_path: Path, version: str, *, requires=(), pairs=None) -> Path:
    """A bundle built by the real assembler around a stand-in quadrangle wheel (and one dependency)."""
    wheels = tmp_path / f"wheels-{version}"
    wheels.mkdir()
    made = [
        make_wheel(
            wheels,
            "quadrangle",
            version,
            requires=["helperdep>=1", *requires],
            files={
                "desktop/__init__.py": "",
                "desktop/cli.py": FAKE_CLI.format(version=version),
                "desktop/paths.py": FAKE_PATHS,
            },
            scripts={"quadrangle": "desktop.cli:main"},
        ),
        make_wheel(wheels, "helperdep", "1.0", files={"helperdep/__init__.py": ""}),
    ]
    bundle = tmp_path / f"bundle-{version}"
    builder.assemble_bundle(bundle, made, version, pairs if pairs is not None else [HERE])
    return bundle


@pytest.fixture
def machine(tmp_path):
    """A home folder, data folder and PATH for running install.sh as a fresh user would."""
    home = tmp_path / "home"
    data = home / "data"
    data.mkdir(parents=True)
    env = {
        "HOME": str(home),
        "PATH": f"{home}/.local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "QUADRANGLE_HOME": str(data),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    return home, data, env


def run_install(bundle: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(bundle / "install.sh"), "--python", sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# -- checksums and verification --------------------------------------------------------------------


@pytest.mark.skipif(HERE is None, reason="needs a supported platform")
def test_sums_cover_every_file_and_sha256sum_agrees(tmp_path):
    """SHA256SUMS lists every file of the bundle but itself, in the format `sha256sum -c` checks."""
    bundle = fake_bundle(tmp_path, "0.1.0")
    listed = verifier.read_sums(bundle)
    on_disk = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == on_disk
    assert "verified" in verifier.verify(bundle)
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=bundle, check=True)


@pytest.mark.skipif(HERE is None, reason="needs a supported platform")
def test_verifier_refuses_paths_that_leave_the_bundle(tmp_path):
    """A SHA256SUMS line naming ../something or an absolute path is refused, not followed."""
    bundle = fake_bundle(tmp_path, "0.1.0")
    with (bundle / "SHA256SUMS").open("a") as sums:
        sums.write(f"{'0' * 64}  ../outside.txt\n")
    with pytest.raises(verifier.BundleRefusedError, match="line .* is malformed"):
        verifier.verify(bundle)


def test_missing_requirements_follow_the_target_markers(tmp_path):
    """A dependency needed only on Windows is reported missing for Windows and not for Linux."""
    made = [
        make_wheel(tmp_path, "quadrangle", "0.1.0", requires=["winonly>=1; sys_platform == 'win32'", "common"]),
        make_wheel(tmp_path, "common", "2.0"),
    ]
    infos = [builder.read_wheel(path) for path in made]
    linux, windows = builder.TARGETS["linux-x86_64"], builder.TARGETS["windows-x86_64"]
    assert builder.missing_requirements(infos, linux, "3.12", "2.34") == []
    assert builder.missing_requirements(infos, windows, "3.12", "2.34") == ["winonly>=1"]
    infos.append(builder.read_wheel(make_wheel(tmp_path, "winonly", "1.5")))
    assert builder.missing_requirements(infos, windows, "3.12", "2.34") == []


def test_download_command_selects_each_targets_wheels(tmp_path):
    """Linux asks for manylinux tags down from the chosen glibc, Windows for win_amd64, both for CPython's ABI."""
    pip = ["python", "-m", "pip"]
    linux = builder.download_command(pip, builder.TARGETS["linux-x86_64"], "3.13", "2.34", tmp_path, ["x.whl"])
    windows = builder.download_command(pip, builder.TARGETS["windows-x86_64"], "3.11", "2.34", tmp_path, ["x.whl"])
    assert "--only-binary=:all:" in linux and linux[-1] == "x.whl"
    platforms = [linux[i + 1] for i, word in enumerate(linux) if word == "--platform"]
    assert (
        platforms[0] == "manylinux_2_34_x86_64"
        and "manylinux_2_17_x86_64" in platforms
        and "manylinux2014_x86_64" in platforms
    )
    assert not any(tag.startswith("manylinux_2_35") for tag in platforms)
    assert [windows[i + 1] for i, word in enumerate(windows) if word == "--platform"] == ["win_amd64"]
    assert "cp313" in linux and "cp311" in windows and "abi3" in windows


def test_install_scripts_verify_before_they_create_anything():
    """Both install scripts call the shared verifier before creating the virtual environment, and the
    Windows scripts are ASCII (Windows PowerShell reads a BOM-less script in the ANSI code page)."""
    scripts = TOOLS / "offline"
    shell = (scripts / "install.sh").read_text()
    powershell = (scripts / "install.ps1").read_text()
    assert shell.index('verify_bundle.py" verify') < shell.index("-m venv") < shell.index("pip install --no-index")
    assert (
        powershell.index("Invoke-Native $PyExe @($Verifier, 'verify', $Bundle)")
        < powershell.index("-m venv")
        < powershell.index("pip install --no-index")
    )
    for name in ("install.ps1", "uninstall.ps1", "install.bat"):
        (scripts / name).read_bytes().decode("ascii")
    assert (scripts / "install.bat").read_bytes().count(b"\r\n") == (scripts / "install.bat").read_bytes().count(b"\n")


# -- install.sh, run for real ----------------------------------------------------------------------


@needs_linux
def test_install_sh_refuses_a_tampered_wheel(tmp_path, machine):
    """One changed byte in a wheel stops install.sh with one line naming the file, before anything is written."""
    home, _, env = machine
    bundle = fake_bundle(tmp_path, "0.1.0")
    wheel = bundle / "wheels" / "helperdep-1.0-py3-none-any.whl"
    data = bytearray(wheel.read_bytes())
    data[40] ^= 0xFF
    wheel.write_bytes(bytes(data))
    result = run_install(bundle, env)
    assert result.returncode == verifier.EXIT_DAMAGED
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "wheels/helperdep-1.0-py3-none-any.whl does not match its checksum" in result.stderr
    assert not (home / ".local").exists()


@needs_linux
def test_install_sh_refuses_a_wheel_added_to_the_bundle(tmp_path, machine):
    """A wheel slipped into wheels/ (which pip would prefer if its version is higher) is refused."""
    home, _, env = machine
    bundle = fake_bundle(tmp_path, "0.1.0")
    make_wheel(bundle / "wheels", "helperdep", "9.0", files={"helperdep/__init__.py": "import os"})
    result = run_install(bundle, env)
    assert result.returncode == verifier.EXIT_DAMAGED
    assert "wheels/helperdep-9.0-py3-none-any.whl is not listed in SHA256SUMS" in result.stderr
    assert not (home / ".local").exists()


@needs_linux
def test_install_sh_refuses_a_bundle_for_another_python(tmp_path, machine):
    """A bundle built for another Python says which bundle to build instead."""
    home, _, env = machine
    bundle = fake_bundle(tmp_path, "0.1.0", pairs=[(builder.TARGETS["windows-x86_64"], "3.12")])
    result = run_install(bundle, env)
    assert result.returncode == verifier.EXIT_INCOMPATIBLE
    assert f"--target {HERE[0].name} --python {HERE[1]}" in result.stderr
    assert not (home / ".local").exists()


@pytest.mark.slow
@needs_linux
def test_install_upgrade_and_uninstall_keep_the_data_folder(tmp_path, machine):
    """install.sh puts a launcher on PATH and a menu entry; a newer bundle replaces only the program;
    uninstall.sh removes what was installed; the data folder is never touched."""
    home, data, env = machine
    (data / "quadrangle.db").write_bytes(b"the analyst's work")
    first = run_install(fake_bundle(tmp_path, "0.1.0"), env)
    assert first.returncode == 0, first.stderr
    launcher = home / ".local" / "bin" / "quadrangle"
    assert (
        subprocess.run(["quadrangle", "--version"], env=env, capture_output=True, text=True).stdout
        == "Quadrangle 0.1.0\n"
    )

    entry = configparser.ConfigParser(interpolation=None)
    entry.read(home / ".local" / "share" / "applications" / "quadrangle.desktop")
    desktop = entry["Desktop Entry"]
    prefix = home / ".local" / "opt" / "quadrangle"
    assert desktop["Type"] == "Application" and desktop["Name"] == "Quadrangle"
    assert desktop["Exec"] == f'"{prefix}/venv/bin/quadrangle"' and Path(desktop["TryExec"]).is_file()
    assert Path(desktop["Icon"]).read_text().startswith("<?xml")
    if shutil.which("desktop-file-validate"):  # Debian's desktop-file-utils, where installed
        subprocess.run(
            ["desktop-file-validate", str(home / ".local/share/applications/quadrangle.desktop")], check=True
        )

    second = run_install(fake_bundle(tmp_path, "0.2.0"), env)
    assert second.returncode == 0, second.stderr
    assert (
        subprocess.run([str(launcher), "--version"], env=env, capture_output=True, text=True).stdout
        == "Quadrangle 0.2.0\n"
    )
    assert not (prefix / "venv.previous").exists()
    assert sorted(p.name for p in data.iterdir()) == ["quadrangle.db"]
    assert (data / "quadrangle.db").read_bytes() == b"the analyst's work"

    removed = subprocess.run(["sh", str(prefix / "uninstall.sh")], env=env, capture_output=True, text=True)
    assert removed.returncode == 0, removed.stderr
    assert not launcher.exists() and not prefix.exists()
    assert not (home / ".local" / "share" / "applications" / "quadrangle.desktop").exists()
    assert (data / "quadrangle.db").read_bytes() == b"the analyst's work"


@pytest.mark.slow
@needs_linux
def test_failed_upgrade_keeps_the_previous_installation(tmp_path, machine):
    """After an upgrade cut off half-way and then one pip cannot finish, the previous program is back and starts."""
    home, _, env = machine
    assert run_install(fake_bundle(tmp_path, "0.1.0"), env).returncode == 0
    prefix = home / ".local" / "opt" / "quadrangle"
    (prefix / "venv").rename(prefix / "venv.previous")  # as if the machine lost power mid-upgrade
    (prefix / "venv" / "bin").mkdir(parents=True)
    broken = run_install(fake_bundle(tmp_path, "0.2.0", requires=["not-in-the-bundle"]), env)
    assert broken.returncode == 1
    assert "the previous installation, if any, was kept" in broken.stderr
    result = subprocess.run(["quadrangle", "--version"], env=env, capture_output=True, text=True)
    assert result.stdout == "Quadrangle 0.1.0\n"


@needs_linux
def test_install_sh_will_not_take_over_a_foreign_folder_or_launcher(tmp_path, machine):
    """A non-empty folder that is not an installation, or a `quadrangle` command someone else wrote, stops the install."""
    home, _, env = machine
    bundle = fake_bundle(tmp_path, "0.1.0")
    elsewhere = tmp_path / "projects"
    (elsewhere / "notes.txt").parent.mkdir()
    (elsewhere / "notes.txt").write_text("mine")
    result = run_install(bundle, env, "--prefix", str(elsewhere))
    assert result.returncode == 1 and "holds no Quadrangle installation" in result.stderr
    bin_dir = home / ".local" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "quadrangle").write_text("#!/bin/sh\necho someone else's\n")
    result = run_install(bundle, env)
    assert result.returncode == 1 and "was not written by this installer" in result.stderr
    assert not (home / ".local" / "opt").exists()


def test_manifest_names_targets_and_version(tmp_path):
    """bundle.json records the version and every target/Python pair, which the verifier checks against."""
    pairs = [(builder.TARGETS["linux-x86_64"], "3.11"), (builder.TARGETS["windows-x86_64"], "3.13")]
    bundle = tmp_path / "b"
    builder.assemble_bundle(bundle, [make_wheel(tmp_path, "quadrangle", "1.2.3")], "1.2.3", pairs)
    manifest = json.loads((bundle / "bundle.json").read_text())
    assert manifest["version"] == "1.2.3"
    assert manifest["targets"] == [
        {"target": "linux-x86_64", "python": "3.11"},
        {"target": "windows-x86_64", "python": "3.13"},
    ]
    assert os.access(bundle / "install.sh", os.X_OK)


def test_powershell_strings_have_no_colon_after_a_variable():
    """`"$name: text"` is a parse error in PowerShell (a drive-qualified name); the scripts must use `${name}:`."""
    import re

    for name in ("install.ps1", "uninstall.ps1"):
        text = (TOOLS / "offline" / name).read_text()
        bad = [m.group(0) for m in re.finditer(r"\$(?!env:|Env:)[A-Za-z_]\w*:", text)]
        assert bad == [], f"{name}: {bad}"


def test_verifier_names_a_windows_machine_like_the_builder(monkeypatch):
    """On 64-bit Windows the verifier's target name is the builder's windows-x86_64, so a Windows bundle is accepted there."""
    monkeypatch.setattr(verifier.sys, "platform", "win32")
    monkeypatch.setattr(verifier.platform, "machine", lambda: "AMD64")
    assert verifier.this_target() == "windows-x86_64" and verifier.this_target() in builder.TARGETS
    manifest = {"targets": [{"target": "windows-x86_64", "python": verifier.this_python()}]}
    assert verifier.compatibility_problem(manifest) is None
    manifest = {"targets": [{"target": "linux-x86_64", "python": verifier.this_python()}]}
    assert "--target windows-x86_64" in verifier.compatibility_problem(manifest)
