//! A run's `summary.json` (format owned by rnnlab-results), stamped with who made it.
use rnnlab_models::{device, LIBTORCH_VERSION};
pub use rnnlab_results::{Build, Status, Summary};
use tch::Device;

/// The one constructor of a run's summary: `status`, and the build, device and processor
/// that produced it (speeds and numbers compare only across the same ones). Measured fields
/// are filled in by the caller.
pub fn stamped(id: &str, status: Status, on: Device) -> Summary {
    let mut summary = Summary::new(id, status);
    summary.device = device::name(on);
    summary.rnnlab = env!("CARGO_PKG_VERSION").to_string();
    summary.libtorch = LIBTORCH_VERSION.to_string();
    summary.cpu = cpu_name();
    summary.commit = COMMIT.map(str::to_string);
    summary.threads = usize::try_from(tch::get_num_threads()).ok();
    summary
}

/// The git commit this crate was compiled from (build/git_commit.rs), None outside a checkout.
pub const COMMIT: Option<&str> = option_env!("RNNLAB_GIT_COMMIT");

/// The build this binary stamps into its summaries: a run whose `Summary::build` differs was
/// made by other code (`--rerun stale` runs it again).
pub fn this_build() -> Build {
    Build {
        rnnlab: env!("CARGO_PKG_VERSION").to_string(),
        commit: COMMIT.map(str::to_string),
        libtorch: LIBTORCH_VERSION.to_string(),
    }
}

/// The CPU's model name, or "unknown" where /proc/cpuinfo does not say.
pub fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
            })
        })
        .unwrap_or_else(|| "unknown".into())
}
