"""Checks an offline bundle before anything is installed from it; shared by install.sh and install.ps1.

Standard library only, Python 3.11+, so the system Python that will host the virtual environment
runs it. Commands (each prints one line and exits non-zero on refusal):

  verify   BUNDLE          every file listed in SHA256SUMS matches, none is missing, wheels/ holds no
                           unlisted file, and this interpreter and platform are among the bundle's targets
  supports BUNDLE          exit 0 when this interpreter and platform are among the bundle's targets (quiet)
  version  BUNDLE          print the Quadrangle version the bundle installs
  render   TEMPLATE OUT KEY=VALUE...   write TEMPLATE with each @KEY@ replaced (the .desktop file)
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import sys
from pathlib import Path

SUMS_NAME = "SHA256SUMS"
MANIFEST_NAME = "bundle.json"
WHEELS_DIR = "wheels"
EXIT_DAMAGED = 3
EXIT_INCOMPATIBLE = 4
EXIT_USAGE = 2
# `sha256sum` writes "<hex>  <path>" (text mode) or "<hex> *<path>" (binary mode); accept both.
SUM_LINE = re.compile(r"^(?P<digest>[0-9a-fA-F]{64}) [ *](?P<path>.+)$")


class BundleRefusedError(Exception):
    """The bundle must not be installed; the message is one line a person can act on."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sums(bundle: Path) -> dict[str, str]:
    """The relative path -> digest list of SHA256SUMS; refuses a missing or malformed list."""
    sums_path = bundle / SUMS_NAME
    if not sums_path.is_file():
        raise BundleRefusedError(
            f"{SUMS_NAME} is missing from {bundle}: this is not a complete Quadrangle bundle.", EXIT_DAMAGED
        )
    listed: dict[str, str] = {}
    for number, line in enumerate(sums_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        match = SUM_LINE.match(line)
        relative = match.group("path") if match else ""
        parts = relative.replace("\\", "/").split("/")
        if not match or relative.startswith(("/", "\\")) or ":" in relative or ".." in parts:
            raise BundleRefusedError(
                f"{SUMS_NAME} line {number} is malformed: the bundle is damaged or was altered.", EXIT_DAMAGED
            )
        listed["/".join(parts)] = match.group("digest").lower()
    return listed


def checksum_problems(bundle: Path) -> list[str]:
    """Every reason the bundle's files disagree with SHA256SUMS (empty when they agree)."""
    listed = read_sums(bundle)
    problems = []
    for relative, expected in listed.items():
        path = bundle / relative
        if not path.is_file():
            problems.append(f"{relative} is missing")
        elif sha256_of(path) != expected:
            problems.append(f"{relative} does not match its checksum")
    # pip would pick up any wheel in wheels/, so an extra one is as dangerous as a changed one.
    wheels = bundle / WHEELS_DIR
    if wheels.is_dir():
        for path in sorted(wheels.rglob("*")):
            relative = path.relative_to(bundle).as_posix()
            if path.is_file() and relative not in listed:
                problems.append(f"{relative} is not listed in {SUMS_NAME}")
    if MANIFEST_NAME not in listed:
        problems.append(f"{MANIFEST_NAME} is not listed in {SUMS_NAME}")
    return problems


def read_manifest(bundle: Path) -> dict:
    try:
        return json.loads((bundle / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleRefusedError(
            f"{MANIFEST_NAME} cannot be read ({exc}): the bundle is damaged.", EXIT_DAMAGED
        ) from None


def this_target() -> str:
    """The bundle target name of this computer, e.g. linux-x86_64 or windows-x86_64."""
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    return f"{system}-{machine}"


def this_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def compatibility_problem(manifest: dict) -> str | None:
    """None when the bundle holds wheels for this interpreter and platform, else why not (one line)."""
    pairs = [(entry["target"], entry["python"]) for entry in manifest.get("targets", [])]
    here = (this_target(), this_python())
    if sys.implementation.name != "cpython":
        return f"this Python is {sys.implementation.name}; the bundle's wheels need CPython."
    if here in pairs:
        return None
    offered = ", ".join(f"{target} with Python {python}" for target, python in pairs) or "nothing"
    return (
        f"this bundle holds Quadrangle for {offered}; this computer runs Python {here[1]} on {here[0]}. "
        f"Build a bundle with --target {here[0]} --python {here[1]}, or install with another Python."
    )


def verify(bundle: Path) -> str:
    """Refuse (BundleRefusedError) a damaged, altered or incompatible bundle; return a one-line summary."""
    problems = checksum_problems(bundle)
    if problems:
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        raise BundleRefusedError(
            f"refused: {problems[0]}{more}; the bundle is damaged or was altered, nothing was installed. "
            f"Copy the bundle again from its source.",
            EXIT_DAMAGED,
        )
    manifest = read_manifest(bundle)
    problem = compatibility_problem(manifest)
    if problem:
        raise BundleRefusedError(f"refused: {problem}", EXIT_INCOMPATIBLE)
    count = len(read_sums(bundle))
    fingerprint = sha256_of(bundle / SUMS_NAME)
    return (
        f"verified {count} files of Quadrangle {manifest.get('version', '?')} against {SUMS_NAME} "
        f"(its SHA-256 is {fingerprint})"
    )


def render(template: Path, output: Path, assignments: list[str]) -> None:
    text = template.read_text(encoding="utf-8")
    for assignment in assignments:
        key, _, value = assignment.partition("=")
        text = text.replace(f"@{key}@", value)
    leftover = re.search(r"@[A-Z_]+@", text)
    if leftover:
        raise BundleRefusedError(f"{template.name} still contains {leftover.group(0)} after rendering.", EXIT_USAGE)
    temporary = output.with_name(output.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(output)


def main(argv: list[str]) -> int:
    usage = "usage: verify_bundle.py verify|supports|version BUNDLE, or render TEMPLATE OUT KEY=VALUE..."
    if len(argv) < 2:
        print(usage, file=sys.stderr)
        return EXIT_USAGE
    command, target = argv[0], Path(argv[1])
    try:
        if command == "verify":
            print(verify(target))
        elif command == "supports":
            return 0 if compatibility_problem(read_manifest(target)) is None else EXIT_INCOMPATIBLE
        elif command == "version":
            print(read_manifest(target)["version"])
        elif command == "render" and len(argv) >= 3:
            render(target, Path(argv[2]), argv[3:])
        else:
            print(usage, file=sys.stderr)
            return EXIT_USAGE
    except BundleRefusedError as exc:
        # The install scripts name themselves, so the one line says who refused.
        print(f"{os.environ.get('QUADRANGLE_INSTALLER', 'verify_bundle.py')}: {exc}", file=sys.stderr)
        return exc.status
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
