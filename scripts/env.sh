# Sourced by the other scripts: installs libtorch when needed (scripts/setup) and exports the
# build environment. Cargo's target folder lives outside the clone, in the same per-user cache
# as the torch environment, so a fresh clone (CI) reuses earlier builds when they exist.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${RNNLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rnnlab}"
eval "$("$root/scripts/setup" --print-env)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache/target}"
command -v cargo >/dev/null || { echo "rnnlab: cargo is needed (https://rustup.rs)" >&2; exit 1; }
