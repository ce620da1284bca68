//! [`Memo`]: what a later stage made of a file, kept with the file.
//!
//! `serve` keeps parsed entries and stories between rebuilds (the load
//! cache of `content`), and rendering their Markdown is the costly part of a
//! rebuild. The site stage keeps each rendering in its source's memo, so a
//! source that did not change is not rendered again. The slot holds any
//! type, as `http::Extensions` does, so that `content`, which parses the
//! file, need not know what the stages after it make of it.

use std::any::Any;
use std::fmt;
use std::sync::OnceLock;

/// One value of any type, set once by the first stage that asks; or, when
/// made with [`Memo::off`], none.
pub struct Memo {
    slot: OnceLock<Box<dyn Any + Send + Sync>>,
    keeps: bool,
}

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            slot: OnceLock::new(),
            keeps: true,
        }
    }
}

impl Memo {
    /// A memo that keeps nothing: a build reads each file once, and a copy
    /// of every rendering beside the model's own was memory for nothing.
    pub fn off() -> Memo {
        Memo {
            slot: OnceLock::new(),
            keeps: false,
        }
    }

    /// The value kept, made by `init` when there is none yet; `None` when
    /// the memo is off or the slot holds a value of another type (one
    /// stage, one type): the caller then makes a fresh value of its own.
    pub fn get_or_init<T: Any + Send + Sync>(&self, init: impl FnOnce() -> T) -> Option<&T> {
        if !self.keeps {
            return None;
        }
        self.slot.get_or_init(|| Box::new(init())).downcast_ref()
    }
}

impl fmt::Debug for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if !self.keeps {
            "off"
        } else if self.slot.get().is_some() {
            "set"
        } else {
            "empty"
        };
        write!(f, "Memo({state})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The first value is kept; a value of another type is not given out as it.
    #[test]
    fn keeps_the_first_value() {
        let memo = Memo::default();
        assert_eq!(memo.get_or_init(|| 1u8), Some(&1));
        assert_eq!(memo.get_or_init(|| 2u8), Some(&1));
        assert_eq!(memo.get_or_init(|| "other"), None);
    }

    // A memo that is off keeps nothing and makes nothing: the caller makes
    // its own value, once.
    #[test]
    fn off_keeps_nothing() {
        let memo = Memo::off();
        let mut made = 0;
        assert_eq!(
            memo.get_or_init(|| {
                made += 1;
                1u8
            }),
            None
        );
        assert_eq!(made, 0);
        assert_eq!(format!("{memo:?}"), "Memo(off)");
    }
}
