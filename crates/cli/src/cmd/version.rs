/// `rnnlab --version`: what was built, against what, and whether a GPU is usable.
#[cfg(feature = "torch")]
pub fn run() -> anyhow::Result<u8> {
    println!(
        "rnnlab {} (libtorch {}, CUDA {})",
        env!("CARGO_PKG_VERSION"),
        rnnlab_models::LIBTORCH_VERSION,
        if tch::Cuda::is_available() {
            format!("available, {} device(s)", tch::Cuda::device_count())
        } else {
            "not available".to_string()
        }
    );
    Ok(0)
}

/// `rnnlab --version` of a report-only build: no libtorch, so no training commands.
#[cfg(not(feature = "torch"))]
pub fn run() -> anyhow::Result<u8> {
    println!(
        "rnnlab {} (built without the `torch` feature: no libtorch; report, check, compare, \
         validate and tasks only)",
        env!("CARGO_PKG_VERSION")
    );
    Ok(0)
}
