//! "Environment": what produced the numbers.

use crate::env::Environment;
use crate::sinks::Sink;

pub fn write(out: &mut dyn Sink, env: &Environment) {
    out.section("Environment");
    out.paragraph(&env.markdown());
}
