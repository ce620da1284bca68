//! The presets' forms and every wrong setting's error, from site.yaml's text.

use super::*;
use crate::config::{Config, Options};

/// The form and the messages of a `site.yaml` with `subscribe`.
fn load(subscribe: &str) -> (Option<SignUp>, Vec<String>) {
    let text = format!("title: A47\nbase_url: https://a47.example/\nsubscribe:\n{subscribe}");
    let options = Options {
        root: "/nonexistent".into(),
        ..Options::default()
    };
    let (config, diagnostics) = Config::from_text(&options, Some(text));
    let messages = diagnostics.iter().map(|d| d.render()).collect();
    (config.subscribe, messages)
}

// Each preset makes its service's own form from the one setting it needs.
#[test]
fn presets_make_their_services_forms() {
    let (form, errors) = load("  service: buttondown\n  username: a47\n");
    assert!(errors.is_empty(), "{errors:?}");
    let form = form.expect("form");
    assert_eq!(
        form.action,
        "https://buttondown.com/api/emails/embed-subscribe/a47"
    );
    assert_eq!(
        (form.method.as_str(), form.email_field.as_str()),
        ("post", "email")
    );
    assert_eq!(
        form.hidden,
        [Hidden {
            name: "embed".into(),
            value: "1".into()
        }]
    );
    assert_eq!(form.pitch, "Get every issue of A47 in your inbox.");

    let (form, errors) = load(
        "  service: mailchimp\n  action: https://a47.us21.list-manage.com/subscribe/post?u=abc123&id=def456&f_id=0\n",
    );
    assert!(errors.is_empty(), "{errors:?}");
    let form = form.expect("form");
    assert_eq!(form.email_field, "EMAIL");
    assert_eq!(form.hidden[0].name, "b_abc123_def456");

    let (form, errors) = load("  service: kit\n  form: 1234567\n  button: Sign me up\n");
    assert!(errors.is_empty(), "{errors:?}");
    let form = form.expect("form");
    assert_eq!(
        form.action,
        "https://app.kit.com/forms/1234567/subscriptions"
    );
    assert_eq!(
        (form.email_field.as_str(), form.button.as_str()),
        ("email_address", "Sign me up")
    );

    let (form, errors) = load(
        "  service: custom\n  action: https://list.example/join\n  method: GET\n  email_field: addr\n  hidden:\n    list: daily\n",
    );
    assert!(errors.is_empty(), "{errors:?}");
    let form = form.expect("form");
    assert_eq!(
        (form.method.as_str(), form.email_field.as_str()),
        ("get", "addr")
    );
    assert_eq!(
        form.hidden,
        [Hidden {
            name: "list".into(),
            value: "daily".into()
        }]
    );
}

// Every wrong setting is an error at its own line, and no form is shown.
#[test]
fn wrong_settings_are_errors_at_their_line() {
    let cases = [
        (
            "  service: butondown\n  username: a47\n",
            "content/site.yaml:4:12",
            "did you mean `buttondown`?",
        ),
        (
            "  username: a47\n",
            "content/site.yaml:3:1",
            "does not say which email service",
        ),
        (
            "  service: kit\n",
            "content/site.yaml:4:12",
            "the `kit` service needs `subscribe.form`",
        ),
        (
            "  service: kit\n  form: 12ab\n",
            "content/site.yaml:5:9",
            "is not the number of a Kit form",
        ),
        (
            "  service: buttondown\n  username: a47\n  form: 1\n",
            "content/site.yaml:6:3",
            "`form` is not a setting of the `buttondown` service",
        ),
        (
            "  service: buttondown\n  username: buttondown.com/a47\n",
            "content/site.yaml:5:13",
            "is not a Buttondown username",
        ),
        (
            "  service: mailchimp\n  action: https://evil.example/subscribe/post?u=a&id=b\n",
            "content/site.yaml:5:11",
            "not on `list-manage.com`",
        ),
        (
            "  service: mailchimp\n  action: https://x.list-manage.com/subscribe/post?u=a\n",
            "content/site.yaml:5:11",
            "lacks the `u=` or the `id=`",
        ),
        (
            "  service: custom\n  action: http://list.example/join\n",
            "content/site.yaml:5:11",
            "not `https:`",
        ),
        (
            "  service: custom\n  action: https://list.example/join\n  method: put\n",
            "content/site.yaml:6:11",
            "`subscribe.method` is `put`",
        ),
        (
            "  service: custom\n  action: https://list.example/join\n  email_field: \"my email\"\n",
            "content/site.yaml:6:16",
            "is not a form field name",
        ),
        (
            "  service: custom\n  action: https://list.example/join\n  hidden: [a, b]\n",
            "content/site.yaml:6:11",
            "must map field names to text",
        ),
    ];
    for (yaml, at, says) in cases {
        let (form, errors) = load(yaml);
        assert!(form.is_none(), "{yaml}");
        assert!(
            errors.iter().any(|e| e.contains(at) && e.contains(says)),
            "{yaml}: expected `{says}` at {at}, got {errors:#?}"
        );
    }
    let (_, errors) = load("  service: kit\n  form: 1\n  pich: hi\n");
    assert!(
        errors.iter().any(|e| e.contains("content/site.yaml:6:3")
            && e.contains("unknown key `pich`")
            && e.contains("did you mean `pitch`?")),
        "{errors:#?}"
    );
}
