//! Where the store's credentials and region come from: the environment,
//! then the profile of the AWS tools' own files.

use std::collections::BTreeMap;

use rusty_s3::Credentials;

use crate::deploy::{Failed, failed};

/// The credentials and region, found where the AWS tools look: the
/// environment first, then the profile `AWS_PROFILE` (default `default`) of
/// the credentials file (`AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/credentials`)
/// and of the config file (`AWS_CONFIG_FILE`, `~/.aws/config`, where a
/// profile other than `default` is `[profile NAME]`). `aws configure` puts
/// the keys in the first and the region in the second.
pub fn credentials(env: &dyn Fn(&str) -> Option<String>) -> Result<(Credentials, String), Failed> {
    let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let profile = set("AWS_PROFILE").unwrap_or_else(|| "default".to_owned());
    let file = |variable: &str, name: &str| {
        (set(variable).or_else(|| set("HOME").map(|home| format!("{home}/.aws/{name}"))))
            .and_then(|f| std::fs::read_to_string(f).ok())
            .unwrap_or_default()
    };
    let shared = section(
        &file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        &[&profile],
    );
    // The config file names a profile `[profile NAME]`; the default one is
    // `[default]`, which the AWS tools also read as `[profile default]`.
    let in_config = format!("profile {profile}");
    let names: &[&str] = match profile.as_str() {
        "default" => &["default", &in_config],
        _ => &[&in_config],
    };
    let config = section(&file("AWS_CONFIG_FILE", "config"), names);
    let from_files = |key: &str| shared.get(key).or_else(|| config.get(key)).cloned();
    let region = set("AWS_REGION")
        .or_else(|| set("AWS_DEFAULT_REGION"))
        .or_else(|| config.get("region").cloned())
        .unwrap_or_else(|| "us-east-1".to_owned());
    let (key, secret, token) = match (set("AWS_ACCESS_KEY_ID"), set("AWS_SECRET_ACCESS_KEY")) {
        (Some(key), Some(secret)) => (key, secret, set("AWS_SESSION_TOKEN")),
        _ => match (
            from_files("aws_access_key_id"),
            from_files("aws_secret_access_key"),
        ) {
            (Some(key), Some(secret)) => (key, secret, from_files("aws_session_token")),
            _ => {
                return Err(failed(
                    "no credentials for the bucket",
                    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION), or a profile in ~/.aws/credentials named by AWS_PROFILE (`aws configure` writes one)",
                ));
            }
        },
    };
    let credentials = match token {
        Some(token) => Credentials::new_with_token(key, secret, token),
        None => Credentials::new(key, secret),
    };
    Ok((credentials, region))
}

/// The `key = value` lines of the sections `[name]` of an AWS INI file
/// named by `names`.
fn section(text: &str, names: &[&str]) -> BTreeMap<String, String> {
    let mut inside = false;
    let mut values = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside =
                (names.iter()).any(|name| header.split_whitespace().eq(name.split_whitespace()));
        } else if inside && let Some((key, value)) = line.split_once('=') {
            values.insert(key.trim().to_owned(), value.trim().to_owned());
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `aws configure`'s two files in a fresh home, and an environment
    /// holding `HOME` and `vars`.
    fn found(vars: &[(&str, &str)]) -> Result<(Credentials, String), Failed> {
        let home = tempfile::tempdir().expect("temp dir");
        let aws = home.path().join(".aws");
        std::fs::create_dir(&aws).expect("mkdir");
        std::fs::write(
            aws.join("credentials"),
            "[default]\naws_access_key_id = AKDEFAULT\naws_secret_access_key = s3cret\n\n\
             [work]\naws_access_key_id=AKWORK\naws_secret_access_key=w0rk\naws_session_token = t0ken\n",
        )
        .expect("write");
        std::fs::write(
            aws.join("config"),
            "# written by aws configure\n[default]\nregion = eu-west-1\n\n\
             [profile work]\nregion = ap-southeast-2\noutput = json\n\n\
             [profile sso]\nregion = us-west-2\naws_access_key_id = AKSSO\naws_secret_access_key = ss0\n",
        )
        .expect("write");
        let home = home.path().display().to_string();
        let env = |name: &str| {
            (name == "HOME").then(|| home.clone()).or_else(|| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        credentials(&env)
    }

    fn shown(
        found: Result<(Credentials, String), Failed>,
    ) -> (String, String, Option<String>, String) {
        let (credentials, region) = found.unwrap_or_else(|_| panic!("no credentials found"));
        (
            credentials.key().to_owned(),
            credentials.secret().to_owned(),
            credentials.token().map(str::to_owned),
            region,
        )
    }

    #[test]
    fn the_region_comes_from_the_config_file_as_aws_configure_writes_it() {
        assert_eq!(
            shown(found(&[])),
            (
                "AKDEFAULT".into(),
                "s3cret".into(),
                None,
                "eu-west-1".into()
            )
        );
        assert_eq!(
            shown(found(&[("AWS_PROFILE", "work")])),
            (
                "AKWORK".into(),
                "w0rk".into(),
                Some("t0ken".into()),
                "ap-southeast-2".into()
            )
        );
        // Keys may sit in the config file's profile too.
        assert_eq!(
            shown(found(&[("AWS_PROFILE", "sso")])),
            ("AKSSO".into(), "ss0".into(), None, "us-west-2".into())
        );
    }

    #[test]
    fn the_environment_wins_over_the_files() {
        let vars = [
            ("AWS_ACCESS_KEY_ID", "AKENV"),
            ("AWS_SECRET_ACCESS_KEY", "env"),
            ("AWS_REGION", "auto"),
        ];
        assert_eq!(
            shown(found(&vars)),
            ("AKENV".into(), "env".into(), None, "auto".into())
        );
        // A region alone in the environment still takes the files' keys.
        assert_eq!(
            shown(found(&[("AWS_DEFAULT_REGION", "eu-central-1")])),
            (
                "AKDEFAULT".into(),
                "s3cret".into(),
                None,
                "eu-central-1".into()
            )
        );
    }

    #[test]
    fn another_config_file_and_its_profile_default_spelling() {
        let elsewhere = tempfile::tempdir().expect("temp dir");
        let config = elsewhere.path().join("config");
        std::fs::write(&config, "[profile default]\nregion = sa-east-1\n").expect("write");
        let config = config.display().to_string();
        assert_eq!(
            shown(found(&[("AWS_CONFIG_FILE", &config)])),
            (
                "AKDEFAULT".into(),
                "s3cret".into(),
                None,
                "sa-east-1".into()
            )
        );
    }

    #[test]
    fn a_profile_that_is_nowhere_says_what_to_set() {
        let Err(failure) = found(&[("AWS_PROFILE", "missing")]) else {
            panic!("a missing profile gave credentials");
        };
        assert_eq!(failure.message, "no credentials for the bucket");
        assert!(failure.help.contains("aws configure"), "{}", failure.help);
    }
}
