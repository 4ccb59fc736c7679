//! The currency of each Amazon marketplace: KDP pays royalties in the marketplace's own currency, and a
//! KENP row, which has no currency column, is in it too.

/// ISO 4217 code of the marketplace named like `Amazon.co.uk` (any case, `www.` allowed).
pub fn currency(marketplace: &str) -> Option<&'static str> {
    let m = marketplace.trim().to_ascii_lowercase();
    let m = m.strip_prefix("www.").unwrap_or(&m);
    Some(match m {
        "amazon.com" => "USD",
        "amazon.co.uk" => "GBP",
        "amazon.de" | "amazon.fr" | "amazon.es" | "amazon.it" | "amazon.nl" | "amazon.com.be"
        | "amazon.ie" => "EUR",
        "amazon.co.jp" => "JPY",
        "amazon.ca" => "CAD",
        "amazon.com.au" => "AUD",
        "amazon.in" => "INR",
        "amazon.com.br" => "BRL",
        "amazon.com.mx" => "MXN",
        "amazon.se" => "SEK",
        "amazon.pl" => "PLN",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn marketplaces_have_their_currency() {
        assert_eq!(super::currency("Amazon.com"), Some("USD"));
        assert_eq!(super::currency(" amazon.CO.JP "), Some("JPY"));
        assert_eq!(super::currency("Amazon.es"), Some("EUR"));
        assert_eq!(super::currency("Amazon.com.mx"), Some("MXN"));
        assert_eq!(super::currency("eBay"), None);
    }
}
