#!/usr/bin/env python3
"""Writes Tributary's demo workspace: the report files of a made-up creator, Mara Quill, from
2025-01-01 to 2026-11-20, in the formats Tributary's importers read.

    python3 assets/demo/make_demo.py                 # (re)writes the files next to this script
    python3 assets/demo/make_demo.py OUTDIR          # writes them into OUTDIR instead
    python3 assets/demo/make_demo.py --check BIN     # checks that the files here are what it writes,
                                                     # then imports them with the `tributary` binary BIN
                                                     # into an empty data folder: every file with 0
                                                     # rejected rows, and reports equal to the totals
                                                     # worked out here

Standard library only. The output is byte-identical from run to run and machine to machine (checked
with Python 3.9 to 3.13): every number comes from a seeded Mersenne Twister (`random.Random(int).random()`
only, whose sequence Python keeps stable) and integer or Decimal arithmetic, and the workbooks' zip
entries have a fixed timestamp. (The workbooks are deflated by the system's zlib; a zlib that compresses
differently, such as zlib-ng, would change their bytes but not their contents.)

The file writers are tests/fixtures/generate.py's (imported, not copied): its KDP workbook builder
(`dashboard_sheets`, `prior_month`, `prior_month_sheets`, `xlsx_bytes`), its Stripe export
(`stripe_events`, `stripe_current_csv`), its Gumroad export (`gumroad_file`), its money helpers and its
model of what Tributary must count (`event`, `run_scenario`, `totals`). Its KDP and Gumroad helpers read
module tables (`MONTH`, `PERIOD`, `PRODUCTS`, `PRICES`, `FINAL_*`, `KENP_*`, `GUMROAD_SALES`); this
script sets them for each month or file it writes, in this process only. Lemon Squeezy, Whatnot and the
Patreon ledger CSV have no writer there, so they are written here, after the column names the presets
(crates/imports/presets/*.toml) and docs/formats/ledger-csv.md give.

What the creator's business looks like (see README.md for the files):
- KDP: four ebooks and two paperbacks on Amazon.com / .co.uk / .de / .fr (USD, GBP, EUR), KENP pages
  for the KDP Select titles; a new book in October 2025 and another in September 2026, each with a
  launch spike; gift-season paperbacks; a Kindle Countdown Deal and a free promotion. One Prior Months'
  Royalties workbook per month from January 2025 to October 2026 (KDP makes one per month and a
  workbook holds one month), and a Dashboard export of 2026-09-01 to 2026-11-20 whose September and
  October estimates those finals replace, so that only November 2026 stays estimated.
- Stripe (USD): courses, workshops and reviews sold from her site; failed attempts, full and partial
  refunds, two lost disputes and a won one.
- Gumroad (USD): brush packs and a workbook; slows down after the brushes move to Lemon Squeezy.
- Lemon Squeezy (USD and EUR, from April 2025): brush library and texture packs, EU VAT, refunds.
- Whatnot (USD, from June 2025): weekly live shows selling signed paperbacks, sketches and prints, tips,
  label adjustments, refunds and weekly payouts (payouts are transfers, not income).
- Patreon (USD): monthly memberships in three tiers, per country, in Tributary's own ledger CSV.
Every platform grows; January and the holiday season are strong, summer is quiet for courses.
"""

import calendar
import csv
import hashlib
import importlib.util
import io
import json
import random
import subprocess
import sys
import tempfile
import unicodedata
import uuid
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

sys.dont_write_bytecode = True  # leave no __pycache__ in tests/fixtures/
_spec = importlib.util.spec_from_file_location("tributary_fixtures", ROOT / "tests" / "fixtures" / "generate.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

D = Decimal
START = date(2025, 1, 1)
END = date(2026, 11, 20)
SPAN = (END - START).days
DASHBOARD_START = date(2026, 9, 1)
LAST_FINAL = (2026, 10)

# ---------------------------------------------------------------------------------------------------
# Deterministic randomness: only Random.random(), only + - * / on floats (no libm), so every machine
# draws the same numbers.
# ---------------------------------------------------------------------------------------------------


class Dice:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def random(self):
        return self.rng.random()

    def chance(self, p):
        return self.rng.random() < p

    def below(self, n):
        """0 <= k < n."""
        return min(int(self.rng.random() * n), n - 1)

    def pick(self, items):
        return items[self.below(len(items))]

    def weighted(self, pairs):
        """`pairs`: [(value, weight)]."""
        total = sum(w for _, w in pairs)
        x = self.rng.random() * total
        for value, w in pairs:
            x -= w
            if x < 0:
                return value
        return pairs[-1][0]

    def count(self, mean):
        """A count with this mean (binomial, close to Poisson for small means)."""
        if mean <= 0:
            return 0
        n = int(mean * 3) + 4
        p = mean / n
        return sum(1 for _ in range(n) if self.rng.random() < p)

    def between(self, lo, hi):
        return lo + (hi - lo) * self.rng.random()

    def time_of_day(self, d, busy=(14, 23)):
        """A datetime on day `d`, mostly in the busy hours (UTC)."""
        if self.chance(0.75):
            hour = busy[0] + self.below(busy[1] - busy[0] + 1)
        else:
            hour = self.below(24)
        return datetime(d.year, d.month, d.day, hour % 24, self.below(60), self.below(60))


class Flow:
    """Counts that follow their expected value closely: each key's expectation is accumulated (with some
    noise) and whole sales are taken out of it, so that a month never sells twice or half what it should,
    as small Poisson counts would."""

    def __init__(self, dice):
        self.dice = dice
        self.owed = {}

    def count(self, key, mean):
        owed = self.owed.get(key, 0) + mean * self.dice.between(0.2, 1.8)
        n = int(owed)
        self.owed[key] = owed - n
        return n


def days(start, end):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def months(start, end):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def growth(d, to):
    """1 at START, `to` at END, linear."""
    return 1 + (to - 1) * (d - START).days / SPAN


def launch(d, first_day, peak, weeks):
    """0 before `first_day`; then `peak` times the steady rate, fading linearly to 1 over `weeks`."""
    if d < first_day:
        return 0
    age = (d - first_day).days
    fade = max(0, 1 - age / (7 * weeks))
    return 1 + (peak - 1) * fade


def money(value, currency="USD"):
    return gen.rounded(D(value), currency)


def minor(value, currency="USD"):
    return gen.minor(value, currency)


def ident(prefix, seed, length=24):
    return gen.stable_id(prefix, "demo-" + seed, length)


def whole(value):
    """A Decimal rounded half-up to an integer."""
    return int(D(value).quantize(D(1), rounding=ROUND_HALF_UP))


def uuid_of(seed):
    return str(uuid.UUID(bytes=hashlib.sha256(("demo-" + seed).encode()).digest()[:16], version=4))


FIRST = ["Ana", "Ben", "Chloe", "Diego", "Elif", "Farah", "Gus", "Hana", "Ines", "Jonas", "Kai", "Lena",
         "Marco", "Nadia", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vera", "Wen", "Yara",
         "Zoe", "Léa", "Jürgen", "Sofía", "Björn", "Chiara", "Mateo", "Aoife", "Tomás", "Noor", "Ravi"]
LAST = ["Lima", "Okafor", "Becker", "Nair", "Martin", "Rossi", "Chen", "Silva", "Dubois", "Jansen",
        "Nowak", "Garcia", "Murphy", "Hughes", "Kowalski", "Andersen", "Moreau", "Tanaka", "Khan", "Reyes",
        "Schmidt", "Fischer", "O'Brien", "Costa", "Haddad", "Novak", "Larsen", "Walsh", "Ito", "Brooks"]

# (ISO code, English name as Gumroad writes it, weight for English-language buyers)
COUNTRIES = [("US", "United States", 48), ("GB", "United Kingdom", 12), ("CA", "Canada", 8),
             ("AU", "Australia", 6), ("DE", "Germany", 6), ("FR", "France", 4), ("NL", "Netherlands", 3),
             ("IE", "Ireland", 2), ("SE", "Sweden", 2), ("NZ", "New Zealand", 2), ("ES", "Spain", 2),
             ("IT", "Italy", 2), ("IN", "India", 1), ("BR", "Brazil", 1), ("JP", "Japan", 1)]
COUNTRY_NAME = {code: name for code, name, _ in COUNTRIES}
EU = {"DE": D("0.19"), "FR": D("0.20"), "NL": D("0.21"), "IE": D("0.23"), "ES": D("0.21"), "IT": D("0.22"),
      "SE": D("0.25")}


def buyer(dice):
    first, last = dice.pick(FIRST), dice.pick(LAST)
    ascii_name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode()
    email = ascii_name.lower().replace("'", "") + f"{dice.below(90) + 10}@example.com"
    return f"{first} {last}", email


def country(dice, weights=None):
    return dice.weighted([(c, w) for c, _, w in COUNTRIES] if weights is None else weights)


# Courses and digital goods: strong January (resolutions), quiet summer, a busy Black Friday season.
SEASON_COURSES = {1: 1.45, 2: 1.1, 3: 1.05, 4: 1.0, 5: 0.95, 6: 0.8, 7: 0.7, 8: 0.75, 9: 1.0, 10: 1.05,
                  11: 1.25, 12: 1.15}
SEASON_DIGITAL = {1: 1.1, 2: 0.95, 3: 1.0, 4: 0.95, 5: 0.95, 6: 0.9, 7: 0.85, 8: 0.9, 9: 1.0, 10: 1.1,
                  11: 1.45, 12: 1.5}
SEASON_EBOOK = {1: 1.25, 2: 0.95, 3: 1.0, 4: 0.95, 5: 0.95, 6: 1.05, 7: 1.12, 8: 1.08, 9: 0.9, 10: 0.95,
                11: 1.1, 12: 1.3}
SEASON_PRINT = {1: 0.85, 2: 0.85, 3: 0.9, 4: 0.9, 5: 1.0, 6: 0.95, 7: 0.95, 8: 0.95, 9: 0.95, 10: 1.05,
                11: 1.45, 12: 1.9}

# ---------------------------------------------------------------------------------------------------
# Amazon KDP
# ---------------------------------------------------------------------------------------------------

MARKETS = ["Amazon.com", "Amazon.co.uk", "Amazon.de", "Amazon.fr"]

# generate.py already has "The Lighthouse Ledger" (A ebook, PA paperback) and "Small Hours, Long Nights"
# (B); the demo adds two later books. Its unit_royalty() reads these two tables.
gen.PRODUCTS.update({
    "C": dict(title="Salt Roads", fmt="ebook", code="B0FGR2T8WK", asin="B0FGR2T8WK", rate=70,
              plan="KDP Select", size=D("2.31")),
    "PC": dict(title="Salt Roads", fmt="paperback", code="9798885550123", asin="B0FGRPB3KX", rate=60,
               plan="Standard", size=None),
    "D": dict(title="Lanterns for the Lost", fmt="ebook", code="B0GK7LN4TQ", asin="B0GK7LN4TQ", rate=70,
              plan="KDP Select", size=D("2.05")),
})
gen.PRICES.update({
    ("A", "Amazon.fr"): (D("4.66"), D("4.66"), D("0.05")),
    ("B", "Amazon.fr"): (D("2.79"), D("2.79"), D("0")),
    ("PA", "Amazon.fr"): (D("14.01"), D("14.01"), D("3.30")),
    ("C", "Amazon.com"): (D("5.99"), D("5.99"), D("0.07")),
    ("C", "Amazon.co.uk"): (D("4.99"), D("4.99"), D("0.06")),
    ("C", "Amazon.de"): (D("5.59"), D("5.59"), D("0.06")),
    ("C", "Amazon.fr"): (D("5.59"), D("5.59"), D("0.06")),
    ("PC", "Amazon.com"): (D("16.99"), D("16.99"), D("4.05")),
    ("PC", "Amazon.co.uk"): (D("13.99"), D("13.99"), D("3.45")),
    ("PC", "Amazon.de"): (D("15.88"), D("15.88"), D("3.70")),
    ("PC", "Amazon.fr"): (D("15.88"), D("15.88"), D("3.70")),
    ("D", "Amazon.com"): (D("5.99"), D("5.99"), D("0.06")),
    ("D", "Amazon.co.uk"): (D("4.99"), D("4.99"), D("0.05")),
    ("D", "Amazon.de"): (D("5.59"), D("5.59"), D("0.05")),
    ("D", "Amazon.fr"): (D("5.59"), D("5.59"), D("0.05")),
})
KDP_ORDER = ["A", "PA", "B", "C", "PC", "D"]
SALT_ROADS = date(2025, 10, 7)
LANTERNS = date(2026, 9, 15)
# Steady units a day at the start (per marketplace, in MARKETS order).
KDP_BASE = {
    "A": [2.6, 0.9, 0.45, 0.2],
    "PA": [0.75, 0.25, 0.12, 0.05],
    "B": [1.2, 0.4, 0.25, 0.08],
    "C": [3.0, 0.95, 0.45, 0.22],
    "PC": [0.8, 0.28, 0.1, 0.05],
    "D": [3.2, 1.0, 0.45, 0.22],
}
# KENP pages a day (KDP Select titles only).
KENP_BASE = {"A": [330, 115, 60, 25], "C": [520, 170, 80, 40], "D": [600, 190, 90, 40]}
COUNTDOWN = {date(2025, 6, 10) + timedelta(days=i) for i in range(5)} | \
            {date(2026, 11, 14) + timedelta(days=i) for i in range(5)}
FREE_DAYS = {date(2026, 10, 3): 160, date(2026, 10, 4): 95}
# The KDP Select Global Fund's per-page rate, per month (USD, GBP, EUR), about what KDP published.
KENP_RATES = {
    "USD": ["0.004561", "0.004429", "0.004505", "0.004489", "0.004533", "0.004470", "0.004384", "0.004412",
            "0.004497", "0.004521", "0.004468", "0.004395", "0.004602", "0.004455", "0.004518", "0.004493",
            "0.004547", "0.004481", "0.004402", "0.004437", "0.004510", "0.004529"],
    "GBP": ["0.003901", "0.003812", "0.003877", "0.003859", "0.003890", "0.003841", "0.003768", "0.003795",
            "0.003866", "0.003884", "0.003850", "0.003779", "0.003952", "0.003831", "0.003885", "0.003864",
            "0.003906", "0.003853", "0.003788", "0.003817", "0.003879", "0.003894"],
    "EUR": ["0.004188", "0.004076", "0.004141", "0.004127", "0.004166", "0.004109", "0.004028", "0.004055",
            "0.004133", "0.004153", "0.004112", "0.004040", "0.004226", "0.004097", "0.004150", "0.004132",
            "0.004175", "0.004121", "0.004048", "0.004080", "0.004148", "0.004166"],
}


def kdp_rate(product, i, d):
    """Expected units a day of `product` in MARKETS[i] on day d."""
    base = KDP_BASE[product][i]
    if product in ("C", "PC"):
        base *= launch(d, SALT_ROADS, 5.0, 6)
    elif product == "D":
        base *= launch(d, LANTERNS, 5.5, 6)
    else:
        # Read-through: each new book sends readers to the backlist.
        base *= growth(d, 1.15) * (1.2 if d >= SALT_ROADS else 1) * (1.12 if d >= LANTERNS else 1)
    season = SEASON_PRINT if gen.PRODUCTS[product]["fmt"] == "paperback" else SEASON_EBOOK
    weekend = 1.15 if d.weekday() >= 5 else 1
    return base * season[d.month] * weekend


def kdp_simulation():
    """Every day's royalty rows and KENP rows, as generate.py's sale_row / kenp_row dicts."""
    dice = Dice(2025_0101)
    sales, kenp = [], []
    for d in days(START, END):
        gen.MONTH = d.strftime("%Y-%m")
        for product in KDP_ORDER:
            p = gen.PRODUCTS[product]
            for i, market in enumerate(MARKETS):
                mean = kdp_rate(product, i, d)
                if mean <= 0:
                    continue
                rows = []
                if product == "A" and d in FREE_DAYS:
                    share = [1.0, 0.3, 0.15, 0.08][i]
                    rows.append(("Free - Promotion", int(FREE_DAYS[d] * share), 0))
                elif product == "A" and d in COUNTDOWN and market in ("Amazon.com", "Amazon.co.uk"):
                    sold = dice.count(mean * 4.5)
                    rows.append(("Kindle Countdown Deals", sold, dice.count(sold * 0.02)))
                else:
                    txn = "Standard - Paperback" if p["fmt"] == "paperback" else "Standard"
                    sold = dice.count(mean)
                    refunded = dice.count(sold * (0.012 if p["fmt"] == "paperback" else 0.025))
                    if sold == 0 and mean > 0.3 and dice.chance(0.04):
                        refunded = 1  # the return of an earlier day's sale
                    rows.append((txn, sold, refunded))
                for txn, sold, refunded in rows:
                    if sold == 0 and refunded == 0:
                        continue
                    s = gen.sale_row(d.day, product, market, txn, sold, refunded)
                    s["order_date"] = (d - timedelta(days=1 if p["fmt"] != "ebook" else 0)).isoformat()
                    sales.append(s)
        for product in ("A", "C", "D"):
            for i, market in enumerate(MARKETS):
                base = KENP_BASE[product][i]
                if product == "C":
                    base *= launch(d, SALT_ROADS, 3.5, 8)
                elif product == "D":
                    base *= launch(d, LANTERNS, 3.5, 8)
                else:
                    base *= growth(d, 1.2)
                if base <= 0:
                    continue
                pages = int(base * SEASON_EBOOK[d.month] * dice.between(0.55, 1.45))
                if pages > 0 and dice.chance(0.93 if i < 2 else 0.6):
                    kenp.append(gen.kenp_row(d.day, product, market, pages))
    return sales, kenp


def kdp_files(files):
    sales, kenp = kdp_simulation()

    # Prior Months' Royalties: one workbook per month.
    gen.FINAL_MARKETS = MARKETS
    for n, (y, m) in enumerate(months(START, date(*LAST_FINAL, 1))):
        month = f"{y:04d}-{m:02d}"
        gen.MONTH = month
        gen.PERIOD = f"{calendar.month_name[m]} {y}"
        # Finals count what the daily estimates missed: a late sale here, a late return there.
        gen.FINAL_CORRECTIONS = {}
        if (y, m) >= (2026, 9):
            gen.FINAL_CORRECTIONS = {("A", "Amazon.com", "Standard"): (2, 0),
                                     ("PA", "Amazon.co.uk", "Standard - Paperback"): (0, 1),
                                     ("B", "Amazon.de", "Standard"): (1, 0)}
        gen.KENP_CORRECTIONS = {mk: (37 if (y, m) >= (2026, 9) else 0) for mk in MARKETS}
        gen.KENP_RATE = {c: D(rates[n]) for c, rates in KENP_RATES.items()}
        month_sales = [s for s in sales if s["date"][:7] == month]
        month_kenp = [k for k in kenp if k["date"][:7] == month]
        detail, earnings, kenp_final = gen.prior_month(month_sales, month_kenp)
        name = f"KDP_Prior_Month_Royalties-{month}-01.xlsx"
        files[name] = dict(platform="kdp", data=gen.xlsx_bytes(gen.prior_month_sheets(detail, earnings, kenp_final)),
                           events=gen.prior_month_events(earnings, kenp_final),
                           rows=len(earnings) + len(kenp_final), skipped=0)

    # The Dashboard: daily estimates from DASHBOARD_START to END.
    dash_sales = [s for s in sales if s["date"] >= DASHBOARD_START.isoformat()]
    dash_kenp = [k for k in kenp if k["date"] >= DASHBOARD_START.isoformat()]
    label = f"{DASHBOARD_START:%b} {DASHBOARD_START.day}, {DASHBOARD_START.year} - {END:%b} {END.day}, {END.year}"
    files["KDP_Dashboard-2026-11-20.xlsx"] = dict(
        platform="kdp", data=gen.xlsx_bytes(gen.dashboard_sheets(dash_sales, dash_kenp, "en", label)),
        events=gen.dashboard_events(dash_sales, dash_kenp), rows=len(dash_sales) + len(dash_kenp), skipped=0)


# ---------------------------------------------------------------------------------------------------
# Stripe (USD): courses, workshops, reviews sold from the creator's site
# ---------------------------------------------------------------------------------------------------

INK_WASH = date(2026, 3, 10)
MENTORING = date(2025, 5, 1)


def stripe_catalogue(d):
    """(description, price, expected sales a month) on day d."""
    g = growth(d, 1.5)
    items = [
        ("Lettering Masterclass", "59.00" if d >= date(2026, 1, 1) else "49.00", 9 * g),
        ("Portfolio review", "120.00", 2 * g),
        ("Studio bundle", "149.00" if date(2025, 11, 24) <= d <= date(2025, 12, 1) else "199.00",
         2.2 * g * (4 if date(2025, 11, 24) <= d <= date(2025, 12, 1) else 1)),
        ("Live workshop ticket", "35.00", 6 * g),
    ]
    if d >= MENTORING:
        items.append(("1:1 mentoring (60 min)", "150.00", 1.6 * g))
    if d >= INK_WASH:
        early = d < INK_WASH + timedelta(days=7)
        items.append(("Ink & Wash Course", "69.00" if early else "89.00", 6 * launch(d, INK_WASH, 12, 3)))
    return items


def stripe_file(files):
    dice = Dice(2025_0202)
    flow = Flow(dice)
    rows = []
    for d in days(START, END):
        for desc, price, per_month in stripe_catalogue(d):
            for _ in range(flow.count(desc, per_month * SEASON_COURSES[d.month] / 30.4)):
                at = dice.time_of_day(d)
                name, email = buyer(dice)
                cc = country(dice)
                extra = {}
                status = "Paid"
                if dice.chance(0.04):
                    reason = dice.pick(["card_declined", "insufficient_funds", "expired_card", "incorrect_cvc"])
                    rows.append((at, price, "usd", "Failed", desc, email, cc, {"decline": reason}))
                    if not dice.chance(0.6):
                        continue
                    at += timedelta(minutes=2 + dice.below(20))  # tried again with another card
                r = dice.random()
                refund_at = (at + timedelta(days=1 + dice.below(9), hours=dice.below(12))).strftime("%Y-%m-%d %H:%M:%S")
                if r < 0.025:
                    status, extra["refunded"] = "Refunded", (price, refund_at)
                elif r < 0.035:
                    extra["refunded"] = ("20.00" if D(price) > 40 else "10.00", refund_at)
                if cc == "AU":
                    fee = gen.stripe_fee(D(price), "usd")
                    extra["tax"] = format(money(fee * D("0.1")), "f")
                rows.append((at, price, "usd", status, desc, email, cc, extra))
    rows.sort(key=lambda r: r[0])
    # Disputes: two lost, one won.
    disputes = {date(2025, 8, 12): ("lost", "fraudulent"), date(2026, 2, 17): ("won", "product_not_received"),
                date(2026, 6, 23): ("lost", "unrecognized")}
    for day, (outcome, reason) in disputes.items():
        i = next(i for i, r in enumerate(rows) if r[0].date() >= day and r[3] == "Paid" and not r[7])
        at, price, ccy, status, desc, email, cc, extra = rows[i]
        when = (at + timedelta(days=9, hours=3)).strftime("%Y-%m-%d %H:%M:%S")
        rows[i] = (at, price, ccy, status, desc, email, cc, {"dispute": (price, outcome, reason, when)})
    rows = [(r[0].strftime("%Y-%m-%d %H:%M:%S"),) + r[1:] for r in rows]
    built, events, skipped = gen.stripe_events(rows, "ch_3", "demo-stripe")
    files["unified_payments.csv"] = dict(platform="stripe", data=gen.stripe_current_csv(built), events=events,
                                         rows=len(built), skipped=skipped)


# ---------------------------------------------------------------------------------------------------
# Gumroad (USD): brush packs and workbooks
# ---------------------------------------------------------------------------------------------------

LEMON_OPENS = date(2025, 4, 15)


def gumroad_catalogue(d):
    moved = 0.45 if d >= LEMON_OPENS else 1  # the brushes moved to Lemon Squeezy
    items = [
        ("Watercolor Brush Pack", "wbpack", "10.0", 6 * moved),
        ("Café Sketch Brushes — Pro Pack", "cafepro", "25.0", 3 * moved),
        ("Lettering Workbook", "letterwb", "9.99", 4 * growth(d, 1.3)),
    ]
    if d >= date(2025, 3, 1):
        items.append(("The Lighthouse Ledger Art Book (PDF)", "llartbook", "15.0", 3 * growth(d, 1.4)))
    return items


def gumroad_file(files):
    dice = Dice(2025_0303)
    flow = Flow(dice)
    sales = []
    for d in days(START, END):
        for item, pid, unit, per_month in gumroad_catalogue(d):
            for _ in range(flow.count(pid, per_month * SEASON_DIGITAL[d.month] / 30.4)):
                at = dice.time_of_day(d)
                name, _ = buyer(dice)
                x = {}
                qty = "1"
                if pid == "letterwb" and dice.chance(0.12):
                    qty = "2"
                r = dice.random()
                if r < 0.02:
                    x["full"] = True
                elif r < 0.03:
                    x["partial"] = "5.0"
                if d.month == 11 and d.day >= 24 and dice.chance(0.6):
                    x["discount"] = "BLACKFRIDAY"
                sales.append((at, item, pid, unit, qty, name, COUNTRY_NAME[country(dice)], x))
        # The critique club: every member pays $5 on the day they joined.
        members = int(6 + 12 * (d - START).days / SPAN)
        for k in range(members):
            if k % 28 == (d.day - 1) % 28 and d.day <= 28:
                at = datetime(d.year, d.month, d.day, 9, (7 * k) % 60, (13 * k) % 60)
                name = f"{FIRST[k % len(FIRST)]} {LAST[(3 * k) % len(LAST)]}"
                sales.append((at, "Monthly Critique Club", "critique", "5.0", "1", name,
                              COUNTRY_NAME[COUNTRIES[k % 6][0]], {"recurring": "monthly"}))
    sales.sort(key=lambda s: s[0])
    for day, won in ((date(2025, 9, 3), False), (date(2026, 4, 8), True)):
        i = next(i for i, s in enumerate(sales) if s[0].date() >= day and not s[7])
        sales[i] = sales[i][:7] + ({"disputed": True, "won": won},)
    gen.GUMROAD_SALES = [(s[0].strftime("%Y-%m-%d %H:%M:%S"),) + s[1:] for s in sales]
    data, events, nrows = gen.gumroad_file()
    # generate.py writes what Excel's "Unicode text" gives (UTF-16, TAB); Gumroad itself sends UTF-8
    # with commas.
    text = data.decode("utf-16")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    files["gumroad-sales.csv"] = dict(platform="gumroad", data=gen.csv_text(rows), events=events, rows=nrows,
                                      skipped=1)


# ---------------------------------------------------------------------------------------------------
# Lemon Squeezy (USD, and EUR for EU buyers): amounts in cents, as the API writes them
# ---------------------------------------------------------------------------------------------------

LEMON_HEADER = ["identifier", "order_number", "user_name", "user_email", "currency", "currency_rate", "subtotal",
                "discount_total", "tax", "total", "subtotal_usd", "discount_total_usd", "tax_usd", "total_usd",
                "tax_name", "tax_rate", "status", "status_formatted", "refunded", "refunded_at", "refunded_amount",
                "created_at", "product_id", "product_name", "variant_name", "country"]
TEXTURES_2 = date(2026, 5, 5)
EUR_RATE = D("1.0850")


def lemon_catalogue(d):
    """(product id, name, variant, USD price, EUR price, expected sales a month)."""
    g = launch(d, LEMON_OPENS, 2.5, 4) * growth(d, 2.0)
    items = [
        ("184233", "Procreate Brush Library", "Personal", "24.00", "22.00", 8 * g),
        ("184233", "Procreate Brush Library", "Commercial license", "48.00", "44.00", 1.5 * g),
        ("184240", "Texture Pack Vol. 1", "Default", "15.00", "14.00", 3.5 * g),
    ]
    if d >= SALT_ROADS:
        items.append(("191507", "Salt Roads Coloring Pages (PDF)", "Default", "12.00", "11.00",
                      3 * launch(d, SALT_ROADS, 3, 4)))
    if d >= TEXTURES_2:
        items.append(("199812", "Texture Pack Vol. 2", "Default", "15.00", "14.00", 4 * launch(d, TEXTURES_2, 4, 4)))
    return items


def lemon_file(files):
    dice = Dice(2025_0404)
    flow = Flow(dice)
    orders = []
    for d in days(LEMON_OPENS, END):
        for pid, product, variant, usd, eur, per_month in lemon_catalogue(d):
            for _ in range(flow.count(pid + variant, per_month * SEASON_DIGITAL[d.month] / 30.4)):
                orders.append((dice.time_of_day(d, (13, 22)), pid, product, variant, usd, eur))
    orders.sort(key=lambda o: o[0])
    rows, events, skipped = [LEMON_HEADER], [], 0
    for n, (at, pid, product, variant, usd, eur) in enumerate(orders, start=1):
        name, email = buyer(dice)
        cc = country(dice)
        in_eur = cc in EU and cc != "SE"
        currency = "EUR" if in_eur else "USD"
        subtotal = minor(D(eur if in_eur else usd), currency)
        discount = subtotal * 25 // 100 if at.month == 11 and at.day >= 24 else 0
        rate = EU.get(cc, D("0.20") if cc == "GB" else D(0))
        tax = whole((subtotal - discount) * rate)
        total = subtotal - discount + tax
        r = dice.random()
        status, refunded_amount, refunded_at = "paid", 0, ""
        if r < 0.012:
            status = "pending" if r < 0.004 else "failed"
        elif r < 0.035:
            status, refunded_amount = "refunded", total
        elif r < 0.045:
            status, refunded_amount = "partial_refund", total // 2
        if refunded_amount:
            refunded_at = (at + timedelta(days=1 + dice.below(6), hours=dice.below(10))).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        cr = EUR_RATE if in_eur else D(1)

        def usd_of(cents):
            return whole(D(cents) * cr)

        identifier = uuid_of(f"lemon-{n}")
        rows.append([identifier, str(1000 + n), name, email, currency, f"{cr:.4f}", subtotal, discount, tax, total,
                     usd_of(subtotal), usd_of(discount), usd_of(tax), usd_of(total),
                     "VAT" if rate else "", f"{rate * 100:.2f}" if rate else "0.00", status,
                     {"paid": "Paid", "pending": "Pending", "failed": "Failed", "refunded": "Refunded",
                      "partial_refund": "Partial refund"}[status],
                     "true" if status == "refunded" else "false", refunded_at, refunded_amount,
                     at.strftime("%Y-%m-%dT%H:%M:%S.000000Z"), pid, product, variant, cc])
        if status in ("pending", "failed"):
            skipped += 1
            continue
        events.append(gen.event(("lemonsqueezy", identifier), "sale", currency, total, 1))
        if refunded_amount:
            events.append(gen.event(("lemonsqueezy", identifier + ":refund"), "refund", currency, -refunded_amount,
                                    -1 if refunded_amount == total else 0))
    files["lemonsqueezy-orders.csv"] = dict(platform="lemonsqueezy", data=gen.csv_text(rows), events=events,
                                            rows=len(orders), skipped=skipped)


# ---------------------------------------------------------------------------------------------------
# Whatnot (USD): weekly live shows; the seller financial report
# ---------------------------------------------------------------------------------------------------

WHATNOT_HEADER = [
    "transaction_completed_at_utc", "order_placed_at_utc", "seller_id", "transaction_type", "transaction_message",
    "order_id", "listing_title", "listing_description", "product_category", "buy_format", "sale_type",
    "quantity_sold", "sku", "cost_of_goods", "livestream_id", "livestream_title", "buyer_name", "buyer_state",
    "buyer_country", "shipment_id", "transaction_currency", "transaction_amount", "buyer_paid",
    "original_item_price", "coupon_cost", "post_coupon_price", "seller_shipping_charge", "commission_fee",
    "commission_tax", "processing_fee", "processing_fee_tax", "ledger_transaction_id",
]
WHATNOT_START = date(2025, 6, 1)  # a Sunday
SELLER_ID = "7730142"
STATES = ["CA", "NY", "TX", "WA", "OR", "IL", "MA", "FL", "CO", "PA", "MN", "NC"]


def whatnot_items(d):
    """(title, sku, category, format, price range, weight)."""
    items = [
        ("Signed paperback: The Lighthouse Ledger", "LL-PB-SIGNED", "Books", "BUY_IT_NOW", (18, 18), 5),
        ("Original ink sketch (5x7)", "SKETCH-5X7", "Art", "AUCTION", (22, 85), 4),
        ("Art print A4: Lighthouse at Dusk", "PRINT-A4-LH", "Art", "BUY_IT_NOW", (15, 15), 3),
        ("Sticker pack (8 stickers)", "STICKER-8", "Art", "BUY_IT_NOW", (6, 6), 3),
        ("Mystery art bundle", "MYSTERY", "Art", "AUCTION", (25, 60), 2),
    ]
    if d >= SALT_ROADS:
        items.append(("Signed paperback: Salt Roads", "SR-PB-SIGNED", "Books", "BUY_IT_NOW", (20, 20), 5))
    return items


def whatnot_file(files):
    dice = Dice(2025_0505)
    flow = Flow(dice)
    lines = []  # (when, values, event: (kind, gross, fees, quantity) or None)
    earned = []  # (completed, net): the balance a payout takes

    def line(when, values, event=None):
        r = {h: "" for h in WHATNOT_HEADER}
        r.update(seller_id=SELLER_ID, transaction_currency="USD")
        r.update(values)
        lines.append((when, r, event))

    def stamp(t):
        return t.strftime("%Y-%m-%d %H:%M:%S")

    show = 0
    order_id = 40_000
    for d in days(WHATNOT_START, END):
        if d.weekday() == 1:
            # Tuesday: what has completed since the last payout goes to the bank.
            at = datetime(d.year, d.month, d.day, 6, 0, 0)
            due = sum((net for when, net in earned if when <= at), D(0))
            earned[:] = [(when, net) for when, net in earned if when > at]
            if due > 0:
                line(at, dict(transaction_completed_at_utc=stamp(at), transaction_type="PAYOUT",
                              transaction_message="Payout to bank ****4417", transaction_amount=f"{-due:.2f}"))
        midweek = d.weekday() == 2 and d.month in (11, 12)  # holiday season: a second show
        if d.weekday() != 6 and not midweek:
            continue
        show += 1
        title = ("Midweek Mini Show" if midweek else "Sunday Sketch Live") + f" #{show}"
        live_id = f"ls_{81000 + show}"
        season = {11: 1.3, 12: 1.7, 1: 0.9, 7: 0.85, 8: 0.85}.get(d.month, 1)
        orders = flow.count("orders", (3 if midweek else 4.5) * growth(d, 1.9) * season * launch(d, WHATNOT_START, 1.6, 3))
        start = datetime(d.year, d.month, d.day, 0 if midweek else 1, 0, 0)
        for k in range(orders):
            listing, sku, category, fmt, (lo, hi), _ = dice.weighted([(it, it[5]) for it in whatnot_items(d)])
            price = D(lo) if lo == hi else D(int(dice.between(lo, hi)))
            placed = start + timedelta(minutes=3 + (100 * k) // max(orders, 1), seconds=dice.below(60))
            completed = placed + timedelta(days=3 + dice.below(4), hours=dice.below(20))
            order_id += 1
            cc = dice.weighted([("US", 85), ("CA", 10), ("GB", 5)])
            shipping = D("4.99")
            commission = money(price * D("0.08"))
            processing = money((price + shipping) * D("0.029") + D("0.30"))
            net = price - commission - processing
            values = dict(
                transaction_completed_at_utc=stamp(completed), order_placed_at_utc=stamp(placed),
                transaction_type="ORDER_EARNINGS", transaction_message=f"Earnings for order {order_id}",
                order_id=str(order_id), listing_title=listing, product_category=category, buy_format=fmt,
                sale_type="LIVESTREAM", quantity_sold="1", sku=sku, livestream_id=live_id, livestream_title=title,
                buyer_name=buyer(dice)[0].split()[0].lower() + f"_{dice.below(900) + 100}",
                buyer_state=dice.pick(STATES) if cc == "US" else "", buyer_country=cc,
                shipment_id=f"sh_{order_id}", transaction_amount=f"{net:.2f}",
                buyer_paid=f"{price + shipping:.2f}", original_item_price=f"{price:.2f}", coupon_cost="0.00",
                post_coupon_price=f"{price:.2f}", seller_shipping_charge="0.00", commission_fee=f"{commission:.2f}",
                commission_tax="0.00", processing_fee=f"{processing:.2f}", processing_fee_tax="0.00")
            if completed.date() > END:
                # Placed, not delivered yet: no money has moved (the preset skips the row).
                values["transaction_completed_at_utc"] = ""
                line(placed, values)
                continue
            line(completed, values, ("sale", minor(price), minor(commission + processing), 1))
            earned.append((completed, net))
            if dice.chance(0.02):
                at = completed + timedelta(days=2 + dice.below(5))
                if at.date() <= END:
                    line(at, dict(transaction_completed_at_utc=stamp(at), order_placed_at_utc=stamp(placed),
                                  transaction_type="REFUND", transaction_message=f"Refund billback for order {order_id}",
                                  order_id=str(order_id), listing_title=listing, quantity_sold="1", sku=sku,
                                  buyer_country=cc, transaction_amount=f"{-price:.2f}"),
                         ("refund", -minor(price), 0, -1))
                    earned.append((at, -price))
            if dice.chance(0.03):
                at = completed + timedelta(days=1)
                if at.date() <= END:
                    adj = D("-3.25") if dice.chance(0.5) else D("-1.80")
                    line(at, dict(transaction_completed_at_utc=stamp(at), transaction_type="SHIPPING_LABEL",
                                  transaction_message=f"Label adjustment, shipment sh_{order_id}",
                                  shipment_id=f"sh_{order_id}", transaction_amount=f"{adj:.2f}"),
                         ("fee", minor(adj), 0, 1))
                    earned.append((at, adj))
        for _ in range(flow.count("tips", 1.0 * growth(d, 1.8))):
            tip = D(dice.pick([2, 3, 5, 5, 10]))
            fee = money(tip * D("0.029") + D("0.30"))
            at = start + timedelta(minutes=10 + dice.below(100))
            line(at, dict(transaction_completed_at_utc=stamp(at), transaction_type="TIP",
                          transaction_message="Tip from a viewer", livestream_id=live_id, livestream_title=title,
                          transaction_amount=f"{tip - fee:.2f}", processing_fee=f"{fee:.2f}"),
                 ("sale", minor(tip), minor(fee), 1))
            earned.append((at, tip - fee))
    lines.sort(key=lambda item: item[0])
    rows, events = [WHATNOT_HEADER], []
    for n, (_, r, ev) in enumerate(lines, start=1):
        r["ledger_transaction_id"] = f"lt_{5_000_000 + n}"
        rows.append([r[h] for h in WHATNOT_HEADER])
        if ev:
            kind, gross, fees, quantity = ev
            events.append(gen.event(("whatnot", r["ledger_transaction_id"]), kind, "USD", gross, quantity, fees=fees))
    files["whatnot-financial-report.csv"] = dict(
        platform="whatnot", data=gen.csv_text(rows), events=events, rows=len(lines),
        skipped=sum(1 for _, r, _ in lines if not r["transaction_completed_at_utc"]),
        transfers=sum(1 for _, r, _ in lines if r["transaction_type"] == "PAYOUT"))


# ---------------------------------------------------------------------------------------------------
# Patreon (USD): memberships, kept in Tributary's own ledger CSV (docs/formats/ledger-csv.md)
# ---------------------------------------------------------------------------------------------------

LEDGER_HEADER = ["platform", "account", "external_id", "kind", "occurred_at", "product_id", "product_name",
                 "quantity", "currency", "gross", "fees", "net", "buyer_email", "country", "period", "estimated"]
TIERS = [("sketchbook", "Sketchbook tier", D(3), 0.56), ("studio", "Studio tier", D(8), 0.34),
         ("inner-circle", "Inner Circle tier", D(20), 0.10)]
PATRON_COUNTRIES = [("US", 52), ("GB", 15), ("CA", 10), ("DE", 9), ("AU", 8), ("NL", 6)]


def split(total, weights):
    """`total` shared by weights, largest remainders first (deterministic)."""
    s = sum(w for _, w in weights)
    exact = [(k, total * w / s) for k, w in weights]
    counts = {k: int(x) for k, x in exact}
    rest = total - sum(counts.values())
    for k, _ in sorted(exact, key=lambda kx: (-(kx[1] - int(kx[1])), kx[0]))[:rest]:
        counts[k] += 1
    return counts


def patreon_file(files):
    dice = Dice(2025_0606)
    rows, events = [LEDGER_HEADER], []
    patrons = 58
    for y, m in months(START, END):
        d = date(y, m, 1)
        patrons += dice.below(9) + (12 if m in (1, 12) else 3) + (25 if (y, m) in ((2025, 10), (2026, 9)) else 0)
        patrons -= dice.below(6)
        for tier, tier_name, price, share in TIERS:
            n_tier = int(patrons * share + 0.5)
            for cc, n in split(n_tier, PATRON_COUNTRIES).items():
                if n == 0:
                    continue
                gross = price * n
                fees = money(gross * D("0.108") + D("0.30") * n)
                key = f"patreon-{y:04d}-{m:02d}-{tier}-{cc}"
                rows.append(["patreon", "main", key, "subscription_payment", f"{d.isoformat()}T09:00:00Z", tier,
                             tier_name, n, "USD", f"{gross:.2f}", f"{fees:.2f}", "", "", cc, "", ""])
                events.append(gen.event(("patreon", key), "subscription_payment", "USD", minor(gross), n,
                                        fees=minor(fees)))
        if m in (3, 8):  # a patron asked for this month back
            tier, tier_name, price, _ = TIERS[1]
            key = f"patreon-{y:04d}-{m:02d}-refund-1"
            at = f"{date(y, m, 6).isoformat()}T15:30:00Z"
            rows.append(["patreon", "main", key, "refund", at, tier, tier_name, -1, "USD", f"{-price:.2f}", "0.00", "",
                         "", "US", "", ""])
            events.append(gen.event(("patreon", key), "refund", "USD", -minor(price), -1))
    files["patreon-memberships.ledger.csv"] = dict(platform="patreon", data=gen.csv_text(rows), events=events,
                                                   rows=len(rows) - 1, skipped=0)


# ---------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------


def build():
    files = {}
    kdp_files(files)
    stripe_file(files)
    gumroad_file(files)
    lemon_file(files)
    whatnot_file(files)
    patreon_file(files)
    for info in files.values():
        if isinstance(info["data"], str):
            info["data"] = info["data"].encode("utf-8")
    return dict(sorted(files.items()))


def expected(files):
    """What `tributary report` must say once every file is imported (any order), per currency and per
    platform; and which (month, marketplace) still hold counted estimates."""
    scenario = gen.run_scenario("demo", "every demo file", list(files), files)
    finals = {(e["scope"][1], e["scope"][2]) for f in files.values() for e in f["events"]
              if e["scope"] and e["scope"][0] == "final"}
    kept = [e for f in files.values() for e in f["events"]
            if not (e["scope"] and e["scope"][0] == "estimate" and (e["scope"][1], e["scope"][2]) in finals)]
    by_platform = {}
    for e in kept:
        by_platform.setdefault(e["key"][0], []).append(e)
    estimated = sorted({(e["scope"][1], e["scope"][2]) for e in kept if e["scope"] and e["scope"][0] == "estimate"})
    return scenario["totals"], {p: gen.totals(evs) for p, evs in sorted(by_platform.items())}, estimated


def write(outdir, files):
    outdir.mkdir(parents=True, exist_ok=True)
    if outdir == HERE:
        # Data files an earlier version wrote and this one does not.
        for old in outdir.iterdir():
            if old.suffix in (".xlsx", ".csv") and old.name not in files:
                old.unlink()
    for name, info in files.items():
        (outdir / name).write_bytes(info["data"])


FIELDS = ["sales_minor", "refunds_minor", "chargebacks_minor", "fees_minor", "adjustments_minor", "net_minor", "units",
          "kenp_pages", "events"]


def check(binary):
    files = build()
    totals, by_platform, estimated = expected(files)
    # The committed files must be exactly what this script writes.
    stale = [n for n, info in files.items() if not (HERE / n).is_file() or (HERE / n).read_bytes() != info["data"]]
    stale += [p.name for p in HERE.iterdir() if p.suffix in (".xlsx", ".csv") and p.name not in files]
    if stale:
        sys.exit(f"assets/demo/ differs from what make_demo.py writes ({', '.join(sorted(stale))}): "
                 "run python3 assets/demo/make_demo.py")
    with tempfile.TemporaryDirectory() as tmp:
        out, data = Path(tmp) / "demo", Path(tmp) / "data"
        write(out, files)
        run = subprocess.run([binary, "--data-dir", str(data), "import", "--json"] + [str(out / n) for n in files],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"import failed ({run.returncode}): {run.stderr}")
        problems = []
        for result in json.loads(run.stdout)["files"]:
            name = Path(result["path"]).name
            info = files[name]
            if result["rejected"] or result["errors"]:
                problems.append(f"{name}: {result['rejected']} rejected: {result['errors'][:3]}")
            # Payouts are stored too, but they are transfers, not income, and the model leaves them out.
            stored = len(info["events"]) + info.get("transfers", 0)
            if result["inserted"] != stored:
                problems.append(f"{name}: {result['inserted']} new, expected {stored}")
            if result["skipped"] != info["skipped"]:
                problems.append(f"{name}: {result['skipped']} skipped, expected {info['skipped']}")
            if result["rows_read"] != info["rows"]:
                problems.append(f"{name}: {result['rows_read']} rows read, expected {info['rows']}")

        def report(*args):
            r = subprocess.run([binary, "--data-dir", str(data), "report", "--json", *args], capture_output=True,
                               text=True, check=True)
            return json.loads(r.stdout)

        got = report()["totals"]
        for want in totals:
            have = next((t for t in got if t["currency"] == want["currency"]), None)
            diff = {k: (have and have[k], want[k]) for k in FIELDS if not have or have[k] != want[k]}
            if diff:
                problems.append(f"total {want['currency']}: (tributary, expected) {diff}")
        if len(got) != len(totals):
            problems.append(f"currencies: {[t['currency'] for t in got]} vs {[t['currency'] for t in totals]}")
        groups = report("--by", "platform")["groups"]
        for platform, want_list in by_platform.items():
            for want in want_list:
                have = next((g for g in groups if g["key"] == platform and g["currency"] == want["currency"]), None)
                diff = {k: (have and have[k], want[k]) for k in FIELDS if not have or have[k] != want[k]}
                if diff:
                    problems.append(f"{platform} {want['currency']}: (tributary, expected) {diff}")
        platforms = sorted({g["key"] for g in groups})
        if platforms != sorted(by_platform):
            problems.append(f"platforms: {platforms}, expected {sorted(by_platform)}")
        last_month = END.strftime("%Y-%m")
        if any(month != last_month for month, _ in estimated):
            problems.append(f"estimates still count outside {last_month}: {estimated}")
        estimated_now = sorted({(g["key"], g["currency"]) for g in report("--by", "month")["groups"]
                                if g.get("estimated_events")})
        print(f"{len(files)} files, {sum(len(f['data']) for f in files.values())} bytes, "
              f"{sum(f['rows'] for f in files.values())} rows, {sum(len(f['events']) for f in files.values())} events")
        print(f"platforms: {', '.join(platforms)}")
        print(f"still estimated (month, marketplace): {estimated}; report months with estimates: {estimated_now}")
        for t in got:
            print(f"  {t['currency']}: sales {t['sales_minor'] / 100:.2f}, refunds {t['refunds_minor'] / 100:.2f}, "
                  f"chargebacks {t['chargebacks_minor'] / 100:.2f}, fees {t['fees_minor'] / 100:.2f}, "
                  f"adjustments {t['adjustments_minor'] / 100:.2f}, net {t['net_minor'] / 100:.2f}, "
                  f"units {t['units']}, KENP pages {t['kenp_pages']}, events {t['events']}")
        if problems:
            print("\n".join(problems), file=sys.stderr)
            sys.exit("make_demo.py --check: FAILED")
        print("make_demo.py --check: every file imported with 0 rejected; reports equal the expected totals")


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        check(argv[2])
        return 0
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        sys.stderr.write(__doc__)
        return 2
    outdir = Path(argv[1]).resolve() if len(argv) == 2 else HERE
    files = build()
    write(outdir, files)
    total = sum(len(f["data"]) for f in files.values())
    print(f"wrote {len(files)} files ({total:,} bytes, {sum(f['rows'] for f in files.values()):,} rows) to {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
