//! The `date` filter of templates: strftime on an RFC 3339 date-time or a
//! `YYYY-MM-DD` date, in the site's language, each format parsed once per
//! thread and each date it made kept.

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Kwargs, State, TeraResult};

use crate::config::Words;

/// `{{ entry.date | date(format="long") }}`: strftime on an RFC 3339
/// date-time or a `YYYY-MM-DD` date, its month and day names in the
/// language of `words`. A format with no `%` names one of the words
/// (`long` is `date_long`); the default format is `%Y-%m-%d`.
pub(super) fn date_filter(
    words: Arc<Words>,
) -> impl Fn(&str, Kwargs, &State) -> TeraResult<String> + Send + Sync + 'static {
    move |value: &str, kwargs: Kwargs, _: &State| {
        let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
        let format = words.date_format(format).map_err(tera::Error::message)?;
        // `2026-11-01` or `2026-11-01T…`: the day is where it always is.
        let format = words.on_day(format, value.get(8..10) == Some("01"));
        let format = format.as_ref();
        let locale = words.locale();
        DATES.with_borrow_mut(|formats| {
            let at = match (formats.iter()).position(|f| f.format == format && f.locale == locale) {
                Some(at) => at,
                None => {
                    // Bounded: a template that makes its formats would fill it.
                    if formats.len() >= 64 {
                        formats.clear();
                    }
                    formats.push(DateFormat::new(format, locale));
                    formats.len() - 1
                }
            };
            formats[at].apply(value)
        })
    }
}

thread_local! {
    /// The `date` filter's formats, parsed, and the dates each has written.
    static DATES: std::cell::RefCell<Vec<DateFormat>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// One strftime format of the `date` filter in one language, parsed once
/// per thread, and what it made of each date: a theme uses a few formats
/// on every page, on the few hundred dates of the site's issues (77,000
/// calls at 10,000 entries, each parsing and formatting anew before).
struct DateFormat {
    format: String,
    /// Month and day names; `None`: English.
    locale: Option<chrono::Locale>,
    /// `None` when `format` is not one.
    items: Option<Vec<chrono::format::Item<'static>>>,
    made: HashMap<Box<str>, String>,
}

impl DateFormat {
    /// Dates kept per format; past it, they are made again.
    const KEPT: usize = 4096;

    fn new(format: &str, locale: Option<chrono::Locale>) -> DateFormat {
        DateFormat {
            format: format.to_owned(),
            locale,
            items: (chrono::format::StrftimeItems::new(format).parse_to_owned()).ok(),
            made: HashMap::new(),
        }
    }

    fn apply(&mut self, value: &str) -> TeraResult<String> {
        use std::fmt::Write as _;
        if let Some(made) = self.made.get(value) {
            return Ok(made.clone());
        }
        let format = &self.format;
        let invalid = || tera::Error::message(format!("invalid date format `{format}`"));
        let items = self.items.as_ref().ok_or_else(invalid)?;
        let mut out = String::new();
        let written = if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(value) {
            match self.locale {
                Some(locale) => write!(
                    out,
                    "{}",
                    dt.format_localized_with_items(items.iter(), locale)
                ),
                None => write!(out, "{}", dt.format_with_items(items.iter())),
            }
        } else if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            match self.locale {
                Some(locale) => write!(
                    out,
                    "{}",
                    d.format_localized_with_items(items.iter(), locale)
                ),
                None => write!(out, "{}", d.format_with_items(items.iter())),
            }
        } else {
            return Err(tera::Error::message(format!(
                "the `date` filter needs a date such as `2026-11-25` or `2026-11-25T14:05:00-06:00`, not `{value}`"
            )));
        };
        written.map_err(|_| invalid())?;
        if self.made.len() >= Self::KEPT {
            self.made.clear();
        }
        self.made.insert(value.into(), out.clone());
        Ok(out)
    }
}

/// `{{ trans(key="read_at", outlet=page.outlet.name) }}`: the word `key`
/// in the site's language, its `{name}`s filled in from the other
/// arguments; `count=` picks `one:` or `other:` of a word that counts.
pub(super) fn trans(
    words: Arc<Words>,
) -> impl Fn(Kwargs, &State) -> TeraResult<String> + Send + Sync + 'static {
    move |kwargs: Kwargs, _: &State| {
        let key = kwargs.must_get::<&str>("key")?;
        let count = kwargs.get::<i64>("count")?;
        let arg = |name: &str| {
            (kwargs.iter())
                .find(|(k, _)| k.as_str() == Some(name))
                .map(|(_, v)| v.to_string())
        };
        words.say(key, count, &arg).map_err(tera::Error::message)
    }
}

#[cfg(test)]
mod tests {
    use tera::{Context, Tera};

    fn english() -> Tera {
        let mut tera = Tera::new();
        tera.register_filter("date", super::date_filter(crate::config::Words::english()));
        tera
    }

    fn render(template: &str, value: &str) -> Result<String, String> {
        let mut tera = english();
        tera.add_raw_template("t", template)
            .map_err(|e| e.to_string())?;
        let mut context = Context::new();
        context.insert("d", value);
        tera.render("t", &context).map_err(|e| format!("{e:?}"))
    }

    // Formats are kept once parsed: each still formats its own way, twice
    // over, and a format that is not one is refused every time.
    #[test]
    fn date_formats() {
        let template = r#"{{ d | date(format="%b %-d, %Y") }}|{{ d | date(format="%A") }}|{{ d | date(format="%b %-d, %Y") }}|{{ d | date }}"#;
        let expected = "Nov 25, 2026|Wednesday|Nov 25, 2026|2026-11-25";
        assert_eq!(
            render(template, "2026-11-25T14:05:00-06:00").as_deref(),
            Ok(expected)
        );
        assert_eq!(render(template, "2026-11-25").as_deref(), Ok(expected));
        for _ in 0..2 {
            let error = render(r#"{{ d | date(format="%Q") }}"#, "2026-11-25")
                .expect_err("`%Q` is no format");
            assert!(error.contains("invalid date format `%Q`"), "{error}");
        }
        let error = render("{{ d | date }}", "soon").expect_err("`soon` is no date");
        assert!(error.contains("needs a date such as"), "{error}");
        // In French, the 1st of a month is "1er", in the site's time zone.
        let mut french = Tera::new();
        let words = crate::config::words::tests::theme_words("fr");
        french.register_filter("date", super::date_filter(words));
        french
            .add_raw_template("t", r#"{{ d | date(format="long") }}"#)
            .expect("a template");
        for (d, made) in [
            ("2026-10-01T08:00:00+02:00", "1er octobre 2026"),
            ("2026-10-01", "1er octobre 2026"),
            ("2026-10-11", "11 octobre 2026"),
        ] {
            let mut context = Context::new();
            context.insert("d", d);
            assert_eq!(french.render("t", &context).expect("renders"), made);
        }
        // A name of a format is the word `date_<name>`.
        assert_eq!(
            render(r#"{{ d | date(format="long") }}"#, "2026-11-25").as_deref(),
            Ok("November 25, 2026")
        );
        let error = render(r#"{{ d | date(format="longest") }}"#, "2026-11-25")
            .expect_err("no such format");
        assert!(error.contains("no date format `longest`"), "{error}");
        // More dates than are kept, each still its own.
        let mut tera = english();
        let template = r#"{{ d | date(format="%d.%m.%Y") }}"#;
        tera.add_raw_template("many", template).expect("a template");
        let first = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
        for day in (0..5000).chain(0..10) {
            let date = first + chrono::Days::new(day);
            let mut context = Context::new();
            context.insert("d", &date.format("%Y-%m-%d").to_string());
            let made = tera.render("many", &context).expect("a date");
            assert_eq!(made, date.format("%d.%m.%Y").to_string());
        }
    }
}
