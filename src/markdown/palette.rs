//! The stylesheet for highlighted code: syntect's themes turned into rules
//! for our `hl-` classes, each colour given enough contrast on the
//! background the default theme draws code on.
//!
//! Takes nothing and returns CSS: themes ship it as
//! `static/highlight.css`, and the email edition inlines its light half.

use syntect::html::ClassStyle;

use super::highlight::HIGHLIGHT_PREFIX;

/// Backgrounds the default theme draws code on, light and dark.
const CODE_BACKGROUNDS: [[u8; 3]; 2] = [[0xf4, 0xf2, 0xee], [0x1f, 0x21, 0x25]];

/// The stylesheet for highlighted code: a light palette and a dark one, each
/// for its `prefers-color-scheme`, with every colour moved just far enough to
/// reach WCAG AA contrast (4.5:1) on the theme's code background. Themes ship
/// it as `static/highlight.css`.
pub fn highlight_css() -> String {
    let scheme = |name: &str, css: String| {
        let body: Vec<String> = css.lines().map(|line| format!("  {line}")).collect();
        format!(
            "@media (prefers-color-scheme: {name}) {{\n{}\n}}\n",
            body.join("\n")
        )
    };
    format!(
        "/* Code highlighting by syntect, made by `gazette::markdown::highlight_css`. */\n{}{}",
        scheme("light", highlight_palette_light()),
        scheme("dark", palette("base16-ocean.dark", CODE_BACKGROUNDS[1])),
    )
}

/// The light palette alone: the email edition inlines it.
pub fn highlight_palette_light() -> String {
    palette("InspiredGitHub", CODE_BACKGROUNDS[0])
}

/// The rules of a syntect theme for our classes, readable on `background`.
fn palette(theme: &str, background: [u8; 3]) -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;
    let themes = ThemeSet::load_defaults();
    let style = ClassStyle::SpacedPrefixed {
        prefix: HIGHLIGHT_PREFIX,
    };
    let css = themes
        .themes
        .get(theme)
        .and_then(|theme| css_for_theme_with_class_style(theme, style).ok())
        .unwrap_or_default();
    css.lines()
        // The theme's own page background is not ours to set.
        .filter(|line| !line.trim_start().starts_with("background-color"))
        .map(|line| readable_color(line, background))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A CSS line `color: #rrggbb;` with the colour given enough contrast.
fn readable_color(line: &str, background: [u8; 3]) -> String {
    let Some(hex) = line
        .trim()
        .strip_prefix("color: #")
        .and_then(|r| r.strip_suffix(';'))
    else {
        return line.to_owned();
    };
    let Some(mut rgb) = parse_hex(hex) else {
        return line.to_owned();
    };
    let toward: f64 = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    while contrast(rgb, background) < 4.6 {
        rgb = rgb.map(|c| (f64::from(c) + (toward - f64::from(c)) * 0.05).round() as u8);
    }
    format!("color: #{:02x}{:02x}{:02x};", rgb[0], rgb[1], rgb[2])
}

fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    let byte = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    (hex.len() >= 6)
        .then(|| Some([byte(0)?, byte(2)?, byte(4)?]))
        .flatten()
}

/// WCAG relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The theme's highlight.css has the classes the highlighter writes.
    // Regenerate it with `GAZETTE_BLESS=1 cargo test highlight_css`.
    #[test]
    fn theme_ships_current_highlight_css() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/highlight.css"
        );
        let css = highlight_css();
        assert!(css.contains(".hl-keyword"));
        if std::env::var_os("GAZETTE_BLESS").is_some() {
            std::fs::write(path, &css).expect("write highlight.css");
        }
        let shipped = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            shipped == css,
            "themes/default/static/highlight.css is stale: run GAZETTE_BLESS=1 cargo test highlight_css"
        );
    }

    // Every colour of the shipped palettes reads at AA contrast on its background.
    #[test]
    fn highlight_colours_have_contrast() {
        let css = highlight_css();
        let (light, dark) = css
            .split_once("prefers-color-scheme: dark")
            .expect("two schemes");
        for (part, background) in [(light, CODE_BACKGROUNDS[0]), (dark, CODE_BACKGROUNDS[1])] {
            for hex in part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color: #"))
            {
                let rgb = parse_hex(hex).expect("a colour");
                assert!(contrast(rgb, background) >= 4.5, "#{hex} is too faint");
            }
        }
    }
}
