//! The one place where rnnlab decides where tensors live.
use tch::{Cuda, Device};

/// Where to run: `cpu`, `cuda` (the first GPU), or `auto` (CUDA when libtorch sees a GPU).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    Cpu,
    Cuda,
    #[default]
    Auto,
}

impl std::str::FromStr for DeviceChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "cpu" => Ok(Self::Cpu),
            "cuda" => Ok(Self::Cuda),
            "auto" => Ok(Self::Auto),
            other => Err(format!("unknown device `{other}`: use cpu, cuda or auto")),
        }
    }
}

impl DeviceChoice {
    /// The libtorch device. `cuda` without a visible GPU is an error rather than a silent CPU run.
    pub fn resolve(self) -> Result<Device, String> {
        match self {
            Self::Cpu => Ok(Device::Cpu),
            Self::Auto => Ok(Device::cuda_if_available()),
            Self::Cuda if Cuda::is_available() => Ok(Device::Cuda(0)),
            Self::Cuda => Err("device `cuda` asked for, but libtorch sees no CUDA device".into()),
        }
    }
}

/// A short name for summaries: `cpu` or `cuda:0`.
pub fn name(device: Device) -> String {
    match device {
        Device::Cpu => "cpu".into(),
        Device::Cuda(i) => format!("cuda:{i}"),
        other => format!("{other:?}").to_lowercase(),
    }
}
