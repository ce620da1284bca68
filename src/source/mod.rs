//! What the user wrote, and what later stages make of it: the bottom of the
//! pipeline, below both `config` and `content`.
//!
//! [`Memo`] keeps what later stages make of a file with the file.

pub mod memo;

pub use memo::Memo;
