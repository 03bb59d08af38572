//! Build script shared by every crate that links libtorch into a binary or a test
//! (`build = "../../build/libtorch_rpath.rs"` in their Cargo.toml).
//!
//! torch-sys links libtorch but its rpath flag reaches only its own static library, so binaries
//! would need LD_LIBRARY_PATH at run time (tch-rs issues 767 and 907). torch-sys announces the
//! library folder as `DEP_TCH_LIBTORCH_LIB` to crates that depend on it directly; we bake it into
//! our binaries' rpath. Where libtorch has a CUDA library, the linker's default `--as-needed`
//! drops it (nothing references its symbols) and CUDA would be invisible on a GPU machine
//! (tch-rs issues 980, 291, 177): link it explicitly under `--no-as-needed`.
//!
//! A crate that links libtorch only with its `torch` feature (listed in [`OPTIONAL_TORCH`])
//! gets nothing from this script without that feature: its report-only build links no libtorch,
//! so it must not be told to. models and train always link libtorch and have no such feature.
//! rnnlab-train runs it from its own build script (crates/train/build.rs), beside
//! build/git_commit.rs.
use std::path::Path;

/// Packages whose libtorch dependencies are optional, behind a feature named `torch`.
const OPTIONAL_TORCH: &[&str] = &["rnnlab"];

pub fn main() {
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_default();
    if OPTIONAL_TORCH.contains(&package.as_str())
        && std::env::var_os("CARGO_FEATURE_TORCH").is_none()
    {
        return;
    }
    let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") else {
        return;
    };
    println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
    if Path::new(&lib).join("libtorch_cuda.so").exists() {
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
        println!("cargo:rustc-link-arg=-ltorch_cuda");
        println!("cargo:rustc-link-arg=-Wl,--as-needed");
    }
}
