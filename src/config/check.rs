//! The `check:` section of `site.yaml`: what `gazette check` asks of the
//! site beyond what a build needs.
//!
//! Takes the section as written and returns [`CheckSettings`]; an unknown
//! code in `allow` is an error at it, with the nearest code suggested.

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::lint::CODES;
use crate::source::yaml::{Field, Spans};

/// The `check:` section as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckFile {
    sections: Field<Vec<String>>,
    allow: Field<Vec<String>>,
}

/// The keys of `check:`.
pub const CHECK_KEYS: &[&str] = &["sections", "allow"];

/// What `gazette check` asks of the site.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// The headings every story's explainer has, in any order.
    pub sections: Vec<String>,
    /// Codes of warnings and notes this site does not want to hear about.
    pub allow: Vec<String>,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            sections: ["What happened", "The Context", "Takeaway"]
                .map(str::to_owned)
                .to_vec(),
            allow: Vec::new(),
        }
    }
}

/// The settings of `file` (default when absent), with an error for each wrong value.
pub fn settings(
    file: Option<CheckFile>,
    spans: &Spans<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> CheckSettings {
    let mut settings = CheckSettings::default();
    let Some(file) = file else {
        return settings;
    };
    let mut list = |key: &str, field| match spans.locate(&["check", key], field) {
        Ok(value) => value,
        Err(found) => {
            diagnostics.push(
                found
                    .error(format!("`check.{key}` must be a list of text"))
                    .label(format!("found {}", found.value)),
            );
            None
        }
    };
    let sections = list("sections", file.sections);
    let allow = list("allow", file.allow);
    if let Some(sections) = sections {
        settings.sections = sections.value;
    }
    if let Some(allow) = allow {
        for code in &allow.value {
            if CODES.contains(&code.as_str()) {
                continue;
            }
            let d = allow.error(format!("unknown check `{code}` in `check.allow`"));
            diagnostics.push(match did_you_mean(code, CODES.iter().copied()) {
                Some(hint) => d.label(hint),
                None => d.help(format!("the checks are: {}", CODES.join(", "))),
            });
        }
        settings.allow = allow.value;
    }
    settings
}
