//! Where a platform's API is: the platform's own address, or wherever `TRIBUTARY_<PLATFORM>_BASE_URL`
//! points (a sandbox, a stand-in, a test).

use crate::{ConnectorError, PlatformInfo};
use tributary_http::Url;

pub fn base_url(info: &PlatformInfo) -> Result<Url, ConnectorError> {
    let var = format!("TRIBUTARY_{}_BASE_URL", info.env);
    let text = std::env::var(&var).unwrap_or_else(|_| info.default_base_url.to_string());
    parse_base(&text).ok_or_else(|| {
        ConnectorError::configuration(
            info.name,
            format!("{var} is not an http(s) address: \"{text}\""),
        )
    })
}

fn parse_base(text: &str) -> Option<Url> {
    let url = Url::parse(text.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return None;
    }
    Some(as_base(url))
}

/// The base with a trailing slash, so that joining `sales` keeps its path (`…/v2/sales`).
pub(crate) fn as_base(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_keep_their_path_when_joined() {
        let base = parse_base("http://127.0.0.1:5000/v2").unwrap();
        assert_eq!(
            base.join("sales").unwrap().as_str(),
            "http://127.0.0.1:5000/v2/sales"
        );
        assert!(parse_base("ftp://x/v2").is_none());
        assert!(parse_base("not a url").is_none());
    }
}
