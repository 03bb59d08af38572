//! The spec's closed-form parameter count (`rnnlab_spec::estimate::parameters`, what
//! `rnnlab validate` prints and refuses too-big runs by) against the models this crate builds,
//! for every cell × skip × direction × merge × depth, on dense and token inputs.
use rnnlab_models::Model;
use rnnlab_spec::estimate::{self, Io};
use rnnlab_spec::{Cell, Merge, ModelConfig, Skip};
use rnnlab_tasks::{Readout, Shape};
use tch::{nn, Device};

const SKIPS: [Skip; 4] = [Skip::None, Skip::Residual, Skip::Dense, Skip::Highway];

fn io(shape: &Shape) -> Io {
    Io {
        inputs: shape.inputs,
        tokens: shape.tokens,
        outputs: shape.outputs,
        per_step: shape.readout == Readout::PerStep,
        steps: 7,
    }
}

fn built(config: &ModelConfig, shape: &Shape) -> usize {
    let vs = nn::VarStore::new(Device::Cpu);
    let model = Model::new(&vs.root(), config, shape, 1);
    // The store's own count, so that a variable the model forgets to count is caught too.
    let stored: usize = vs.trainable_variables().iter().map(|t| t.numel()).sum();
    assert_eq!(stored, model.parameters(), "{config:?}");
    stored
}

#[test]
fn the_spec_counts_what_the_models_crate_builds() {
    let shapes = [
        Shape {
            inputs: 5,
            tokens: false,
            outputs: 3,
            readout: Readout::PerStep,
        },
        Shape {
            inputs: 11,
            tokens: true,
            outputs: 2,
            readout: Readout::LastClass,
        },
    ];
    let mut checked = 0;
    for cell in Cell::ALL {
        for skip in SKIPS {
            for (bidirectional, merge) in [
                (false, Merge::Concat),
                (true, Merge::Concat),
                (true, Merge::Sum),
            ] {
                for layers in [1, 2, 3] {
                    for (shape, embedding) in shapes.iter().zip([None, Some(4)]) {
                        let config = ModelConfig {
                            cell,
                            hidden: 3,
                            layers,
                            bidirectional,
                            merge,
                            skip,
                            embedding,
                            ..Default::default()
                        };
                        let want = built(&config, shape) as f64;
                        let got = estimate::parameters(&config, &io(shape));
                        assert_eq!(got, want, "{config:?} on {shape:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 8 * 4 * 3 * 3 * 2);
}
