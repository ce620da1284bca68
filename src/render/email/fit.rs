//! `fit_images(width=N)`: the template filter that gives each image of a
//! body at most the width of the email's column in its `width` attribute.
//!
//! `max-width: 100%` in the email's stylesheet keeps a wide image inside
//! the column in every client but Outlook for Windows, which lays images
//! out by their `width` and `height` attributes alone: a 1,600-pixel
//! screenshot there widens the whole email past the screen.

use tera::{Kwargs, State, TeraResult};

use crate::markdown::rewrite::{Markup, RAW_TEXT, attribute, markup_at, raw_text_end};

/// The filter: `{{ story.content_nested | fit_images(width=552) | safe }}`.
pub fn fit_images_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let width = kwargs.must_get::<u32>("width")?;
    Ok(fit_images(value, width.max(1)))
}

/// `html` with each `<img>` whose `width` is a number of pixels over `max`
/// given `max`, and its `height`, when it has one, scaled with it.
pub fn fit_images(html: &str, max: u32) -> String {
    let bytes = html.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let (name, closing) = match markup_at(html, lt) {
            Markup::Tag { name, closing } => (name, closing),
            Markup::Skip { to } => {
                at = to;
                continue;
            }
        };
        let mut size = [None, None];
        let mut i = name.end;
        let close = loop {
            match attribute(bytes, i) {
                Ok(found) => {
                    i = found.end;
                    let slot = match &html[found.name] {
                        n if n.eq_ignore_ascii_case("width") => 0,
                        n if n.eq_ignore_ascii_case("height") => 1,
                        _ => continue,
                    };
                    size[slot] = found
                        .value
                        .and_then(|v| Some((pixels(&html[v.clone()])?, v)));
                }
                Err(close) => break close,
            }
        };
        at = (close + 1).min(html.len());
        let tag = &html[name.clone()];
        if !closing && let Some(raw) = RAW_TEXT.iter().find(|t| t.eq_ignore_ascii_case(tag)) {
            at = raw_text_end(html, at, raw);
            continue;
        }
        if closing || !tag.eq_ignore_ascii_case("img") {
            continue;
        }
        let [Some((width, width_at)), height] = size else {
            continue;
        };
        if width <= max {
            continue;
        }
        let mut changes = vec![(width_at, max)];
        if let Some((height, height_at)) = height {
            let scaled =
                (u64::from(height) * u64::from(max) + u64::from(width) / 2) / u64::from(width);
            changes.push((height_at, u32::try_from(scaled).unwrap_or(u32::MAX).max(1)));
        }
        changes.sort_by_key(|(range, _)| range.start);
        for (range, value) in changes {
            out.push_str(&html[copied..range.start]);
            out.push_str(&value.to_string());
            copied = range.end;
        }
    }
    if copied == 0 {
        return html.to_owned();
    }
    out.push_str(&html[copied..]);
    out
}

/// A `width` or `height` in pixels, as HTML reads one: digits alone.
fn pixels(value: &str) -> Option<u32> {
    let value = value.trim();
    (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
        .then(|| value.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::fit_images;

    #[test]
    fn wide_images_take_the_column_and_keep_their_shape() {
        let html = r#"<p>x</p><img src="a.png" alt="" width="1600" height="900" /><img height='300' src=b.png width=1200>"#;
        assert_eq!(
            fit_images(html, 552),
            r#"<p>x</p><img src="a.png" alt="" width="552" height="311" /><img height='138' src=b.png width=552>"#
        );
    }

    #[test]
    fn narrow_images_unknown_sizes_and_other_markup_stay_as_written() {
        for html in [
            r#"<img src="a.png" width="552" height="900">"#,
            r#"<img src="a.png" width="50%" height="900">"#,
            r#"<img src="a.png">"#,
            r#"<video width="1600" height="900"></video>"#,
            r#"<!-- <img width="1600"> --><code>&lt;img width="1600"&gt;</code>"#,
            r#"<style>img[width="1600"] { color: red }</style>"#,
        ] {
            assert_eq!(fit_images(html, 552), html);
        }
    }

    #[test]
    fn an_image_without_a_height_gets_the_width_alone() {
        assert_eq!(
            fit_images(r#"<IMG WIDTH="2000" src="a.png">"#, 600),
            r#"<IMG WIDTH="600" src="a.png">"#
        );
    }
}
