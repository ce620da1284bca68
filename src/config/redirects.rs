//! `redirects:` of site.yaml: old paths of the site, each to the path it
//! now leads to (a renamed tag's or outlet's, a page of the platform the
//! site came from).
//!
//! Takes the key's lines and the site's own address; returns each line's
//! two site paths where they were written, and an error at each line that
//! is not two paths of this site. What each leads to is checked with the
//! site's aliases ([`crate::site`]) and its files ([`crate::published`]).

use super::Diagnostic;
use crate::source::Located;

/// `redirects:`, each old path and new as site paths (`tags/ml/`), where
/// they were written; a line that is not two paths is an error at it.
pub(super) fn read(
    spans: &crate::source::yaml::Spans<'_>,
    field: crate::source::yaml::Field<std::collections::BTreeMap<String, Option<String>>>,
    own_url: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Located<String>, Located<String>)> {
    // An address of this site copied from a browser is its path.
    let path = |raw: &str| {
        let rest = own_url.and_then(|own| raw.trim().strip_prefix(own));
        let path = rest.map(|rest| format!("/{rest}"));
        crate::site::urls::written_path(path.as_deref().unwrap_or(raw))
    };
    let Some(lines) = spans.field("redirects", field, diagnostics) else {
        return Vec::new();
    };
    let help = "write each as `/old/path/: /new/path/`, two paths of this site: `/tags/ml/: /tags/machine-learning/`";
    let mut redirects = Vec::new();
    for (from, to) in &lines.value {
        let at = spans.located(&["redirects", from], ());
        let Some(to) = to else {
            diagnostics.push(
                at.key_error(format!("redirect from `{from}` has no new path"))
                    .help(help),
            );
            continue;
        };
        let paths = path(from)
            .map_err(|why| at.key_error(format!("redirect from `{from}` {why}")))
            .and_then(|old| {
                path(to)
                    .map(|new| (old, new))
                    .map_err(|why| at.error(format!("redirect to `{to}` {why}")))
            });
        match paths {
            Ok((old, new)) => redirects.push((
                Located {
                    value: old,
                    span: at.key.clone(),
                    key: at.key.clone(),
                },
                at.map(|()| new),
            )),
            Err(error) => diagnostics.push(error.help(help)),
        }
    }
    redirects
}
