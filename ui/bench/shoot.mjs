// Screenshots of the dev mock mode in Debian's chromium (no browser download):
//   npm run dev &  node bench/shoot.mjs [baseUrl] [outDir]
// Each entry: name, query string, viewport; light and dark are both taken.
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:5173/";
const out = process.argv[3] ?? "/tmp/shots";
const only = process.argv[4];
const shots = [
  ["dashboard", "?mock"],
  ["dashboard-year", "?mock&period=this_year"],
  ["empty", "?mock=empty"],
  ["demo", "?mock=demo"],
  ["error", "?mock=error"],
  ["loading", "?mock=slow"],
  ["imports", "?mock&page=imports"],
  ["preview", "?mock&preview=/home/ana/Downloads/unified_payments_2026-11.csv&preview=/home/ana/Downloads/KDP_Dashboard.xlsx"],
  ["unknown", "?mock&preview=/home/ana/Downloads/unknown_bank.csv"],
  ["mapping", "?mock&preview=/home/ana/Downloads/unknown_bank.csv&mapping"],
  ["integrations", "?mock&page=integrations"],
  ["health", "?mock&page=health"],
  ["health-trouble", "?mock&connections&page=health"],
  ["health-open", "?mock&connections&page=health"],
  ["health-paused", "?mock&connections&paused&page=health"],
  ["integrations-connected", "?mock&connections&page=integrations"],
  ["settings", "?mock&page=settings"],
  ["settings-email-off", "?mock&page=settings"],
  ["settings-email", "?mock&email&page=settings"],
  ["settings-email-form", "?mock&email&page=settings"],
  ["settings-email-smtp", "?mock&page=settings"],
  ["drag", "?mock&drag"],
];
const sizes = [[1440, 900], [1024, 700]];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const [name, q] of shots) {
  if (only && !name.startsWith(only)) continue;
  for (const theme of ["light", "dark"]) {
    for (const [w, h] of sizes) {
      const page = await browser.newPage({ viewport: { width: w, height: h }, colorScheme: theme });
      page.on("pageerror", (e) => console.log(name, "pageerror", e.message));
      page.on("console", (m) => m.type() === "error" && console.log(name, "console", m.text()));
      await page.goto(`${base}${q}&theme=${theme}`);
      await page.waitForTimeout(name === "loading" ? 800 : 1200);
      if (name === "mapping") {
        await page.getByTestId("create-mapping").click();
        await page.waitForTimeout(1200);
      }
      if (name === "health-open") {
        await page.locator('[data-testid="health-row"][data-connection="whop"] [data-testid="health-expand"]').click();
        await page.waitForTimeout(300);
      }
      if (name === "settings-email-form") await page.getByTestId("email-edit").click();
      if (name === "settings-email-smtp") {
        await page.getByTestId("email-set-up").click();
        await page.getByTestId("email-via-smtp").click();
      }
      if (name.startsWith("settings-email")) {
        await page.getByTestId("settings-email").scrollIntoViewIfNeeded();
        await page.getByTestId("settings-email").evaluate((e) => e.scrollIntoView({ block: "center" }));
        await page.waitForTimeout(300);
      }
      if (name === "dashboard-year") {
        await page.getByTestId("period-this_year").click();
        await page.waitForTimeout(700);
        await page.mouse.move(w / 2 + 60, h === 900 ? 700 : 640);
        await page.waitForTimeout(200);
      }
      await page.screenshot({ path: `${out}/${name}-${theme}-${w}.png`, fullPage: false });
      await page.close();
    }
  }
}
await browser.close();
