//! A platform's API as a connector holds it: its base address (always ending in `/`, so joined paths
//! keep the version segment) and the HTTP client set to the platform's limits.

use crate::{ConnectorError, PlatformInfo};
use tributary_http::{ClientConfig, HttpClient, RequestRecord, Url};

pub(crate) struct Api {
    pub info: &'static PlatformInfo,
    base: Url,
    pub http: HttpClient,
}

impl Api {
    pub fn new(
        info: &'static PlatformInfo,
        base: Url,
        config: ClientConfig,
    ) -> Result<Self, ConnectorError> {
        let http = HttpClient::new(config)
            .map_err(|e| ConnectorError::http(info.name, "setting up", e))?;
        Ok(Api {
            info,
            base: crate::endpoints::as_base(base),
            http,
        })
    }

    /// `path` (`sales`, `orders`) under the base.
    pub fn url(&self, path: &str) -> Result<Url, ConnectorError> {
        self.base.join(path).map_err(|e| {
            ConnectorError::configuration(self.info.name, format!("the API address: {e}"))
        })
    }

    pub fn take_records(&self) -> Vec<RequestRecord> {
        self.http.take_records()
    }
}
