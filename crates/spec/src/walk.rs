//! What the crate's three walks over a YAML document (`limits`: counting nodes and depth,
//! `duplicates`: repeated keys, `locate`: the position of a path) share: each does the same
//! thing at every scalar and differs only at mappings, lists and keys.

/// The scalar methods of a [`serde::de::Visitor`] that does the same at every scalar, and its
/// `visit_some` (a YAML value is never wrapped): `every_scalar!(Value, returns EXPR)` returns
/// `EXPR` (a `Result<Value, E>`) at each, `every_scalar!(Value, calls METHOD)` returns
/// `self.METHOD()`.
macro_rules! every_scalar {
    ($value:ty, returns $on:expr) => {
        $crate::walk::every_scalar!(@all $value, |_this| $on);
    };
    ($value:ty, calls $method:ident) => {
        $crate::walk::every_scalar!(@all $value, |this| this.$method());
    };
    (@all $value:ty, |$this:ident| $on:expr) => {
        $crate::walk::every_scalar!(@one $value, $this, $on, visit_bool(bool), visit_i64(i64),
            visit_i128(i128), visit_u64(u64), visit_u128(u128), visit_f64(f64),
            visit_str(&str));
        fn visit_unit<E: serde::de::Error>(self) -> Result<$value, E> {
            #[allow(unused_mut)]
            let mut $this = self;
            $on
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<$value, E> {
            #[allow(unused_mut)]
            let mut $this = self;
            $on
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<$value, D::Error> {
            d.deserialize_any(self)
        }
    };
    (@one $value:ty, $this:ident, $on:expr, $($name:ident($arg:ty)),+) => {
        $(
            fn $name<E: serde::de::Error>(self, _: $arg) -> Result<$value, E> {
                #[allow(unused_mut)]
                let mut $this = self;
                $on
            }
        )+
    };
}

pub(crate) use every_scalar;
