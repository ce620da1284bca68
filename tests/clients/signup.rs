//! The email sign-up form as a reader uses it (`tests/clients/signup.mjs`),
//! in Chromium and in Firefox ESR: for each preset of `subscribe:`, the
//! repository's site is built with it, the reader clicks the email field on
//! one of the pages that carry the form, types an address and presses the
//! button; the stand-in for the service (`standin.mjs`, over TLS on
//! 127.0.0.1) must receive a POST at the service's address with the field
//! names that service reads, and the browser must show its answer.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::Built;
use crate::tools::{self, Missing};

/// The address the reader types: with a `+`, which a form must encode.
const ADDRESS: &str = "reader+a47@example.org";

/// One preset: its settings, the page the reader signs up on, and what the
/// service must receive.
struct Preset {
    name: &'static str,
    settings: &'static str,
    page: &'static str,
    host: &'static str,
    path: &'static str,
    query: Value,
    fields: Value,
}

fn presets() -> Vec<Preset> {
    vec![
        Preset {
            name: "buttondown",
            settings: "  service: buttondown\n  username: a47\n",
            page: "",
            host: "buttondown.com",
            path: "/api/emails/embed-subscribe/a47",
            query: json!({}),
            fields: json!([["email", ADDRESS], ["embed", "1"]]),
        },
        Preset {
            name: "mailchimp",
            settings: "  service: mailchimp\n  action: https://a47.us21.list-manage.com/subscribe/post?u=5f2a1b&id=9c1e0d\n",
            page: "2026/11/25/",
            host: "a47.us21.list-manage.com",
            path: "/subscribe/post",
            query: json!({"u": "5f2a1b", "id": "9c1e0d"}),
            fields: json!([["EMAIL", ADDRESS], ["b_5f2a1b_9c1e0d", ""]]),
        },
        Preset {
            name: "kit",
            settings: "  service: kit\n  form: 1234567\n",
            page: "2026/11/25/spacex-colossus/",
            host: "app.kit.com",
            path: "/forms/1234567/subscriptions",
            query: json!({}),
            fields: json!([["email_address", ADDRESS]]),
        },
        Preset {
            name: "custom",
            settings: "  service: custom\n  action: https://lists.a47.example/join?list=daily\n  email_field: address\n  hidden:\n    source: website\n",
            page: "subscribe/",
            host: "lists.a47.example",
            path: "/join",
            query: json!({"list": "daily"}),
            fields: json!([["address", ADDRESS], ["source", "website"]]),
        },
    ]
}

/// The repository's site with `settings` under `subscribe:`, built.
fn site_with(preset: &Preset) -> Built {
    let (dir, root) = crate::repo_copy();
    let yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).expect("site.yaml");
    std::fs::write(&yaml, format!("{text}subscribe:\n{}", preset.settings)).expect("write");
    let name = match preset.name {
        "buttondown" => "signup-buttondown",
        "mailchimp" => "signup-mailchimp",
        "kit" => "signup-kit",
        _ => "signup-custom",
    };
    crate::build(name, &root, dir, vec![preset.page.to_owned()])
}

/// What signup.mjs saw in `engine` on `site`.
fn sign_up(engine: &str, site: &Built, preset: &Preset, geckodriver: &Path) -> Value {
    let _one_at_a_time = crate::BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let out = Command::new("node")
        .arg(tools::clients_dir().join("signup.mjs"))
        .args(["--engine", engine, "--dir"])
        .arg(&site.out)
        .args(["--port", &site.port.to_string(), "--page", preset.page])
        .args(["--email", ADDRESS, "--hosts", preset.host])
        .env("CHROME_PATH", "/usr/bin/chromium")
        .env("GECKODRIVER_PATH", geckodriver)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "signup.mjs in {engine} failed for {}:\n{}",
        preset.name,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "signup.mjs printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

// Each preset's form, filled in and sent as a reader does, reaches its
// service with the fields the service reads, in both engines.
pub fn sign_up_reaches_each_service_in_chromium_and_firefox() -> Result<(), Missing> {
    tools::chromium()?;
    let geckodriver = tools::firefox()?;
    for preset in presets() {
        let site = site_with(&preset);
        for engine in ["chromium", "firefox"] {
            let seen = sign_up(engine, &site, &preset, &geckodriver);
            let at = format!("{} in {engine} on /{}", preset.name, preset.page);
            let posts: Vec<&Value> = (seen["received"].as_array().into_iter().flatten())
                .filter(|r| r["method"] == "POST")
                .collect();
            assert_eq!(posts.len(), 1, "{at}: one submission, got {seen:#}");
            let post = posts[0];
            assert_eq!(post["host"], preset.host, "{at}");
            assert_eq!(post["path"], preset.path, "{at}");
            assert_eq!(post["query"], preset.query, "{at}");
            assert_eq!(
                post["contentType"], "application/x-www-form-urlencoded",
                "{at}"
            );
            assert_eq!(post["fields"], preset.fields, "{at}");
            assert!(
                seen["landed"]
                    .as_str()
                    .is_some_and(|t| t.contains("Thanks")),
                "{at}: the browser should show the service's answer, got {seen:#}"
            );
            for log in ["consoleErrors", "pageErrors", "failedRequests"] {
                assert_eq!(seen[log], json!([]), "{at}: {log}");
            }
            tools::report(&format!(
                "{at}: {} {} reached {}{} with {}",
                seen["engine"], seen["version"], preset.host, preset.path, post["fields"]
            ));
        }
    }
    Ok(())
}
