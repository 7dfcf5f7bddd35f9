#!/usr/bin/env bash
# CI check of the offline bundle: build the Linux bundle for this machine's Python, install it with
# install.sh into a fresh HOME with the package index off (PIP_NO_INDEX=1, --no-index; and no network
# at all when `unshare -n` is allowed), run `quadrangle --version`, `quadrangle table` and a headless
# start from it, then install the same bundle again over it (the upgrade path) and check that the
# database in the data folder was not touched. Prints the times and sizes it measured.
#
#   tools/ci_offline_bundle.sh [PYTHON]      (default .venv/bin/python; pip's cache is reused)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${1:-.venv/bin/python}
version=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
base_python=$("$PY" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')
app_version=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
work=$(mktemp -d "${TMPDIR:-/tmp}/quadrangle-offline-ci.XXXXXX")
trap 'rm -rf "$work"' EXIT

say() { printf 'ci_offline_bundle: %s\n' "$*"; }
fail() { printf 'ci_offline_bundle: FAILED: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# 1. Build (connected side): pip's download cache makes repeated runs cheap.
start=$(now)
"$PY" tools/build_offline_bundle.py --target linux-x86_64 --python "$version" --output "$work/dist" --name bundle --quiet \
    > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "building the bundle"; }
build_seconds=$(since "$start")
bundle="$work/dist/bundle"
bundle_mb=$(du -sm "$bundle" | cut -f1)

# 2. Offline side: a fresh HOME, a minimal environment, the index off, and no network when allowed.
nonet=()
if unshare -n true 2>/dev/null; then nonet=(unshare -n); elif unshare -rn true 2>/dev/null; then nonet=(unshare -rn); fi
home="$work/home"
mkdir -p "$home"
offline() {
    "${nonet[@]}" env -i HOME="$home" PATH="$home/.local/bin:/usr/bin:/bin" LANG=C.UTF-8 \
        PIP_NO_INDEX=1 QT_QPA_PLATFORM=offscreen "$@"
}
start=$(now)
offline sh "$bundle/install.sh" --python "$base_python" > "$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "installing from the bundle"; }
install_seconds=$(since "$start")
prefix_mb=$(du -sm "$home/.local/opt/quadrangle" | cut -f1)

# 3. The installed program, through the launcher on PATH.
[ "$(offline quadrangle --version)" = "Quadrangle $app_version" ] || fail "quadrangle --version did not print Quadrangle $app_version"
offline quadrangle table --db "$work/x.db" > "$work/table.txt" || fail "quadrangle table --db $work/x.db"
grep -q "UN" "$work/table.txt" || fail "quadrangle table printed no relationship of the built-in dataset"
offline quadrangle table > /dev/null || fail "quadrangle table on the default data folder"
database="$home/.local/share/Quadrangle/quadrangle.db"
[ -f "$database" ] || fail "the default database is not in the user-data folder ($database)"
offline timeout 120 quadrangle --quit-after-paint 2> "$work/gui.log" || { cat "$work/gui.log"; fail "the window did not start"; }

# 4. Installing over the existing installation replaces the program and leaves the data alone.
before=$(sha256sum "$database")
start=$(now)
offline sh "$bundle/install.sh" --python "$base_python" > "$work/reinstall.log" 2>&1 ||
    { cat "$work/reinstall.log"; fail "installing over the previous installation"; }
reinstall_seconds=$(since "$start")
[ "$(sha256sum "$database")" = "$before" ] || fail "installing over the previous installation changed the database"
offline quadrangle table > /dev/null || fail "quadrangle table after installing over the previous installation"

network="no network (${nonet[*]})"
[ ${#nonet[@]} -gt 0 ] || network="network present but the index off (unshare not allowed here)"
say "Python $version, $network"
say "bundle built in ${build_seconds} s: ${bundle_mb} MB; installed in ${install_seconds} s (${prefix_mb} MB on disk); reinstalled over it in ${reinstall_seconds} s"
say "ok: quadrangle --version, table --db, table on the data folder, headless start, upgrade kept the database"
