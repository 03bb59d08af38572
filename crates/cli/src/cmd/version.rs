/// `rnnlab --version`: what was built, against what, and whether a GPU is usable.
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
