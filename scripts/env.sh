# Sourced by the other scripts: installs libtorch when needed (scripts/setup) and exports the
# build environment. Cargo's target folder lives outside the clone, in the same per-user cache
# as the torch environment, so a fresh clone (CI) reuses earlier builds when they exist.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${RNNLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rnnlab}"
eval "$("$root/scripts/setup" --print-env)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache/target}"
command -v cargo >/dev/null || { echo "rnnlab: cargo is needed (https://rustup.rs)" >&2; exit 1; }

# A target folder shared by clones at different paths must not hand one clone another's build of
# rnnlab's own crates: cargo names a workspace crate's artifacts and fingerprints independently
# of where the clone is, so it can take another clone's (even a deleted one's) build as fresh,
# with that clone's CARGO_MANIFEST_DIR compiled into its tests. When the folder was last used
# from another path, forget rnnlab's own artifacts; the dependencies (libtorch's wrapper,
# polars) stay cached.
owner="$CARGO_TARGET_DIR/.rnnlab-clone"
if [ "$(cat "$owner" 2>/dev/null)" != "$root" ]; then
  for profile in "$CARGO_TARGET_DIR"/release "$CARGO_TARGET_DIR"/debug; do
    [ -d "$profile" ] || continue
    rm -rf "$profile"/.fingerprint/rnnlab* "$profile"/build/rnnlab* "$profile"/deps/*rnnlab*
  done
  mkdir -p "$CARGO_TARGET_DIR" && printf '%s\n' "$root" > "$owner"
fi
