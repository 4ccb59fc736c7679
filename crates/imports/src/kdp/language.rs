//! The words of KDP's reports in each language Tributary knows: sheet names, column names and month
//! names, per `shared/contracts/export-formats.md` §5. KDP localizes all of them to the account's UI
//! language; a workbook is matched against every language and read with the one its sheets name. Adding a
//! language is adding a table here.

/// What a sheet holds, as far as the ledger cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SheetRole {
    /// Every format's royalties, one row per day (Dashboard): repeats the per-format sheets.
    CombinedSales,
    /// One format's royalties (eBook, paperback, hardcover, audiobook).
    FormatRoyalty,
    /// Kindle Unlimited pages read: a quantity without money.
    KenpRead,
    /// Prior Months' Royalties: everything of the month, KENP earnings included.
    TotalEarnings,
    /// Summaries, order counts and definitions: nothing the royalty sheets do not already say.
    Ignored,
}

/// A value a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Date,
    Title,
    Author,
    /// ASIN or ISBN: the product.
    Product,
    Marketplace,
    RoyaltyType,
    TransactionType,
    UnitsSold,
    UnitsRefunded,
    NetUnits,
    /// Royalty (Dashboard, per-format sheets) or Earnings (Total Earnings): the money.
    Royalty,
    Currency,
    KenpPages,
    PayoutPlan,
}

pub struct Language {
    pub name: &'static str,
    /// Sheet names (as KDP writes them in full) and what they hold.
    pub sheets: &'static [(&'static str, SheetRole)],
    /// Column names and their field; for a field named several ways, the first present in a sheet wins,
    /// so that `ASIN/ISBN` beats the extra `ASIN` column of the paperback sheets.
    pub columns: &'static [(&'static str, Field)],
    /// The first cell of a Prior Months' workbook's first row.
    pub sales_period: &'static [&'static str],
    /// Month names, January first.
    pub months: [&'static str; 12],
}

pub const LANGUAGES: [Language; 3] = [ENGLISH, SPANISH, JAPANESE];

const ENGLISH: Language = Language {
    name: "English",
    sheets: &[
        ("Combined Sales", SheetRole::CombinedSales),
        ("eBook Royalty", SheetRole::FormatRoyalty),
        ("Paperback Royalty", SheetRole::FormatRoyalty),
        ("Hardcover Royalty", SheetRole::FormatRoyalty),
        ("Audiobook Royalty", SheetRole::FormatRoyalty),
        ("KENP Read", SheetRole::KenpRead),
        ("KENP", SheetRole::KenpRead),
        ("Total Earnings", SheetRole::TotalEarnings),
        ("Total Royalty", SheetRole::TotalEarnings),
        ("Summary", SheetRole::Ignored),
        ("Report Definitions", SheetRole::Ignored),
        ("Orders Processed", SheetRole::Ignored),
        ("eBook Orders Placed", SheetRole::Ignored),
    ],
    columns: &[
        ("Royalty Date", Field::Date),
        ("Date", Field::Date),
        ("Title", Field::Title),
        ("Author Name", Field::Author),
        ("Author", Field::Author),
        ("ASIN/ISBN", Field::Product),
        ("ISBN", Field::Product),
        ("ASIN", Field::Product),
        ("Marketplace", Field::Marketplace),
        ("Royalty Type", Field::RoyaltyType),
        ("Transaction Type", Field::TransactionType),
        ("Units Sold", Field::UnitsSold),
        ("Units Refunded", Field::UnitsRefunded),
        ("Net Units Sold", Field::NetUnits),
        ("Net Units Sold or Combined KENP", Field::NetUnits),
        ("Net Units Sold or KENP Read", Field::NetUnits),
        ("Net Units Sold or KENP Read**", Field::NetUnits),
        ("Royalty", Field::Royalty),
        ("Earnings", Field::Royalty),
        ("Currency", Field::Currency),
        ("Royalty Currency", Field::Currency),
        (
            "Kindle Edition Normalized Page (KENP) Read",
            Field::KenpPages,
        ),
        (
            "Kindle Edition Normalized Pages (KENP) Read",
            Field::KenpPages,
        ),
        (
            "Kindle Edition Normalized Pages (KENP) Read from KU and KOLL",
            Field::KenpPages,
        ),
        ("Payout Plan", Field::PayoutPlan),
    ],
    sales_period: &["Sales Period"],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

const SPANISH: Language = Language {
    name: "Spanish",
    sheets: &[
        ("Ventas combinadas", SheetRole::CombinedSales),
        ("Regalías de eBooks", SheetRole::FormatRoyalty),
        ("Regalías de libros impresos", SheetRole::FormatRoyalty),
        // Excel cuts sheet names at 31 characters: the file says "Regalías de los libros de tapa ".
        (
            "Regalías de los libros de tapa dura",
            SheetRole::FormatRoyalty,
        ),
        ("KENP leídas", SheetRole::KenpRead),
        ("Ganancias totales", SheetRole::TotalEarnings),
        ("Resumen", SheetRole::Ignored),
        ("Definiciones del informe", SheetRole::Ignored),
        ("Pedidos procesados", SheetRole::Ignored),
        ("Pedidos completados de eBooks", SheetRole::Ignored),
    ],
    columns: &[
        ("Fecha de las regalías", Field::Date),
        ("Fecha", Field::Date),
        ("Título", Field::Title),
        ("Nombre del autor", Field::Author),
        ("Autor", Field::Author),
        ("ASIN/ISBN", Field::Product),
        ("ISBN", Field::Product),
        ("ASIN", Field::Product),
        ("Tienda", Field::Marketplace),
        ("Tipo de regalía", Field::RoyaltyType),
        ("Tipo de regalías", Field::RoyaltyType),
        ("Tipo de transacción", Field::TransactionType),
        ("Unidades vendidas", Field::UnitsSold),
        ("Unidades devueltas", Field::UnitsRefunded),
        ("Unidades netas vendidas", Field::NetUnits),
        ("Regalías", Field::Royalty),
        ("Ganancias", Field::Royalty),
        ("Moneda", Field::Currency),
        ("Páginas KENP leídas", Field::KenpPages),
        ("Plan de pago", Field::PayoutPlan),
    ],
    sales_period: &["Periodo de ventas", "Período de ventas"],
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
};

const JAPANESE: Language = Language {
    name: "Japanese",
    sheets: &[
        ("販売数合算", SheetRole::CombinedSales),
        ("既読KENP", SheetRole::KenpRead),
        ("電子書籍の注文数", SheetRole::Ignored),
    ],
    columns: &[
        ("ロイヤリティ発生日", Field::Date),
        ("日付", Field::Date),
        ("タイトル", Field::Title),
        ("著者名", Field::Author),
        ("著者", Field::Author),
        ("ASIN/ISBN", Field::Product),
        ("ASIN", Field::Product),
        ("マーケットプレイス", Field::Marketplace),
        ("ロイヤリティの種類", Field::RoyaltyType),
        ("取引の種類", Field::TransactionType),
        ("販売数量", Field::UnitsSold),
        ("払い戻し数", Field::UnitsRefunded),
        ("実質販売数", Field::NetUnits),
        ("ロイヤリティ", Field::Royalty),
        ("通貨", Field::Currency),
    ],
    sales_period: &["販売期間"],
    months: [
        "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
    ],
};

/// Excel's longest sheet name: longer names are cut to it.
const SHEET_NAME_CHARS: usize = 31;

impl Language {
    /// What the sheet named `name` holds in this language: the trimmed name equals a known one, or it is
    /// a known name that Excel cut at 31 characters.
    pub fn role(&self, name: &str) -> Option<SheetRole> {
        let trimmed = name.trim();
        let cut = name.chars().count() == SHEET_NAME_CHARS;
        self.sheets
            .iter()
            .find(|(known, _)| {
                known.eq_ignore_ascii_case(trimmed) || (cut && known.starts_with(trimmed))
            })
            .map(|(_, role)| *role)
    }

    /// The field a column named `header` holds.
    pub fn field(&self, header: &str) -> Option<(Field, usize)> {
        let trimmed = header.trim();
        self.columns
            .iter()
            .position(|(name, _)| name.eq_ignore_ascii_case(trimmed))
            .map(|rank| (self.columns[rank].1, rank))
    }

    /// The month `text` names (`March 2026`, `marzo 2026`, `2026年3月`, `2026-03`) as (year, month).
    pub fn month(&self, text: &str) -> Option<(i32, u32)> {
        let t = text.trim();
        if let Some((y, m)) = t.split_once('-') {
            if let (Ok(y), Ok(m)) = (y.parse(), m.parse()) {
                return (1..=12).contains(&m).then_some((y, m));
            }
        }
        if let Some((y, rest)) = t.split_once('年') {
            let m: u32 = rest.trim_end_matches('月').trim().parse().ok()?;
            return (1..=12).contains(&m).then_some((y.trim().parse().ok()?, m));
        }
        let (name, year) = t.rsplit_once(' ')?;
        let name = name.trim().trim_end_matches(" de");
        let month = self
            .months
            .iter()
            .position(|m| m.to_lowercase() == name.to_lowercase())?;
        Some((year.trim().parse().ok()?, month as u32 + 1))
    }
}

/// The language whose Prior Months' period label (`Sales Period`) `label` is.
pub fn of_sales_period(label: &str) -> Option<&'static Language> {
    let label = label.trim();
    LANGUAGES
        .iter()
        .find(|l| l.sales_period.iter().any(|p| p.eq_ignore_ascii_case(label)))
}

/// The language whose sheet names name the most of `sheets`, if any names one.
pub fn of_sheets<'a>(sheets: impl Iterator<Item = &'a str> + Clone) -> Option<&'static Language> {
    LANGUAGES
        .iter()
        .map(|l| (l, sheets.clone().filter(|s| l.role(s).is_some()).count()))
        .filter(|(_, known)| *known > 0)
        .max_by_key(|(_, known)| *known)
        .map(|(l, _)| l)
}

/// The language whose column names name the most of `header`, if any names a date or product column.
pub fn of_header(header: &[String]) -> Option<&'static Language> {
    LANGUAGES
        .iter()
        .map(|l| {
            let fields: Vec<Field> = header
                .iter()
                .filter_map(|h| l.field(h).map(|(f, _)| f))
                .collect();
            (l, fields)
        })
        .filter(|(_, f)| f.contains(&Field::Product) && f.contains(&Field::Marketplace))
        .max_by_key(|(_, f)| f.len())
        .map(|(l, _)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_matched_trimmed_and_cut_at_31_characters() {
        let spanish = &LANGUAGES[1];
        assert_eq!(
            spanish.role("Regalías de los libros de tapa "),
            Some(SheetRole::FormatRoyalty)
        );
        assert_eq!(
            spanish.role(" Ventas combinadas "),
            Some(SheetRole::CombinedSales)
        );
        assert_eq!(spanish.role("Regalías"), None);
        let found = of_sheets(["Resumen", "Ventas combinadas", "Extra"].into_iter());
        assert_eq!(found.map(|l| l.name), Some("Spanish"));
        assert!(of_sheets(["Umsätze", "Übersicht"].into_iter()).is_none());
    }

    #[test]
    fn months_read_in_each_language() {
        assert_eq!(LANGUAGES[0].month("March 2026"), Some((2026, 3)));
        assert_eq!(LANGUAGES[1].month("marzo 2026"), Some((2026, 3)));
        assert_eq!(LANGUAGES[1].month("Junio de 2026"), Some((2026, 6)));
        assert_eq!(LANGUAGES[2].month("2026年3月"), Some((2026, 3)));
        assert_eq!(LANGUAGES[0].month("2026-11"), Some((2026, 11)));
        assert_eq!(LANGUAGES[0].month("Marchember 2026"), None);
        assert_eq!(LANGUAGES[0].month("2026-13"), None);
    }
}
