"""Build an offline installation bundle of Quadrangle on a connected machine.

The bundle is a folder (optionally also a .zip or .tar.gz) that an administrator carries to an
air-gapped workstation: the project's wheel, the wheels of every dependency for the chosen targets,
the install scripts (install.sh for Linux, install.ps1 + install.bat for Windows), the menu icon and
a SHA256SUMS list that the install scripts check before installing anything.

    python tools/build_offline_bundle.py --target linux-x86_64 --python 3.11
    python tools/build_offline_bundle.py --target windows-x86_64 --python 3.12 --python 3.13 --archive zip
    python tools/build_offline_bundle.py --target all --python all --archive tar.gz

Only the standard library and pip are needed (plus `packaging`, which pip itself vendors).
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "offline"
ICONS = ROOT / "resources" / "icons"
PROJECT = "quadrangle"
PYTHONS = ("3.11", "3.12", "3.13")
# PySide6 6.10+ publishes Linux wheels for glibc 2.34 and later only (manylinux_2_34); a lower
# --glibc makes pip choose an older PySide6 that still satisfies pyproject.toml (2.28: PySide6 6.9.3).
DEFAULT_GLIBC = "2.34"
# Files copied from tools/offline (and resources/icons) into the bundle's top folder.
BUNDLE_SCRIPTS = (
    "install.sh",
    "install.ps1",
    "install.bat",
    "uninstall.ps1",
    "verify_bundle.py",
    "quadrangle.desktop.in",
)
BUNDLE_ICONS = ("quadrangle.svg", "quadrangle.png", "quadrangle.ico")
SUMS_NAME = "SHA256SUMS"


@dataclass(frozen=True)
class Target:
    """A platform wheels are downloaded for, as pip's --platform tags and a marker environment."""

    name: str
    sys_platform: str
    platform_system: str
    os_name: str
    platform_machine: str

    def platform_tags(self, glibc: str) -> list[str]:
        if self.sys_platform == "win32":
            return ["win_amd64"]
        major, minor = (int(part) for part in glibc.split("."))
        tags = [f"manylinux_{major}_{m}_x86_64" for m in range(minor, 16, -1)]
        return tags + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]

    def marker_environment(self, python: str) -> dict[str, str]:
        return {
            "implementation_name": "cpython",
            "implementation_version": f"{python}.0",
            "os_name": self.os_name,
            "platform_machine": self.platform_machine,
            "platform_python_implementation": "CPython",
            "platform_release": "",
            "platform_version": "",
            "platform_system": self.platform_system,
            "python_full_version": f"{python}.0",
            "python_version": python,
            "sys_platform": self.sys_platform,
            "extra": "",
        }


TARGETS = {
    "linux-x86_64": Target("linux-x86_64", "linux", "Linux", "posix", "x86_64"),
    "windows-x86_64": Target("windows-x86_64", "win32", "Windows", "nt", "AMD64"),
}


class BuildError(Exception):
    """The bundle could not be built; the message says what to do."""


def log(message: str) -> None:
    print(f"build_offline_bundle: {message}", flush=True)


def run(command: list[str], **options) -> None:
    log("$ " + " ".join(command))
    result = subprocess.run(command, **options)
    if result.returncode != 0:
        raise BuildError(f"command failed with status {result.returncode}: {' '.join(command)}")


# -- the project's wheel ---------------------------------------------------------------------------


def source_files(root: Path) -> list[Path]:
    """The files a wheel is built from: git's tracked and untracked-but-not-ignored files, so stale
    build/ folders and local virtual environments never leak into the wheel."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError):
        raise BuildError(f"{root} is not a git checkout: build the wheel yourself and pass --wheel") from None
    return [root / name for name in listing.split("\0") if name and (root / name).is_file()]


def build_project_wheel(root: Path, dest: Path, pip: list[str]) -> Path:
    """Build the project's wheel from a clean copy of the source tree into `dest`."""
    with tempfile.TemporaryDirectory(prefix="quadrangle-src-") as scratch:
        copy = Path(scratch) / "src"
        for path in source_files(root):
            target = copy / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        run([*pip, "wheel", "--no-deps", "--wheel-dir", str(dest), str(copy)])
    wheels = sorted(dest.glob(f"{PROJECT}-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one {PROJECT} wheel in {dest}, found {len(wheels)}")
    return wheels[0]


# -- dependencies ----------------------------------------------------------------------------------


def download_command(
    pip: list[str], target: Target, python: str, glibc: str, dest: Path, requirements: list[str]
) -> list[str]:
    """pip download for one target and Python: binary wheels only, CPython's ABI, stable ABI, or pure."""
    return [
        *pip,
        "download",
        "--only-binary=:all:",
        "--dest",
        str(dest),
        *target_options(target, python, glibc),
        *requirements,
    ]


def _packaging():
    try:
        from packaging import markers, requirements, tags, utils, version
    except ImportError:  # pip vendors it, and pip is required anyway
        from pip._vendor.packaging import markers, requirements, tags, utils, version  # type: ignore[no-redef]
    return markers, requirements, tags, utils, version


@dataclass(frozen=True)
class WheelInfo:
    path: Path
    name: str
    version: object
    tags: frozenset
    requires: tuple[str, ...]


def read_wheel(path: Path) -> WheelInfo:
    _, _, tags, utils, _ = _packaging()
    name, version, _, wheel_tags = utils.parse_wheel_filename(path.name)
    with zipfile.ZipFile(path) as archive:
        metadata_name = next(n for n in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        metadata = email.parser.BytesParser().parsebytes(archive.read(metadata_name), headersonly=True)
    return WheelInfo(
        path,
        utils.canonicalize_name(name),
        version,
        frozenset(wheel_tags),
        tuple(metadata.get_all("Requires-Dist") or ()),
    )


def supported_tags(target: Target, python: str, glibc: str) -> set:
    _, _, tags, _, _ = _packaging()
    version = tuple(int(part) for part in python.split("."))
    platforms = target.platform_tags(glibc)
    found = set(tags.cpython_tags(version, abis=[f"cp{python.replace('.', '')}", "abi3", "none"], platforms=platforms))
    found |= set(tags.compatible_tags(version, interpreter=f"cp{python.replace('.', '')}", platforms=platforms))
    return found


def missing_requirements(wheels: list[WheelInfo], target: Target, python: str, glibc: str) -> list[str]:
    """Requirements of the project's closure that no wheel in the folder satisfies for this target.

    pip download evaluates environment markers for the machine it runs on, not for --platform, so a
    dependency needed only on Windows (or only on another Python) can be missing; this finds them.
    """
    _, requirements, _, utils, _ = _packaging()
    environment = target.marker_environment(python)
    usable = supported_tags(target, python, glibc)
    by_name: dict[str, list[WheelInfo]] = {}
    for wheel in wheels:
        if wheel.tags & usable:
            by_name.setdefault(wheel.name, []).append(wheel)
    missing: list[str] = []
    queue = [(requirements.Requirement(PROJECT), "")]
    seen: set[tuple[str, str]] = set()
    while queue:
        requirement, extra = queue.pop()
        key = (str(requirement), extra)
        if key in seen:
            continue
        seen.add(key)
        if requirement.marker is not None and not requirement.marker.evaluate({**environment, "extra": extra}):
            continue
        name = utils.canonicalize_name(requirement.name)
        candidates = [w for w in by_name.get(name, []) if requirement.specifier.contains(w.version, prereleases=True)]
        if not candidates:
            missing.append(str(requirement).split(";")[0].strip())
            continue
        chosen = max(candidates, key=lambda w: w.version)
        for line in chosen.requires:
            dependency = requirements.Requirement(line)
            for wanted in requirement.extras or {""}:
                queue.append((dependency, wanted))
    return sorted(set(missing))


def target_options(target: Target, python: str, glibc: str) -> list[str]:
    """pip's options that select wheels for one target and Python: its platform tags, CPython's ABI,
    the stable ABI, or pure Python."""
    nodot = python.replace(".", "")
    options = []
    for tag in target.platform_tags(glibc):
        options += ["--platform", tag]
    return options + [
        "--python-version",
        python,
        "--implementation",
        "cp",
        "--abi",
        f"cp{nodot}",
        "--abi",
        "abi3",
        "--abi",
        "none",
    ]


def offline_environment() -> dict[str, str]:
    """The environment of an offline machine for pip: no index, no configuration file, no PIP_* settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return {**environment, "PIP_NO_INDEX": "1", "PIP_CONFIG_FILE": os.devnull}


def check_offline_resolution(pip, wheels_dir: Path, target: Target, python: str, glibc: str, version: str) -> None:
    """Resolve the project from the wheels folder alone, as the offline install will (nothing is written)."""
    with tempfile.TemporaryDirectory(prefix="quadrangle-dry-run-") as never_written:
        run(
            [
                *pip,
                "install",
                "--dry-run",
                "--ignore-installed",
                "--target",
                never_written,
                "--no-index",
                "--find-links",
                str(wheels_dir),
                "--only-binary=:all:",
                *target_options(target, python, glibc),
                f"{PROJECT}=={version}",
            ],
            env=offline_environment(),
        )


def download_dependencies(pip, project_wheel: Path, wheels_dir: Path, pairs, glibc: str) -> None:
    for target, python in pairs:
        run(download_command(pip, target, python, glibc, wheels_dir, [str(project_wheel)]))
        for _ in range(5):
            infos = [read_wheel(path) for path in sorted(wheels_dir.glob("*.whl"))]
            missing = missing_requirements(infos, target, python, glibc)
            if not missing:
                break
            log(f"{target.name} Python {python}: fetching what pip's host markers skipped: {', '.join(missing)}")
            run(download_command(pip, target, python, glibc, wheels_dir, missing))
        else:
            raise BuildError(f"{target.name} Python {python}: still missing {', '.join(missing)}")


# -- assembling ------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(bundle: Path) -> Path:
    """SHA256SUMS in `sha256sum` format, for every file of the bundle but itself, sorted by path."""
    lines = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        relative = path.relative_to(bundle).as_posix()
        if relative != SUMS_NAME:
            lines.append(f"{sha256_of(path)}  {relative}\n")
    sums = bundle / SUMS_NAME
    sums.write_text("".join(lines), encoding="utf-8", newline="\n")
    return sums


def git_revision(root: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, check=True, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, check=True, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+uncommitted-changes" if dirty else "")


def assemble_bundle(bundle: Path, wheels: list[Path], version: str, pairs, *, revision: str = "unknown") -> Path:
    """Write a complete bundle folder from finished wheels: scripts, icons, bundle.json, SHA256SUMS.

    Any existing folder of that name is replaced. Returns the SHA256SUMS path.
    """
    if bundle.exists():
        shutil.rmtree(bundle)
    (bundle / "wheels").mkdir(parents=True)
    for wheel in wheels:
        shutil.copy2(wheel, bundle / "wheels" / wheel.name)
    for name in BUNDLE_SCRIPTS:
        shutil.copy2(SCRIPTS / name, bundle / name)
    for name in BUNDLE_ICONS:
        shutil.copy2(ICONS / name, bundle / name)
    os.chmod(bundle / "install.sh", 0o755)
    manifest = {
        "name": PROJECT,
        "version": version,
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source_revision": revision,
        "targets": [{"target": target.name, "python": python} for target, python in pairs],
    }
    (bundle / "bundle.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8", newline="\n")
    (bundle / "README.txt").write_text(readme_text(version, pairs), encoding="utf-8", newline="\n")
    return write_sums(bundle)


def readme_text(version: str, pairs) -> str:
    offered = "\n".join(f"  - {target.name}, Python {python}" for target, python in pairs)
    return f"""Quadrangle {version}: offline installation bundle

This folder installs Quadrangle without any network. It holds wheels for:
{offered}

Linux:    sh install.sh                      (options: --prefix DIR, --python PATH, --no-menu; --help)
Windows:  powershell -ExecutionPolicy Bypass -File install.ps1   (or double-click install.bat)

The installer first checks every file against SHA256SUMS and refuses a damaged or altered bundle.
Compare the SHA-256 it prints for SHA256SUMS with the one the builder gave you.
Your database is in your user-data folder and is never touched by installing, upgrading or uninstalling.
"""


def write_archive(bundle: Path, kind: str) -> Path:
    """Pack the bundle folder (as the archive's top folder) into a .zip or .tar.gz beside it."""
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    if kind == "zip":
        archive = bundle.with_name(bundle.name + ".zip")
        with zipfile.ZipFile(archive, "w") as out:
            for path in files:
                # Wheels are already compressed: storing them is as small and much faster.
                method = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
                out.write(path, f"{bundle.name}/{path.relative_to(bundle).as_posix()}", compress_type=method)
    else:
        archive = bundle.with_name(bundle.name + ".tar.gz")
        with tarfile.open(archive, "w:gz", compresslevel=1) as out:
            out.add(bundle, arcname=bundle.name)
    archive.with_name(archive.name + ".sha256").write_text(f"{sha256_of(archive)}  {archive.name}\n", encoding="utf-8")
    return archive


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- command line ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build_offline_bundle.py",
        description="Build a Quadrangle bundle that installs without network (run on a connected machine).",
    )
    parser.add_argument(
        "--target",
        action="append",
        choices=[*TARGETS, "all"],
        metavar="TARGET",
        help=f"platform to include: {', '.join(TARGETS)} or all (repeatable; default linux-x86_64)",
    )
    parser.add_argument(
        "--python",
        action="append",
        choices=[*PYTHONS, "all"],
        metavar="X.Y",
        help=f"Python version to include: {', '.join(PYTHONS)} or all (repeatable; default {PYTHONS[0]})",
    )
    parser.add_argument(
        "--output", type=Path, default=ROOT / "dist", help="folder the bundle is written into (default dist/)"
    )
    parser.add_argument("--name", help="bundle folder name (default quadrangle-VERSION-offline-TARGETS-PYTHONS)")
    parser.add_argument(
        "--archive", choices=("none", "zip", "tar.gz"), default="none", help="also pack the folder (default none)"
    )
    parser.add_argument(
        "--glibc",
        default=DEFAULT_GLIBC,
        metavar="X.Y",
        help=f"oldest glibc of the Linux workstations (default {DEFAULT_GLIBC})",
    )
    parser.add_argument("--quiet", action="store_true", help="less of pip's output")
    parser.add_argument("--wheel", type=Path, help="use this already built quadrangle wheel instead of building one")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"2\.(1[7-9]|[2-9]\d)", args.glibc):
        parser.error("--glibc must look like 2.34 (2.17 or newer)")
    targets = args.target or ["linux-x86_64"]
    pythons = args.python or [PYTHONS[0]]
    args.targets = list(TARGETS) if "all" in targets else list(dict.fromkeys(targets))
    args.pythons = list(PYTHONS) if "all" in pythons else list(dict.fromkeys(pythons))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", *(["--quiet"] if args.quiet else [])]
    pairs = [(TARGETS[t], p) for t in args.targets for p in args.pythons]
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="quadrangle-bundle-") as scratch:
            wheels_dir = Path(scratch) / "wheels"
            wheels_dir.mkdir()
            if args.wheel:
                project_wheel = wheels_dir / args.wheel.name
                shutil.copy2(args.wheel, project_wheel)
            else:
                project_wheel = build_project_wheel(ROOT, wheels_dir, pip)
            version = read_wheel(project_wheel).version
            download_dependencies(pip, project_wheel, wheels_dir, pairs, args.glibc)
            for target, python in pairs:
                check_offline_resolution(pip, wheels_dir, target, python, args.glibc, str(version))
            name = args.name or "-".join(
                [f"{PROJECT}-{version}-offline", "+".join(args.targets), "+".join("py" + p for p in args.pythons)]
            )
            bundle = args.output.resolve() / name
            args.output.mkdir(parents=True, exist_ok=True)
            sums = assemble_bundle(
                bundle, sorted(wheels_dir.glob("*.whl")), str(version), pairs, revision=git_revision(ROOT)
            )
        archive = write_archive(bundle, args.archive) if args.archive != "none" else None
    except BuildError as exc:
        print(f"build_offline_bundle: {exc}", file=sys.stderr)
        return 1
    wheel_count = len(list((bundle / "wheels").glob("*.whl")))
    log(f"bundle: {bundle} ({wheel_count} wheels, {folder_size(bundle) / 1e6:.1f} MB)")
    if archive:
        log(f"archive: {archive} ({archive.stat().st_size / 1e6:.1f} MB, SHA-256 {sha256_of(archive)})")
    log(f"SHA-256 of SHA256SUMS (give this to the administrator): {sha256_of(sums)}")
    log(f"built in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
