//! Seeded initialisation. Every initial weight is drawn from the run's own [`Rng`] in Rust and
//! copied into the tensor, never from libtorch's global generator, so that a run's weights are
//! bit-identical whether it trains alone or beside others (tch has no per-run generator).
use rnnlab_tasks::Rng;
use tch::{Device, Kind, Tensor};

/// `rows x cols` values, U(-bound, bound), as a tensor on `device`.
pub fn uniform(rng: &mut Rng, shape: &[usize], bound: f64, device: Device) -> Tensor {
    let n: usize = shape.iter().product();
    let values: Vec<f32> = (0..n)
        .map(|_| rng.range_f64(-bound, bound) as f32)
        .collect();
    from_vec(values, shape, device)
}

/// A `n x n` orthogonal matrix: Gram-Schmidt on a Gaussian matrix (Saxe, McClelland & Ganguli
/// 2014, "Exact solutions to the nonlinear dynamics of learning in deep linear networks").
/// Done in f64 in Rust so the result does not depend on the LAPACK build.
pub fn orthogonal(rng: &mut Rng, n: usize, device: Device) -> Tensor {
    let mut rows: Vec<Vec<f64>> = Vec::with_capacity(n);
    while rows.len() < n {
        let mut v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        for _ in 0..2 {
            // Two passes of modified Gram-Schmidt keep the rows orthogonal to f64 precision.
            for r in &rows {
                let dot: f64 = v.iter().zip(r).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(r).for_each(|(a, b)| *a -= dot * b);
            }
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm > 1e-6 {
            rows.push(v.into_iter().map(|a| a / norm).collect());
        }
    }
    from_vec(
        rows.into_iter().flatten().map(|a| a as f32).collect(),
        &[n, n],
        device,
    )
}

/// The identity matrix (IRNN, Le, Jaitly & Hinton 2015).
pub fn identity(n: usize, device: Device) -> Tensor {
    Tensor::eye(n as i64, (Kind::Float, device))
}

pub fn from_vec(values: Vec<f32>, shape: &[usize], device: Device) -> Tensor {
    let dims: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
    Tensor::from_slice(&values)
        .reshape(dims.as_slice())
        .to_device(device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orthogonal_is_orthogonal_and_reproducible() {
        let q = orthogonal(&mut Rng::new(1), 32, Device::Cpu);
        let err = (q.matmul(&q.tr()) - Tensor::eye(32, (Kind::Float, Device::Cpu)))
            .abs()
            .max()
            .double_value(&[]);
        assert!(err < 1e-5, "{err}");
        let again = orthogonal(&mut Rng::new(1), 32, Device::Cpu);
        assert!(q.equal(&again));
    }
}
