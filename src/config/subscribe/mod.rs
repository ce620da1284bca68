//! The `subscribe:` section of `site.yaml`: the email service a reader signs
//! up with, from a sign-up form on the site's pages.
//!
//! Takes the section as written and returns the [`SignUp`] form (where it
//! posts, which fields it sends), or `None` with an error at each wrong
//! setting. A preset knows its service's embed form, so the editor writes
//! only their account's name or number; `custom` takes the form as is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::Located;
use crate::source::yaml::{Field, Spans};

/// The `subscribe:` section as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SubscribeFile {
    service: Field<String>,
    username: Field<String>,
    action: Field<String>,
    form: Field<String>,
    method: Field<String>,
    email_field: Field<String>,
    hidden: Field<BTreeMap<String, String>>,
    pitch: Field<String>,
    button: Field<String>,
}

/// The keys of `subscribe:`.
pub const SUBSCRIBE_KEYS: &[&str] = &[
    "service",
    "username",
    "action",
    "form",
    "method",
    "email_field",
    "hidden",
    "pitch",
    "button",
];

/// The services gazette knows, and the keys each one takes besides
/// `service`, `pitch` and `button`.
const SERVICES: &[(&str, &[&str])] = &[
    ("buttondown", &["username"]),
    ("mailchimp", &["action"]),
    ("kit", &["form"]),
    ("custom", &["action", "method", "email_field", "hidden"]),
];

/// The sign-up form the theme shows: a plain HTML form that works with no
/// JavaScript.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignUp {
    pub service: String,
    /// Where the form posts: always `https://`.
    pub action: String,
    /// `post` or `get`.
    pub method: String,
    /// The name the service reads the address from (`email`, `EMAIL`, ...).
    pub email_field: String,
    /// Fields sent as they are, in order.
    pub hidden: Vec<Hidden>,
    /// One line above the form.
    pub pitch: String,
    /// The button's text.
    pub button: String,
}

/// A hidden field of the form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hidden {
    pub name: String,
    pub value: String,
}

/// The form of `file`, or `None` (no `subscribe:`, or an error said in
/// `diagnostics`). `title` is the site's, for the default pitch.
pub fn sign_up(
    file: Option<SubscribeFile>,
    title: &str,
    words: &super::Words,
    spans: &Spans<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SignUp> {
    let file = file?;
    let before = diagnostics.len();
    let mut text = |key: &'static str, field| match spans.locate(&["subscribe", key], field) {
        Ok(value) => value,
        Err(found) => {
            diagnostics.push(
                found
                    .error(format!("`subscribe.{key}` must be text"))
                    .label(format!("found {}", found.value)),
            );
            None
        }
    };
    let service = text("service", file.service);
    let username = text("username", file.username);
    let action = text("action", file.action);
    let form = text("form", file.form);
    let method = text("method", file.method);
    let email_field = text("email_field", file.email_field);
    let pitch = text("pitch", file.pitch);
    let button = text("button", file.button);
    let hidden = match spans.locate(&["subscribe", "hidden"], file.hidden) {
        Ok(value) => value,
        Err(found) => {
            diagnostics.push(
                found
                    .error("`subscribe.hidden` must map field names to text")
                    .label(format!("found {}", found.value))
                    .help("write one `name: value` per line under `hidden:`"),
            );
            None
        }
    };

    let Some(service) = service else {
        diagnostics.push(
            spans
                .located(&["subscribe"], ())
                .key_error("`subscribe` does not say which email service to use")
                .help(format!("add `service:` under it: {}", service_names())),
        );
        return None;
    };
    let Some((name, takes)) = SERVICES.iter().find(|(name, _)| *name == service.value) else {
        let d = service.error(format!("unknown email service `{}`", service.value));
        diagnostics.push(
            match did_you_mean(&service.value, SERVICES.iter().map(|s| s.0)) {
                Some(hint) => d
                    .label(hint)
                    .help(format!("the services are: {}", service_names())),
                None => d.help(format!(
                    "the services are: {}; for any other, use `custom` with your form's `action`",
                    service_names()
                )),
            },
        );
        return None;
    };
    let given = [
        ("username", username.is_some()),
        ("action", action.is_some()),
        ("form", form.is_some()),
        ("method", method.is_some()),
        ("email_field", email_field.is_some()),
        ("hidden", hidden.is_some()),
    ];
    for (key, _) in given.iter().filter(|(key, is)| *is && !takes.contains(key)) {
        diagnostics.push(
            spans
                .located(&["subscribe", key], ())
                .key_error(format!("`{key}` is not a setting of the `{name}` service"))
                .help(format!(
                    "`{name}` takes {}; remove `{key}`",
                    takes
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
        );
    }
    let mut required = |key: &str, value: Option<Located<String>>, example: &str| {
        if value.is_none() {
            diagnostics.push(
                service
                    .error(format!("the `{name}` service needs `subscribe.{key}`"))
                    .help(format!("add `{key}: {example}` under `subscribe:`")),
            );
        }
        value
    };
    let form = match *name {
        "buttondown" => required("username", username, "your-buttondown-username")
            .and_then(|u| buttondown(&u, diagnostics)),
        "mailchimp" => required(
            "action",
            action,
            "the form action of Mailchimp's embedded form (https://….list-manage.com/subscribe/post?u=…&id=…)",
        )
        .and_then(|a| mailchimp(&a, diagnostics)),
        "kit" => required("form", form, "the number of your Kit form (1234567)")
            .and_then(|f| kit(&f, diagnostics)),
        _ => required("action", action, "https://your.service/subscribe")
            .and_then(|a| custom(&a, method, email_field, hidden, diagnostics)),
    };
    if diagnostics.len() > before {
        return None;
    }
    let (action, method, email_field, hidden) = form?;
    Some(SignUp {
        service: (*name).to_owned(),
        action,
        method,
        email_field,
        hidden,
        pitch: pitch.map_or_else(
            || words.text("sign_up_pitch", &[("site", title)]),
            Located::into_inner,
        ),
        button: button.map_or_else(|| words.text("subscribe", &[]), Located::into_inner),
    })
}

/// What a form sends: action, method, email field, hidden fields.
type Form = (String, String, String, Vec<Hidden>);

fn service_names() -> String {
    SERVICES
        .iter()
        .map(|(name, _)| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Buttondown's embed form: `email`, and `embed=1`.
fn buttondown(username: &Located<String>, diagnostics: &mut Vec<Diagnostic>) -> Option<Form> {
    let name = username.value.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
    {
        diagnostics.push(
            username
                .error(format!("`{name}` is not a Buttondown username"))
                .help("write the username alone, as in buttondown.com/USERNAME: letters, digits, `-` and `_`"),
        );
        return None;
    }
    Some((
        format!("https://buttondown.com/api/emails/embed-subscribe/{name}"),
        "post".to_owned(),
        "email".to_owned(),
        vec![Hidden {
            name: "embed".to_owned(),
            value: "1".to_owned(),
        }],
    ))
}

/// Mailchimp's embedded form: the action copied from it, `EMAIL`, and the
/// empty `b_<u>_<id>` field Mailchimp tells bots by.
fn mailchimp(action: &Located<String>, diagnostics: &mut Vec<Diagnostic>) -> Option<Form> {
    let fail = |why: &str| {
        action
            .error(format!("`{}` is not a Mailchimp form action: {why}", action.value))
            .help("in Mailchimp, open Audience → Signup forms → Embedded form, and copy the `action` of its `<form>`: https://….list-manage.com/subscribe/post?u=…&id=…")
    };
    let url = match https(&action.value) {
        Ok(url) => url,
        Err(why) => {
            diagnostics.push(fail(&why));
            return None;
        }
    };
    let host = url.host_str().unwrap_or_default();
    if !crate::source::url::host_within(host, "list-manage.com") || url.path() != "/subscribe/post"
    {
        diagnostics.push(fail("it is not on `list-manage.com` at `/subscribe/post`"));
        return None;
    }
    let param = |key: &str| {
        url.query_pairs()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.into_owned())
    };
    let (Some(u), Some(id)) = (param("u"), param("id")) else {
        diagnostics.push(fail("it lacks the `u=` or the `id=` of its query"));
        return None;
    };
    Some((
        url.to_string(),
        "post".to_owned(),
        "EMAIL".to_owned(),
        vec![Hidden {
            name: format!("b_{u}_{id}"),
            value: String::new(),
        }],
    ))
}

/// Kit's (formerly ConvertKit) form: `email_address`, posted to the form's number.
fn kit(form: &Located<String>, diagnostics: &mut Vec<Diagnostic>) -> Option<Form> {
    let number = form.value.trim();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        diagnostics.push(
            form.error(format!("`{number}` is not the number of a Kit form"))
                .help("in Kit, open the form: its number is in the address, as in app.kit.com/forms/designers/1234567/edit"),
        );
        return None;
    }
    Some((
        format!("https://app.kit.com/forms/{number}/subscriptions"),
        "post".to_owned(),
        "email_address".to_owned(),
        Vec::new(),
    ))
}

/// Any other service's form, as its own embed code writes it.
fn custom(
    action: &Located<String>,
    method: Option<Located<String>>,
    email_field: Option<Located<String>>,
    hidden: Option<Located<BTreeMap<String, String>>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Form> {
    let before = diagnostics.len();
    if let Err(why) = https(&action.value) {
        diagnostics.push(
            action
                .error(format!("invalid `subscribe.action` `{}`: {why}", action.value))
                .help("copy the `action` of your service's embed form; it must start with `https://`, so that readers' addresses travel encrypted"),
        );
    }
    let method = match method {
        None => "post".to_owned(),
        Some(m) => match m.value.to_ascii_lowercase().as_str() {
            verb @ ("post" | "get") => verb.to_owned(),
            _ => {
                diagnostics.push(
                    m.error(format!("`subscribe.method` is `{}`", m.value))
                        .help("write `post` (what email services take) or `get`"),
                );
                String::new()
            }
        },
    };
    let email_field = match email_field {
        None => "email".to_owned(),
        Some(name) if field_name(&name.value) => name.value.clone(),
        Some(name) => {
            diagnostics.push(
                name.error(format!("`{}` is not a form field name", name.value))
                    .help("copy the `name` of the email `<input>` of your service's embed form, such as `email`"),
            );
            String::new()
        }
    };
    let mut fields = Vec::new();
    if let Some(hidden) = hidden {
        for (name, value) in &hidden.value {
            if !field_name(name) {
                diagnostics.push(
                    hidden
                        .error(format!(
                            "`{name}` in `subscribe.hidden` is not a form field name"
                        ))
                        .help("use the `name` of a hidden `<input>` of your service's embed form"),
                );
            }
            fields.push(Hidden {
                name: name.clone(),
                value: value.clone(),
            });
        }
    }
    (diagnostics.len() == before).then(|| (action.value.clone(), method, email_field, fields))
}

/// `raw` parsed, when it is an `https://` URL with a host.
fn https(raw: &str) -> Result<url::Url, String> {
    match url::Url::parse(raw.trim()) {
        Ok(url) if url.scheme() != "https" => Err(format!(
            "it is `{}:`, not `https:`: readers' addresses must travel encrypted",
            url.scheme()
        )),
        Ok(url) if url.host_str().is_none_or(str::is_empty) => Err("it has no host".to_owned()),
        Ok(url) => Ok(url),
        Err(e) => Err(e.to_string()),
    }
}

/// A field name as forms write them: letters, digits, `_`, `-`, `.`, `[`, `]`.
fn field_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
}

#[cfg(test)]
mod tests;
