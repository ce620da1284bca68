//! [`Field<T>`]: one key's value as deserialised, kept even when it has the
//! wrong type, so that one wrong value does not hide the problems of the
//! others. [`Parsed::locate`](super::Parsed::locate) then gives it its spans.

use serde::de::{Deserialize, Deserializer};

/// A value that a key may hold, and how lenient its reading is.
pub trait FieldValue: Sized {
    /// What the value must be, for messages: "a whole number, such as `10`".
    const EXPECTED: &'static str;
    fn from_yaml(value: serde_yaml::Value) -> Option<Self>;
}

impl FieldValue for String {
    const EXPECTED: &'static str = "text";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        // `headline: 2026` is text to the editor who wrote it.
        match value {
            serde_yaml::Value::String(s) => Some(s),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl FieldValue for i64 {
    const EXPECTED: &'static str = "a whole number, such as `10` or `-5`";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        value.as_i64()
    }
}

impl FieldValue for usize {
    const EXPECTED: &'static str = "a whole number, such as `250`";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        value.as_u64().and_then(|n| usize::try_from(n).ok())
    }
}

impl FieldValue for bool {
    const EXPECTED: &'static str = "`true` or `false`";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FieldValue for Vec<String> {
    const EXPECTED: &'static str = "a list of text, such as `[ai, policy]`";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        match value {
            // `tags: ai` means one tag.
            serde_yaml::Value::Sequence(items) => {
                items.into_iter().map(String::from_yaml).collect()
            }
            other => String::from_yaml(other).map(|one| vec![one]),
        }
    }
}

impl FieldValue for std::collections::BTreeMap<String, String> {
    const EXPECTED: &'static str = "`name: text` lines";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        let serde_yaml::Value::Mapping(pairs) = value else {
            return None;
        };
        pairs
            .into_iter()
            .map(|(k, v)| Some((String::from_yaml(k)?, String::from_yaml(v)?)))
            .collect()
    }
}

/// `old: new` lines whose values may be missing or not text (`None`),
/// each to be reported at its own line.
impl FieldValue for std::collections::BTreeMap<String, Option<String>> {
    const EXPECTED: &'static str = "`old: new` lines";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        let serde_yaml::Value::Mapping(pairs) = value else {
            return None;
        };
        pairs
            .into_iter()
            .map(|(k, v)| Some((String::from_yaml(k)?, String::from_yaml(v))))
            .collect()
    }
}

/// A key's value: absent (or null), present, or of the wrong type.
#[derive(Debug, Default)]
pub enum Field<T> {
    #[default]
    Absent,
    Present(T),
    /// The wrong type: what was found, e.g. `a list`.
    Invalid(String),
}

impl<'de, T: FieldValue> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(Field::Absent);
        }
        let found = match &value {
            serde_yaml::Value::String(s) => format!("`{s}`"),
            serde_yaml::Value::Number(n) => format!("`{n}`"),
            serde_yaml::Value::Bool(b) => format!("`{b}`"),
            serde_yaml::Value::Sequence(_) => "a list".to_owned(),
            serde_yaml::Value::Mapping(_) => "a mapping of keys".to_owned(),
            serde_yaml::Value::Tagged(_) | serde_yaml::Value::Null => "a tagged value".to_owned(),
        };
        Ok(T::from_yaml(value).map_or(Field::Invalid(found), Field::Present))
    }
}
