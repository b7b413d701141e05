//! Synthetic cards with a known truth for tests and benchmarks: made-up holders ([`people`]), e-KTP-
//! and KPJ-like cards drawn with a real font ([`draw`]), and the camera's view of them ([`scene`]).

pub mod draw;
pub mod people;
pub mod scene;
