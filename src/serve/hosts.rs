//! Which hosts the preview answers to: its defence against DNS rebinding.
//!
//! A page on another site can point its own name at 127.0.0.1 and then read
//! the preview (drafts, embargoed stories) as if it were its own origin; the
//! browser still sends that name in `Host`. So a request is served only when
//! its `Host` names this machine (`localhost`, `127.0.0.1`, `[::1]`, the
//! bound address, with the port) or a name given with `--allow-host`. Bound
//! to every address (`0.0.0.0`, `::`), the machine's own addresses cannot all
//! be known, so any IP literal is let in: rebinding needs a name. The
//! live-reload routes check `Origin` the same way when a browser sends one.

use std::net::IpAddr;

use url::Url;

/// The hosts one `serve` answers to.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    port: u16,
    bind: IpAddr,
    /// Names from `--allow-host`, lower case, with any port.
    names: Vec<String>,
}

/// Why a request was refused, to say in the 403.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    NoHost,
    Host(String),
    Origin(String),
}

impl AllowedHosts {
    /// `names` as [`parse_name`] returns them.
    pub fn new(bind: IpAddr, port: u16, names: Vec<String>) -> AllowedHosts {
        AllowedHosts { port, bind, names }
    }

    /// Checks a request's `Host` value (`name:port`, `[v6]:port`).
    pub fn check_host(&self, host: Option<&str>) -> Result<(), Refusal> {
        let Some(host) = host else {
            return Err(Refusal::NoHost);
        };
        match split_host(host) {
            Some((name, port)) if self.allows(&name, port) => Ok(()),
            _ => Err(Refusal::Host(host.to_owned())),
        }
    }

    /// Checks an `Origin` value (`http://name:port`); `null` is refused.
    pub fn check_origin(&self, origin: &str) -> Result<(), Refusal> {
        let allowed = Url::parse(origin).ok().is_some_and(|url| {
            let name = match url.host() {
                Some(url::Host::Domain(name)) => normalise(name),
                Some(url::Host::Ipv4(ip)) => Some(ip.to_string()),
                Some(url::Host::Ipv6(ip)) => Some(ip.to_string()),
                None => None,
            };
            let Some(name) = name else {
                return false;
            };
            matches!(url.scheme(), "http" | "https")
                && self.allows(&name, url.port_or_known_default())
        });
        if allowed {
            Ok(())
        } else {
            Err(Refusal::Origin(origin.to_owned()))
        }
    }

    /// `name` as [`split_host`] gives it.
    fn allows(&self, name: &str, port: Option<u16>) -> bool {
        // Names the user gave are trusted on any port: a tunnel or a proxy
        // in front of the preview shows its own.
        if self.names.iter().any(|allowed| allowed == name) {
            return true;
        }
        // A browser leaves the port out only when it is the scheme's own.
        if port.unwrap_or(80) != self.port {
            return false;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => {
                self.bind.is_unspecified()
                    || ip == self.bind
                    || ip == IpAddr::from([127, 0, 0, 1])
                    || ip == IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1])
            }
            Err(_) => name == "localhost",
        }
    }
}

/// Splits `name:port` into the name (lower case, no final dot, an IPv6
/// literal without its brackets) and the port; `None` when malformed.
fn split_host(host: &str) -> Option<(String, Option<u16>)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let ip: std::net::Ipv6Addr = ip.parse().ok()?;
        let port = match after {
            "" => None,
            after => Some(after.strip_prefix(':')?),
        };
        (ip.to_string(), port)
    } else {
        let (name, port) = match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        };
        (normalise(name)?, port)
    };
    let port = match port {
        Some(port) => Some(port.parse().ok()?),
        None => None,
    };
    Some((name, port))
}

/// Lower case and without a final dot (`localhost.` is `localhost`);
/// `None` for anything but letters, digits, `-`, `_`, `.` and `:`.
fn normalise(name: &str) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    valid.then_some(name)
}

/// Parses a `--allow-host` value: a host name or an IP address, without
/// scheme or port.
pub fn parse_name(value: &str) -> Result<String, String> {
    let bare = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(value);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(ip.to_string());
    }
    match normalise(bare) {
        Some(name) if !name.contains(':') => Ok(name),
        _ => Err(format!(
            "`{value}` is not a host name; give the name alone, such as `preview.test`, without scheme or port"
        )),
    }
}

impl Refusal {
    /// The 403's body: what was refused and how to allow it.
    pub fn message(&self) -> String {
        let allow = |value: &str| {
            split_host(value)
                .map(|(name, _)| name)
                .unwrap_or_else(|| value.to_owned())
        };
        match self {
            Refusal::NoHost => {
                "gazette serve refused a request without a `Host` header\n".to_owned()
            }
            Refusal::Host(host) => format!(
                "gazette serve refused the host `{host}`: it answers only to this machine's own names; if you meant to reach it as `{name}`, restart it with `--allow-host {name}`\n",
                name = allow(host)
            ),
            Refusal::Origin(origin) => {
                let name = Url::parse(origin)
                    .ok()
                    .and_then(|url| url.host_str().map(str::to_owned))
                    .unwrap_or_else(|| origin.clone());
                format!(
                    "gazette serve refused a page from `{origin}`: live reload answers only its own pages; if you meant to use it from `{name}`, restart it with `--allow-host {name}`\n"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(port: u16) -> AllowedHosts {
        AllowedHosts::new(IpAddr::from([127, 0, 0, 1]), port, Vec::new())
    }

    // This machine's own names pass with the port; others, a missing Host,
    // or the right name on another port do not.
    #[test]
    fn loopback_names_with_the_port() {
        let hosts = local(1111);
        for host in [
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost.:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
        ] {
            assert_eq!(hosts.check_host(Some(host)), Ok(()), "{host}");
        }
        for host in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "localhost:2222",
            "localhost",
            "127.0.0.1",
            "192.168.1.5:1111",
            "127.0.0.1:1111:1111",
            "::1:1111",
            "[::1]x:1111",
            "local host:1111",
            "",
        ] {
            assert_eq!(
                hosts.check_host(Some(host)),
                Err(Refusal::Host(host.to_owned())),
                "{host}"
            );
        }
        assert_eq!(hosts.check_host(None), Err(Refusal::NoHost));
    }

    // On port 80 browsers leave the port out.
    #[test]
    fn port_80_may_be_left_out() {
        let hosts = local(80);
        assert_eq!(hosts.check_host(Some("localhost")), Ok(()));
        assert_eq!(hosts.check_host(Some("localhost:80")), Ok(()));
        assert_eq!(
            hosts.check_origin("http://127.0.0.1"),
            Ok(()),
            "the scheme's own port"
        );
    }

    // Bound to every address: any IP literal passes, a name still does not.
    #[test]
    fn unspecified_bind_lets_ip_literals_in() {
        let hosts = AllowedHosts::new(IpAddr::from([0, 0, 0, 0]), 1111, Vec::new());
        assert_eq!(hosts.check_host(Some("192.168.1.5:1111")), Ok(()));
        assert_eq!(hosts.check_host(Some("[fe80::1]:1111")), Ok(()));
        assert!(hosts.check_host(Some("laptop.local:1111")).is_err());
        assert!(hosts.check_host(Some("192.168.1.5:2222")).is_err());
    }

    // A name given with `--allow-host` passes on any port; the bound address
    // passes as a literal.
    #[test]
    fn allowed_names_and_the_bound_address() {
        let names = vec![parse_name("Preview.Test").expect("name")];
        let hosts = AllowedHosts::new(IpAddr::from([10, 0, 0, 7]), 1111, names);
        assert_eq!(hosts.check_host(Some("preview.test:1111")), Ok(()));
        assert_eq!(hosts.check_host(Some("PREVIEW.test")), Ok(()));
        assert_eq!(hosts.check_host(Some("preview.test:443")), Ok(()));
        assert_eq!(hosts.check_host(Some("10.0.0.7:1111")), Ok(()));
        assert!(hosts.check_host(Some("10.0.0.8:1111")).is_err());
        assert!(hosts.check_host(Some("sub.preview.test:1111")).is_err());
    }

    // Origins: the page's own scheme, host and port.
    #[test]
    fn origins() {
        let hosts = local(1111);
        for origin in [
            "http://localhost:1111",
            "http://127.0.0.1:1111",
            "http://[::1]:1111",
        ] {
            assert_eq!(hosts.check_origin(origin), Ok(()), "{origin}");
        }
        for origin in [
            "http://evil.example:1111",
            "http://localhost:3000",
            "http://localhost",
            "null",
            "file://",
            "",
        ] {
            assert_eq!(
                hosts.check_origin(origin),
                Err(Refusal::Origin(origin.to_owned())),
                "{origin}"
            );
        }
    }

    // `--allow-host` takes a bare name or address.
    #[test]
    fn allow_host_values() {
        assert_eq!(parse_name("Preview.Test."), Ok("preview.test".to_owned()));
        assert_eq!(parse_name("[::1]"), Ok("::1".to_owned()));
        assert_eq!(parse_name("10.0.0.7"), Ok("10.0.0.7".to_owned()));
        for bad in ["http://preview.test", "preview.test:1111", "", "a b"] {
            assert!(parse_name(bad).is_err(), "{bad}");
        }
    }

    // The 403 says what to pass.
    #[test]
    fn refusal_names_the_flag() {
        let text = Refusal::Host("evil.example:1111".to_owned()).message();
        assert!(
            text.contains("`evil.example:1111`") && text.contains("`--allow-host evil.example`"),
            "{text}"
        );
        let text = Refusal::Origin("http://evil.example:1111".to_owned()).message();
        assert!(text.contains("`--allow-host evil.example`"), "{text}");
    }
}
