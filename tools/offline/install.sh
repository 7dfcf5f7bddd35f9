#!/bin/sh
# Install Quadrangle on Linux from this offline bundle, without any network:
#   sh install.sh [--prefix DIR] [--python PATH] [--bin-dir DIR] [--menu-dir DIR] [--no-menu]
# Defaults: --prefix ~/.local/opt/quadrangle, --bin-dir ~/.local/bin, --menu-dir ~/.local/share/applications.
# Every file is checked against SHA256SUMS first; a damaged or altered bundle is refused before anything
# is written. Upgrading replaces only DIR/venv: your database (in your user-data folder) is never touched.
set -eu

PROG=install.sh
BUNDLE=$(cd "$(dirname "$0")" && pwd -P)
PREFIX="$HOME/.local/opt/quadrangle"
BIN_DIR="$HOME/.local/bin"
MENU_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
PYTHON=""
MENU=1
MARK="written by Quadrangle's install.sh"
NL='
'

say() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }
usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }
value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)"; }

while [ $# -gt 0 ]; do
    case $1 in
        --prefix) value "$@"; PREFIX=$2; shift 2 ;;
        --prefix=*) PREFIX=${1#*=}; shift ;;
        --python) value "$@"; PYTHON=$2; shift 2 ;;
        --python=*) PYTHON=${1#*=}; shift ;;
        --bin-dir) value "$@"; BIN_DIR=$2; shift 2 ;;
        --bin-dir=*) BIN_DIR=${1#*=}; shift ;;
        --menu-dir) value "$@"; MENU_DIR=$2; shift 2 ;;
        --menu-dir=*) MENU_DIR=${1#*=}; shift ;;
        --no-menu) MENU=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done

# -- 1. A Python 3.11+ that this bundle has wheels for ---------------------------------------------
python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }
if [ -n "$PYTHON" ]; then
    command -v "$PYTHON" >/dev/null 2>&1 || die "--python $PYTHON: no such program"
    python_ok "$PYTHON" || die "--python $PYTHON is not Python 3.11 or newer"
else
    fallback=""
    for candidate in python3.13 python3.12 python3.11 python3; do
        command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate" || continue
        [ -n "$fallback" ] || fallback=$candidate
        if "$candidate" "$BUNDLE/verify_bundle.py" supports "$BUNDLE" >/dev/null 2>&1; then
            PYTHON=$candidate
            break
        fi
    done
    PYTHON=${PYTHON:-$fallback}
    [ -n "$PYTHON" ] || die "needs Python 3.11 or newer (python3.11, python3.12 or python3.13): install it from your distribution's packages, or pass --python PATH"
fi
PYTHON=$(command -v "$PYTHON")

# -- 2. Checksums first: nothing is written before the whole bundle checks out ----------------------
export QUADRANGLE_INSTALLER=$PROG
"$PYTHON" "$BUNDLE/verify_bundle.py" verify "$BUNDLE" || exit $?
VERSION=$("$PYTHON" "$BUNDLE/verify_bundle.py" version "$BUNDLE")
case $VERSION in
    ""|*[!0-9A-Za-z.+!_-]*) die "bundle.json names no valid version: the bundle is damaged" ;;
esac

# -- 3. Checks before writing anything --------------------------------------------------------------
"$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 ||
    die "$PYTHON cannot create virtual environments: install your distribution's venv package (e.g. python3-venv or python3.11-venv) and run again"
absolute() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$(pwd -P)" "$1" ;; esac; }
PREFIX=$(absolute "$PREFIX"); BIN_DIR=$(absolute "$BIN_DIR"); MENU_DIR=$(absolute "$MENU_DIR")
PREFIX=${PREFIX%/}
case "$PREFIX$BIN_DIR$MENU_DIR" in
    *[\'\"\`\$\\]*|*"$NL"*) die "the install paths must not contain quotes, \$, \` or backslashes: choose another --prefix" ;;
esac
DATA_DIR=${QUADRANGLE_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/Quadrangle}
case "$PREFIX/" in
    "${DATA_DIR%/}/"*) die "--prefix $PREFIX is inside your data folder $DATA_DIR: choose another folder for the program" ;;
esac
case "${DATA_DIR%/}/" in
    "$PREFIX/"*) die "your data folder $DATA_DIR is inside --prefix $PREFIX: choose another folder for the program" ;;
esac
if [ -d "$PREFIX" ] && [ ! -f "$PREFIX/.quadrangle-install" ] && [ -n "$(ls -A "$PREFIX")" ]; then
    die "$PREFIX is not empty and holds no Quadrangle installation: choose a new or empty --prefix"
fi
LAUNCHER="$BIN_DIR/quadrangle"
DESKTOP_FILE="$MENU_DIR/quadrangle.desktop"
owned() { [ ! -e "$1" ] && [ ! -L "$1" ] || grep -q "$2" "$1" 2>/dev/null; }
owned "$LAUNCHER" "$MARK" || die "$LAUNCHER exists and was not written by this installer: remove it or pass --bin-dir DIR"
if [ "$MENU" = 1 ]; then
    owned "$DESKTOP_FILE" "X-Quadrangle-Installer=install.sh" ||
        die "$DESKTOP_FILE exists and was not written by this installer: remove it or pass --no-menu"
fi

# -- 4. The program: a fresh virtual environment, the previous one kept until the new one works -----
VENV="$PREFIX/venv"
PREVIOUS="$PREFIX/venv.previous"
restore_previous() {
    rm -rf "$VENV"
    [ ! -d "$PREVIOUS" ] || mv "$PREVIOUS" "$VENV"
}
mkdir -p "$PREFIX"
if [ -d "$PREVIOUS" ]; then
    # An earlier install was cut off (power loss, kill -9): keep whichever program still starts.
    if "$VENV/bin/quadrangle" --version >/dev/null 2>&1; then rm -rf "$PREVIOUS"; else restore_previous; fi
fi
trap 'restore_previous; exit 130' INT TERM HUP
[ ! -d "$VENV" ] || mv "$VENV" "$PREVIOUS"

install_program() {
    "$PYTHON" -m venv "$VENV" || return 1
    (
        # Only the bundle's wheels: no index, no configured find-links, constraints or user pip.conf.
        for name in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$name"; done
        unset PYTHONPATH PYTHONHOME
        export PIP_NO_INDEX=1 PIP_CONFIG_FILE=/dev/null
        "$VENV/bin/python" -m pip install --no-index --find-links "$BUNDLE/wheels" --only-binary :all: \
            --no-cache-dir --disable-pip-version-check --quiet "quadrangle==$VERSION"
    ) || return 1
    "$VENV/bin/quadrangle" --version >/dev/null || return 1
}

say "installing Quadrangle $VERSION into $PREFIX with $PYTHON (no network)"
if ! install_program; then
    restore_previous
    [ -f "$PREFIX/.quadrangle-install" ] || rmdir "$PREFIX" 2>/dev/null || true
    die "the installation failed (see the messages above); the previous installation, if any, was kept"
fi
trap - INT TERM HUP
rm -rf "$PREVIOUS"
printf 'version=%s\ninstalled_at=%s\npython=%s\n' "$VERSION" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$PYTHON" \
    > "$PREFIX/.quadrangle-install"
cp "$BUNDLE/quadrangle.svg" "$PREFIX/quadrangle.svg"

# -- 5. Launcher on PATH and the desktop menu entry ------------------------------------------------
mkdir -p "$BIN_DIR"
cat > "$LAUNCHER.tmp" <<EOF
#!/bin/sh
# Quadrangle launcher, $MARK ($VERSION). Remove with: sh '$PREFIX/uninstall.sh'
exec '$VENV/bin/quadrangle' "\$@"
EOF
chmod 755 "$LAUNCHER.tmp"
mv -f "$LAUNCHER.tmp" "$LAUNCHER"

if [ "$MENU" = 1 ]; then
    mkdir -p "$MENU_DIR"
    "$PYTHON" "$BUNDLE/verify_bundle.py" render "$BUNDLE/quadrangle.desktop.in" "$DESKTOP_FILE" \
        "EXEC=$VENV/bin/quadrangle" "ICON=$PREFIX/quadrangle.svg" "VERSION=$VERSION"
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database "$MENU_DIR" >/dev/null 2>&1 || true
    fi
fi

# The data folder as the app itself resolves it (QUADRANGLE_HOME, else the platform's user-data folder).
DATA_DIR=$("$VENV/bin/python" -I -c 'from desktop.paths import user_data_dir; print(user_data_dir())' 2>/dev/null || printf '%s' "$DATA_DIR")

cat > "$PREFIX/uninstall.sh" <<EOF
#!/bin/sh
# Remove Quadrangle $VERSION installed by install.sh. The data folder ($DATA_DIR) is kept.
set -eu
if [ -f '$LAUNCHER' ] && grep -q "$MARK" '$LAUNCHER'; then rm -f '$LAUNCHER'; fi
if [ -f '$DESKTOP_FILE' ] && grep -q 'X-Quadrangle-Installer=install.sh' '$DESKTOP_FILE'; then rm -f '$DESKTOP_FILE'; fi
rm -rf '$VENV' '$PREVIOUS'
rm -f '$PREFIX/quadrangle.svg' '$PREFIX/.quadrangle-install' '$PREFIX/uninstall.sh'
rmdir '$PREFIX' 2>/dev/null || true
echo "Quadrangle was removed. Your data folder was kept: $DATA_DIR"
EOF

say "Quadrangle $VERSION is installed in $PREFIX"
say "start it from the desktop menu or with: $LAUNCHER"
case ":$PATH:" in
    *":$BIN_DIR:"*) ;;
    *) say "note: $BIN_DIR is not on your PATH; add it (e.g. in ~/.profile) to start Quadrangle by typing quadrangle" ;;
esac
say "your data folder (kept by upgrades and by uninstalling): $DATA_DIR"
say "to uninstall: sh '$PREFIX/uninstall.sh'"
