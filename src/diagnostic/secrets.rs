//! What a diagnostic never shows: the value of a key that may hold a
//! secret, in the line it quotes from a file.

/// `line` as shown under a diagnostic: a `password:` line (or a `token:`,
/// a `secret:`, a `pasword:`) keeps its key and loses its value, whatever
/// is wrong with it, even YAML that does not parse: a secret written where
/// it does not belong must reach no terminal or CI log.
pub(super) fn masked(line: &str) -> String {
    let indent = line.len() - line.trim_start_matches([' ', '\t', '-']).len();
    let rest = &line[indent..];
    let Some(colon) = rest.find(':') else {
        return line.to_owned();
    };
    let key = rest[..colon].trim().trim_matches(['"', '\'']);
    let shown = key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.".contains(c));
    match shown && secret_key(key) {
        true => format!("{}: ********", &line[..indent + colon]),
        false => line.to_owned(),
    }
}

/// Whether a key's value is likely a secret: a password, a token, a key
/// of an API, or a misspelling of `password`.
fn secret_key(key: &str) -> bool {
    let key = key.to_lowercase().replace(['-', '.'], "_");
    [
        "passw",
        "secret",
        "token",
        "api_key",
        "apikey",
        "credential",
        "private_key",
    ]
    .iter()
    .any(|word| key.contains(word))
        || matches!(key.as_str(), "pass" | "pwd" | "pw")
        || strsim::damerau_levenshtein(&key, "password") <= 2
}

#[cfg(test)]
mod tests {
    use super::super::{Diagnostic, Location};

    // A line that may hold a secret is shown without its value, whatever the
    // error at it (YAML that does not parse included); other lines as written.
    #[test]
    fn never_quotes_a_secret() {
        let text = "smtp:\n  password: @Sup3rSecret\n  - \"api-key\": k3y: x\n  pasword: hunter2\n  GITHUB_TOKEN: ghp_x\n  host: smtp.example\n";
        let quoted = |line| {
            Diagnostic::error("invalid YAML")
                .at(Location::span("content/site.yaml", text, line, 13, 1))
                .render()
        };
        for line in 2..=5 {
            let shown = quoted(line);
            for secret in ["Sup3rSecret", "k3y", "hunter2", "ghp_x"] {
                assert!(!shown.contains(secret), "{shown}");
            }
            assert!(shown.contains(": ********"), "{shown}");
        }
        assert!(
            quoted(2).contains("2 |   password: ********"),
            "{}",
            quoted(2)
        );
        assert!(
            quoted(6).contains("6 |   host: smtp.example"),
            "{}",
            quoted(6)
        );
        let prose = "Compass: north\nSecret sauce: more chips\n";
        let shown = Diagnostic::error("x")
            .at(Location::line("a.md", prose, 1))
            .render();
        assert!(shown.contains("Compass: north"), "{shown}");
    }
}
