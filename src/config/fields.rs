//! Settings of `site.yaml` checked one by one: the time zone, `paginate`,
//! the theme's name and the `deploy:` targets; each wrong one is an error
//! at its line next to a usable default.

use chrono_tz::Tz;

use super::DEFAULT_PAGINATE;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::Located;

/// The timezone `name` names; UTC, with an error at it, when none does.
pub(super) fn time_zone(name: &Located<String>, diagnostics: &mut Vec<Diagnostic>) -> Tz {
    name.value.parse::<Tz>().unwrap_or_else(|_| {
        let d = name.error(format!("unknown timezone `{}`", name.value));
        diagnostics.push(
            match did_you_mean(
                &name.value,
                chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()),
            ) {
                Some(hint) => d.label(hint),
                None => {
                    d.help("use an IANA name such as `America/Chicago`, `Europe/Paris` or `UTC`")
                }
            },
        );
        Tz::UTC
    })
}

/// Items on a page of a list, as `paginate` says; the default, with an
/// error at it, for 0.
pub(super) fn per_page(n: Located<usize>, diagnostics: &mut Vec<Diagnostic>) -> usize {
    if n.value >= 1 {
        return n.value;
    }
    diagnostics.push(
        n.error("`paginate` must be at least 1")
            .label("found `0`")
            .help(format!(
                "it is how many items one page of a tag, an outlet or the archive shows; the default is `paginate: {DEFAULT_PAGINATE}`"
            )),
    );
    DEFAULT_PAGINATE
}

/// The theme `name` names: a folder of `themes/`, never a path out of it;
/// `default`, with an error at it, when it is a path.
pub(super) fn theme_name(name: Located<String>, diagnostics: &mut Vec<Diagnostic>) -> String {
    if is_plain_name(&name.value) {
        return name.value;
    }
    diagnostics.push(
        name.error(format!(
            "`theme` must be the name of a folder of `themes/`, not a path: `{}`",
            name.value
        ))
        .help("put the theme in `themes/NAME/` inside the site and set `theme: NAME`"),
    );
    "default".to_owned()
}

/// A folder name with no path in it: `default`, `a47-dark`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The `deploy:` targets by name, each checked at its line.
pub(super) fn deploy_targets(
    spans: &crate::source::yaml::Spans<'_>,
    field: crate::source::yaml::Field<std::collections::BTreeMap<String, String>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> std::collections::BTreeMap<String, crate::deploy::Target> {
    let Some(targets) = spans.field("deploy", field, diagnostics) else {
        return Default::default();
    };
    let mut parsed = std::collections::BTreeMap::new();
    for (name, raw) in &targets.value {
        match crate::deploy::Target::parse(raw) {
            Ok(target) => {
                parsed.insert(name.clone(), target);
            }
            Err(why) => diagnostics.push(
                spans
                    .located(&["deploy", name], ())
                    .error(format!("invalid deploy target `{name}`: {why}"))
                    .help("write each target as `name: s3://BUCKET[/PREFIX]` or `name: git+URL#BRANCH` under `deploy:`"),
            ),
        }
    }
    parsed
}
