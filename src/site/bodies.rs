//! The bodies of stories, entries and issue notes, rendered for the model.
//!
//! Takes a source's Markdown, the site's [`Html`] policy and how its links
//! lead ([`Linking`]: root-relative ones under the base path, `.md` ones
//! to their pages), and returns
//! what the model holds of it: HTML, table of contents and text, and for a
//! story or a note the plain text of the email edition. The rendering of a
//! story or an entry is kept in its source's [`Memo`]: `serve` reuses the
//! sources of unchanged files between rebuilds, and so renders only the
//! files that changed.

use std::borrow::Cow;
use std::path::Path;

use super::urls;
use crate::fs::SiteFs;
use crate::markdown::{self, Html, LinkMap, Rendered};
use crate::source::Memo;

/// How a source's links are rendered: relative to its file and the site's
/// base path (see [`urls::resolve_link`]).
#[derive(Debug, Clone, Copy)]
pub struct Linking<'a> {
    /// The site's absolute URL, ending in `/`.
    pub base_url: &'a str,
    /// Its path, starting and ending in `/`.
    pub base_path: &'a str,
    /// The source file, relative to the site root.
    pub source: &'a Path,
    /// The site root and the door its files are read through, for the size
    /// of images beside the content; `None` reads nothing.
    pub files: Option<(&'a Path, &'a SiteFs)>,
}

impl Linking<'_> {
    /// A link made absolute, for the plain-text email, which has no page to
    /// be relative to: resolved against the source's own page.
    fn absolute(&self, dest: &str) -> Option<String> {
        let page = urls::of_source(self.source)?;
        let base = url::Url::parse(self.base_url).ok()?.join(&page).ok()?;
        let dest = self.lead(dest).unwrap_or_else(|| dest.to_owned());
        base.join(&dest).ok().map(String::from)
    }
}

impl LinkMap for Linking<'_> {
    /// A link as the site's pages write it: rooted at the base path.
    fn lead(&self, dest: &str) -> Option<String> {
        urls::resolve_link(self.base_path, self.source, dest)
    }

    /// The size of an image beside the content, read from its header (a
    /// file that cannot be read or is no image known to `imagesize` has none:
    /// `check` reports a missing one).
    fn size(&self, dest: &str) -> Option<(u32, u32)> {
        let (root, fs) = self.files?;
        let (file, _) = urls::relative_file(self.source, dest)?;
        urls::asset(&file)?;
        let bytes = fs.read(&root.join(&file)).ok()?;
        image_size(&bytes)
    }
}

/// The `width` and `height` an SVG's root element gives in pixels (a
/// number, or one in `px`); none for other units or a `viewBox` alone, whose
/// size is the page's to choose.
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let document = roxmltree::Document::parse(text).ok()?;
    let root = document.root_element();
    if root.tag_name().name() != "svg" {
        return None;
    }
    let pixels = |name: &str| {
        let value = root.attribute(name)?.trim();
        let number: f64 = value
            .strip_suffix("px")
            .unwrap_or(value)
            .trim()
            .parse()
            .ok()?;
        (number.is_finite() && number >= 1.0 && number <= f64::from(u32::MAX))
            .then(|| number.round() as u32)
    };
    Some((pixels("width")?, pixels("height")?))
}

/// An image's width and height as a browser shows it: a photo whose EXIF
/// orientation turns it a quarter (a phone's JPEG, stored on its side) has
/// them the other way round.
fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let Ok(size) = imagesize::blob_size(bytes) else {
        return svg_size(bytes);
    };
    let size = (
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    );
    let turned = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()
        .and_then(|exif| {
            let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
            field.value.get_uint(0)
        })
        .is_some_and(|orientation| (5..=8).contains(&orientation));
    Some(if turned { (size.1, size.0) } else { size })
}

/// A source's links made absolute: see [`Linking::absolute`].
struct Absolute<'a>(Linking<'a>);

impl LinkMap for Absolute<'_> {
    fn lead(&self, dest: &str) -> Option<String> {
        self.0.absolute(dest)
    }
}

/// `markdown` rendered under `policy`, its links led as `linking` says.
pub fn page(markdown: &str, policy: Html, linking: Linking<'_>) -> Rendered {
    markdown::render_linked(markdown, policy, &linking)
}

/// A story's explainer or an issue's note, rendered.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub rendered: Rendered,
    /// Plain text for the plain-text email, its links still to be numbered.
    pub plain: markdown::Text,
}

/// An entry's summary, rendered as `policy` says.
pub fn entry<'a>(
    memo: &'a Memo,
    markdown: &str,
    policy: Html,
    linking: Linking<'_>,
) -> Cow<'a, Rendered> {
    kept(memo, policy, linking, || page(markdown, policy, linking))
}

/// A story's explainer, rendered as `policy` says.
pub fn story<'a>(
    memo: &'a Memo,
    markdown: &str,
    policy: Html,
    linking: Linking<'_>,
) -> Cow<'a, Body> {
    kept(memo, policy, linking, || note(markdown, policy, linking))
}

/// An issue's note (the body of `_issue.md`), rendered as `policy` says.
pub fn note(markdown: &str, policy: Html, linking: Linking<'_>) -> Body {
    Body {
        rendered: markdown::render_linked(markdown, policy, &linking),
        plain: markdown::to_text_linked(markdown, policy, &Absolute(linking)),
    }
}

/// A rendering and what it was made under.
struct Kept<T> {
    policy: Html,
    base_url: String,
    value: T,
}

/// What `make` gives, from `memo` when it was made under `policy` and the
/// same base URL before. A rendering made otherwise (the site changed
/// `unsafe_html` or `base_url` without its sources being read again) is
/// not reused.
fn kept<'m, T: Clone + Send + Sync + 'static>(
    memo: &'m Memo,
    policy: Html,
    linking: Linking<'_>,
    make: impl Fn() -> T,
) -> Cow<'m, T> {
    match memo.get_or_init(|| Kept {
        policy,
        base_url: linking.base_url.to_owned(),
        value: make(),
    }) {
        Some(kept) if kept.policy == policy && kept.base_url == linking.base_url => {
            Cow::Borrowed(&kept.value)
        }
        _ => Cow::Owned(make()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A source is rendered once (its memo answers after that), and again
    // under another policy.
    #[test]
    fn renders_once_per_policy() {
        let memo = Memo::default();
        let raw = "<b onclick=\"x()\">b</b>";
        let at = Linking {
            base_url: "https://a.example/",
            base_path: "/",
            source: Path::new("content/2026-11-25/a.md"),
            files: None,
        };
        assert_eq!(
            entry(&memo, raw, Html::Sanitised, at).html,
            "<p><b>b</b></p>\n"
        );
        let again = entry(&memo, "not rendered", Html::Sanitised, at);
        assert!(matches!(again, Cow::Borrowed(_)));
        assert_eq!(again.html, "<p><b>b</b></p>\n");
        let other = entry(&memo, raw, Html::AsWritten, at);
        assert!(other.html.contains("onclick"), "{}", other.html);
    }

    // Root-relative links go under the base path; `.md` links to their
    // page, fragment kept; other links stay as written.
    #[test]
    fn links_lead_to_the_sites_pages() {
        let at = Linking {
            base_url: "https://example.github.io/robot-weekly/",
            base_path: "/robot-weekly/",
            source: Path::new("content/2026-11-25/a.md"),
            files: None,
        };
        let markdown = "[a](/archive/) [b](../2026-11-24/x.md#takeaway) [c](../pages/about.md) \
                        [d](https://e.com/) [e](#top) [f](//cdn.example/x.png) ![g](/img/g.png)";
        let html = page(markdown, Html::Sanitised, at).html;
        for href in [
            "href=\"/robot-weekly/archive/\"",
            "href=\"/robot-weekly/2026/11/24/x/#takeaway\"",
            "href=\"/robot-weekly/about/\"",
            "href=\"https://e.com/\"",
            "href=\"#top\"",
            "href=\"//cdn.example/x.png\"",
            "src=\"/robot-weekly/img/g.png\"",
        ] {
            assert!(html.contains(href), "{href} in {html}");
        }
        let text = note(markdown, Html::Sanitised, at).plain;
        let links: Vec<&str> = text.links().iter().map(|l| l.url.as_str()).collect();
        // The plain-text email has no page to be relative to: absolute.
        for link in [
            "https://example.github.io/robot-weekly/2026/11/24/x/#takeaway",
            "https://example.github.io/robot-weekly/archive/",
            "https://example.github.io/robot-weekly/2026/11/25/a/#top",
            "https://e.com/",
        ] {
            assert!(links.contains(&link), "{link} in {links:?}");
        }
    }

    // A phone's photo stored on its side (EXIF orientation 6, "turn a
    // quarter clockwise") is as tall as it is stored wide; orientation 3
    // (upside down) keeps its shape.
    #[test]
    fn exif_orientation_turns_the_size() {
        let jpeg = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images/photo-4x2.jpg"),
        )
        .expect("the fixture photo");
        let stored = image_size(&jpeg).expect("a size");
        let turned = |orientation: u8| {
            // SOI, then an APP1 segment: "Exif", a little-endian TIFF
            // header, and one IFD with the one field.
            let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 34];
            bytes.extend_from_slice(b"Exif\0\0II*\0\x08\0\0\0\x01\0");
            bytes.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0]);
            bytes.extend_from_slice(&[0, 0, 0, 0]);
            bytes.extend_from_slice(&jpeg[2..]);
            image_size(&bytes).expect("a size")
        };
        assert_ne!(stored.0, stored.1, "a fixture that is not square");
        assert_eq!(turned(6), (stored.1, stored.0));
        assert_eq!(turned(8), (stored.1, stored.0));
        assert_eq!(turned(3), stored);
    }

    // An SVG's own width and height in pixels size it; other units, or a
    // viewBox alone, leave the size to the page.
    #[test]
    fn svg_size_is_read_from_its_root() {
        let svg = |attributes: &str| {
            image_size(
                format!("<svg xmlns=\"http://www.w3.org/2000/svg\" {attributes}></svg>").as_bytes(),
            )
        };
        assert_eq!(svg("width=\"120\" height=\"60\""), Some((120, 60)));
        assert_eq!(svg("width=\"120px\" height=\"60.4\""), Some((120, 60)));
        assert_eq!(svg("width=\"10em\" height=\"60\""), None);
        assert_eq!(svg("viewBox=\"0 0 120 60\""), None);
        assert_eq!(image_size(b"<html></html>"), None);
    }
}
