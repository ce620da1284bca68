//! The first layer: parser events with what may not reach readers taken out.
//!
//! Takes pulldown-cmark's events and returns them without disallowed link
//! and image URLs, heading attributes other than `id` and `class`, or the
//! text of an inline `<script>` or `<style>`, and says whether raw HTML is
//! left for [`clean`](super::clean). Working on events, before anything is
//! written, keeps the plain text and the email's text clean too.

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::url_allowed;

/// Parser events with disallowed URLs, heading attributes and inline
/// script text taken out, and whether any raw HTML is left for [`clean`](super::clean).
pub struct Filtered<'a> {
    pub events: Vec<Event<'a>>,
    pub raw_html: bool,
}

/// See the module's documentation.
pub fn filter<'a>(events: impl Iterator<Item = Event<'a>>) -> Filtered<'a> {
    let mut out = Vec::new();
    let mut raw_html = false;
    // For each open link and image, whether its start was kept (so is its end).
    let mut links: Vec<bool> = Vec::new();
    let mut images: Vec<bool> = Vec::new();
    // Inside a disallowed autolink, whose text is the URL itself.
    let mut skip_autolink = false;
    // Inside an inline `<script>`/`<style>`: the closing tag that ends it.
    let mut raw_text_until: Option<&'static str> = None;
    for event in events {
        if skip_autolink {
            skip_autolink = !matches!(event, Event::End(TagEnd::Link));
            continue;
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                ref dest_url,
                ..
            }) => {
                let keep = link_type == LinkType::Email || url_allowed(dest_url);
                if !keep && link_type == LinkType::Autolink {
                    skip_autolink = true;
                    continue;
                }
                links.push(keep);
                if keep {
                    out.push(event);
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop().unwrap_or(true) {
                    out.push(event);
                }
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let keep = url_allowed(dest_url);
                images.push(keep);
                if keep {
                    out.push(event);
                }
            }
            Event::End(TagEnd::Image) => {
                if images.pop().unwrap_or(true) {
                    out.push(event);
                }
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => out.push(Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: Vec::new(),
            })),
            Event::InlineHtml(ref html) => {
                raw_html = true;
                raw_text_until = match raw_text_until {
                    Some(end) if starts_with_tag(html, end) => None,
                    Some(end) => Some(end),
                    None if starts_with_tag(html, "<script") => Some("</script"),
                    None if starts_with_tag(html, "<style") => Some("</style"),
                    None => None,
                };
                out.push(event);
            }
            Event::Html(_) => {
                raw_html = true;
                out.push(event);
            }
            Event::Text(_) | Event::Code(_) if raw_text_until.is_some() => {}
            // Inline HTML never outlives its paragraph, heading or cell.
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item,
            ) => {
                raw_text_until = None;
                out.push(event);
            }
            event => out.push(event),
        }
    }
    Filtered {
        events: out,
        raw_html,
    }
}

/// Whether `html` starts with the tag `name` (`<script`, `</style`), in any case.
fn starts_with_tag(html: &str, name: &str) -> bool {
    html.get(..name.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(name))
        && html[name.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
}
