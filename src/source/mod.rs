//! What the user wrote, and where: the bottom of the pipeline, below both
//! `config` and `content`.
//!
//! Takes the text of a site file and gives typed values that remember the
//! span they were written at ([`Located`]), so that a later stage reports a
//! problem with `value.error("…")` instead of looking for its key again.
//! [`yaml`] is the one reader of YAML, [`url`] the one test of the links
//! editors write, and [`Memo`] keeps what later stages make of a file with
//! the file.

pub mod located;
pub mod memo;
pub mod url;
pub mod yaml;

pub use located::{Located, SourceFile, Span};
pub use memo::Memo;
