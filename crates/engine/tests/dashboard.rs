//! The dashboard against a real ledger file: periods resolved against a fixed today, the previous
//! period's totals, series buckets, top products, countries, and estimated months.

use tributary_engine::{span, Bucket, DashboardQuery, Day, ImportOptions, Period, Workspace};

const HEADER: &str = "platform,account,external_id,kind,occurred_at,product_id,product_name,quantity,currency,gross,fees,net,buyer_email,country,period,estimated\n";

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

fn query(period: Period, bucket: Bucket) -> DashboardQuery {
    DashboardQuery {
        period,
        from: None,
        to: None,
        bucket,
    }
}

/// A workspace holding the given ledger CSV rows.
fn workspace(rows: &str) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rows.csv");
    std::fs::write(&file, format!("{HEADER}{rows}")).unwrap();
    let mut workspace = Workspace::open(&dir.path().join("data")).unwrap();
    let imported = workspace
        .import_file(&file, &ImportOptions::default())
        .unwrap();
    assert_eq!(imported.rejected, 0, "{:?}", imported.errors);
    (dir, workspace)
}

#[test]
fn periods_resolve_against_today_with_a_previous_period_of_the_same_days() {
    let today = day("2026-03-31");
    let month = span(&query(Period::ThisMonth, Bucket::Day), today).unwrap();
    assert_eq!(
        (month.from, month.to),
        (Some(day("2026-03-01")), Some(today))
    );
    // The same days of February, which has no 29th, 30th or 31st in 2026.
    assert_eq!(month.previous, Some((day("2026-02-01"), day("2026-02-28"))));

    let thirty = span(&query(Period::Last30Days, Bucket::Day), today).unwrap();
    assert_eq!(thirty.from, Some(day("2026-03-02")));
    assert_eq!(
        thirty.previous,
        Some((day("2026-01-31"), day("2026-03-01")))
    );

    let year = span(&query(Period::ThisYear, Bucket::Month), today).unwrap();
    assert_eq!(year.from, Some(day("2026-01-01")));
    assert_eq!(year.previous, Some((day("2025-01-01"), day("2025-03-31"))));

    let all = span(&query(Period::AllTime, Bucket::Month), today).unwrap();
    assert_eq!((all.from, all.to, all.previous), (None, None, None));

    let custom = DashboardQuery {
        from: Some("2026-02-10".into()),
        to: Some("2026-02-19".into()),
        ..query(Period::Custom, Bucket::Day)
    };
    let custom = span(&custom, today).unwrap();
    assert_eq!(
        custom.previous,
        Some((day("2026-01-31"), day("2026-02-09")))
    );
}

#[test]
fn a_custom_period_must_be_whole_and_in_order() {
    let today = day("2026-03-31");
    let backwards = DashboardQuery {
        from: Some("2026-02-19".into()),
        to: Some("2026-02-10".into()),
        ..query(Period::Custom, Bucket::Day)
    };
    let error = span(&backwards, today).unwrap_err();
    assert_eq!(error.code(), "query_invalid");
    assert!(
        error
            .to_string()
            .contains("starts (2026-02-19) after it ends"),
        "{error}"
    );
    let open = query(Period::Custom, Bucket::Day);
    assert!(span(&open, today)
        .unwrap_err()
        .to_string()
        .contains("first day"));
    let garbage = DashboardQuery {
        from: Some("yesterday".into()),
        to: Some("2026-02-10".into()),
        ..query(Period::Custom, Bucket::Day)
    };
    assert!(span(&garbage, today)
        .unwrap_err()
        .to_string()
        .contains("'yesterday'"));
}

#[test]
fn figures_series_products_countries_and_estimates() {
    let rows = "\
stripe,main,s1,sale,2026-03-02T10:00:00Z,p1,Course,1,USD,100.00,3.20,96.80,,US,,\n\
stripe,main,s2,sale,2026-03-03T10:00:00Z,p1,Course,1,USD,100.00,3.20,96.80,,DE,,\n\
stripe,main,s3,refund,2026-03-04T10:00:00Z,p1,Course,1,USD,-100.00,0,-100.00,,DE,,\n\
gumroad,main,g1,sale,2026-03-09T10:00:00Z,e1,Ebook,1,USD,20.00,2.00,18.00,,GB,,\n\
gumroad,main,g0,sale,2026-02-10T10:00:00Z,e1,Ebook,1,USD,20.00,2.00,18.00,,GB,,\n\
kdp,main,k1,royalty,2026-03-05T00:00:00Z,B01,Novel,2,EUR,7.00,0,7.00,,DE,2026-03/amazon.de,1\n";
    let (_dir, workspace) = workspace(rows);
    let today = day("2026-03-20");
    let board = workspace
        .dashboard(&query(Period::ThisMonth, Bucket::Week), today)
        .unwrap();
    assert_eq!(board.today, "2026-03-20");
    assert_eq!(board.from.as_deref(), Some("2026-03-01"));
    let currencies: Vec<&str> = board.totals.iter().map(|f| f.currency.as_str()).collect();
    assert_eq!(currencies, ["EUR", "USD"], "never summed across currencies");
    let usd = &board.totals[1];
    assert_eq!(usd.net_minor, 9_680 + 9_680 - 10_000 + 1_800);
    assert_eq!(usd.refunds_minor, 10_000, "refunds are shown, not hidden");
    assert_eq!(
        (usd.sales_minor, usd.fees_minor),
        (22_000, 320 + 320 + 200),
        "sales before refunds and fees"
    );
    assert!(usd.reconciles(), "{usd:?}");
    assert_eq!(board.previous.len(), 1);
    assert_eq!(board.previous[0].net_minor, 1_800, "February 1-20");

    // ISO weeks: 2 March 2026 is a Monday.
    let weeks: Vec<(&str, &str, i64)> = board
        .series
        .iter()
        .map(|p| (p.bucket.as_str(), p.platform.as_str(), p.figures.net_minor))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-03-02", "kdp", 700),
            ("2026-03-02", "stripe", 9_680 + 9_680 - 10_000),
            ("2026-03-09", "gumroad", 1_800),
        ]
    );
    assert_eq!(board.series[0].figures.estimated_events, 1);

    let products: Vec<(&str, Option<&str>, i64)> = board
        .products
        .iter()
        .map(|p| (p.key.as_str(), p.platform.as_deref(), p.figures.net_minor))
        .collect();
    assert_eq!(
        products,
        [
            ("B01", Some("kdp"), 700),
            ("p1", Some("stripe"), 9_360),
            ("e1", Some("gumroad"), 1_800),
        ],
        "per currency, highest net first"
    );
    let germany = board
        .countries
        .iter()
        .find(|c| c.key == "DE" && c.figures.currency == "USD");
    assert_eq!(germany.map(|c| c.figures.net_minor), Some(9_680 - 10_000));
    assert_eq!(board.estimated_months, ["2026-03"]);
    // Named exactly: month, marketplace, currency, and the file the estimates came from.
    let still: Vec<(&str, &str, &str, i64)> = board
        .still_estimated
        .iter()
        .map(|p| {
            (
                p.month.as_str(),
                p.marketplace.as_str(),
                p.currency.as_str(),
                p.events,
            )
        })
        .collect();
    assert_eq!(still, [("2026-03", "amazon.de", "EUR", 1)]);
    assert_eq!(board.still_estimated[0].files, ["rows.csv"]);
    assert_eq!(board.platforms.len(), 3);

    let days = workspace
        .dashboard(&query(Period::ThisMonth, Bucket::Day), today)
        .unwrap();
    assert_eq!(days.series.len(), 5);
    let months = workspace
        .dashboard(&query(Period::AllTime, Bucket::Month), today)
        .unwrap();
    let buckets: Vec<&str> = months.series.iter().map(|p| p.bucket.as_str()).collect();
    assert_eq!(
        buckets,
        ["2026-02-01", "2026-03-01", "2026-03-01", "2026-03-01"]
    );
    assert!(months.previous.is_empty());
}

#[test]
fn the_query_reads_as_the_window_sends_it() {
    let json = r#"{"period":"last_30_days","from":null,"to":null,"bucket":"week"}"#;
    let sent: DashboardQuery = serde_json::from_str(json).unwrap();
    assert_eq!(sent, query(Period::Last30Days, Bucket::Week));
    let custom = r#"{"period":"custom","from":"2026-01-01","to":"2026-01-31","bucket":"day"}"#;
    let custom: DashboardQuery = serde_json::from_str(custom).unwrap();
    assert_eq!(custom.from.as_deref(), Some("2026-01-01"));
}

#[test]
fn last_month_and_the_last_twelve_are_whole_months_for_platforms_that_report_late() {
    let today = day("2026-01-03");
    let last = span(&query(Period::LastMonth, Bucket::Day), today).unwrap();
    assert_eq!(
        (last.from, last.to, last.previous),
        (
            Some(day("2025-12-01")),
            Some(day("2025-12-31")),
            Some((day("2025-11-01"), day("2025-11-30")))
        )
    );
    let year = span(&query(Period::Last12Months, Bucket::Month), today).unwrap();
    assert_eq!(
        (year.from, year.to, year.previous),
        (
            Some(day("2025-01-01")),
            Some(day("2025-12-31")),
            Some((day("2024-01-01"), day("2024-12-31")))
        )
    );
    // A short month before a long one: March's last month is all of February.
    let feb = span(&query(Period::LastMonth, Bucket::Day), day("2028-03-31")).unwrap();
    assert_eq!(
        (feb.from, feb.to),
        (Some(day("2028-02-01")), Some(day("2028-02-29")))
    );
    // The window sends the periods by these names.
    let sent: DashboardQuery = serde_json::from_str(
        r#"{"period":"last_12_months","from":null,"to":null,"bucket":"month"}"#,
    )
    .unwrap();
    assert_eq!(sent.period, Period::Last12Months);
    assert!(serde_json::from_str::<DashboardQuery>(
        r#"{"period":"last_month","from":null,"to":null,"bucket":"day"}"#
    )
    .is_ok());
}

#[test]
fn the_dashboard_says_how_current_each_platform_is_and_when_a_comparison_is_partial() {
    let rows = "\
stripe,main,s1,sale,2026-02-20T10:00:00Z,p1,Course,1,USD,100.00,3.20,96.80,,US,,\n\
stripe,main,s2,sale,2026-03-02T10:00:00Z,p1,Course,1,USD,100.00,3.20,96.80,,US,,\n\
kdp,main,k1,royalty,2025-11-20T00:00:00Z,B01,Novel,2,EUR,7.00,0,7.00,,DE,,\n";
    let (_dir, workspace) = workspace(rows);
    // The 3rd of a month with nothing in it yet: the newest data is in March, KDP's in November.
    let board = workspace
        .dashboard(&query(Period::ThisMonth, Bucket::Day), day("2026-04-03"))
        .unwrap();
    assert!(board.totals.is_empty());
    let through: Vec<(&str, &str, &str)> = board
        .coverage
        .iter()
        .map(|c| {
            (
                c.platform.as_str(),
                c.first_day.as_str(),
                c.last_day.as_str(),
            )
        })
        .collect();
    assert_eq!(
        through,
        [
            ("kdp", "2025-11-20", "2025-11-20"),
            ("stripe", "2026-02-20", "2026-03-02")
        ]
    );
    // February against January: the data runs from 20 November to 2 March, over both — comparable.
    let february = workspace
        .dashboard(&query(Period::LastMonth, Bucket::Day), day("2026-03-05"))
        .unwrap();
    assert_eq!(february.from.as_deref(), Some("2026-02-01"));
    assert!(!february.comparison_partial);
    // This month to the 20th, with data only to the 2nd: part of the period has no data yet.
    let march = workspace
        .dashboard(&query(Period::ThisMonth, Bucket::Day), day("2026-03-20"))
        .unwrap();
    assert!(march.comparison_partial);
    // The last twelve months against the twelve before: the data starts inside those.
    let year = workspace
        .dashboard(
            &query(Period::Last12Months, Bucket::Month),
            day("2026-04-03"),
        )
        .unwrap();
    assert!(year.comparison_partial, "{:?}", year.previous_from);
    let all = workspace
        .dashboard(&query(Period::AllTime, Bucket::Month), day("2026-04-03"))
        .unwrap();
    assert!(!all.comparison_partial, "nothing to compare with");
}

#[test]
fn each_platform_says_what_the_ledger_holds_from_it() {
    let rows = "\
stripe,main,s1,sale,2026-03-02T10:00:00Z,p1,Course,1,USD,100.00,3.20,96.80,,US,,\n\
stripe,main,s2,sale,2026-03-09T10:00:00Z,p1,Course,1,USD,100.00,3.20,96.80,,DE,,\n\
gumroad,main,g1,sale,2026-02-10T10:00:00Z,e1,Ebook,1,USD,20.00,2.00,18.00,,GB,,\n";
    let (_dir, workspace) = workspace(rows);
    let held = workspace.platforms_held().unwrap();
    let stripe = held.iter().find(|p| p.platform == "stripe").unwrap();
    assert_eq!(stripe.events, 2);
    assert_eq!(stripe.first_day.as_deref(), Some("2026-03-02"));
    assert_eq!(stripe.last_day.as_deref(), Some("2026-03-09"));
    // Brought by a ledger CSV, not by a Stripe export: no "last import" of Stripe's own files.
    assert_eq!(stripe.last_import, None);
    // A platform a format reads, with nothing from it yet, is listed with nothing.
    let whatnot = held.iter().find(|p| p.platform == "whatnot").unwrap();
    assert_eq!((whatnot.events, whatnot.first_day.as_deref()), (0, None));
}
