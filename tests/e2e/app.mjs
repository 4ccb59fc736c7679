// What the test does and reads in the app's window: pages, the dashboard's totals, previews, commits,
// settings. Every read is retried as one unit, since the window re-renders as data arrives.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { COMMIT_MS, fail, log, state, WAIT_MS } from "./context.mjs";
import { batch, dryRun, reportTotals } from "./ledger.mjs";
import { testId } from "./webdriver.mjs";


/** Sets a form control's value as a person would: React hears a change through the native setter and
 * the event it listens to (`input` for text and date fields, `change` for selects). */
export function setValue(selector, value, event) {
  return state.session.execute(
    `const el = document.querySelector(arguments[0]);
     const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
     Object.getOwnPropertyDescriptor(proto, "value").set.call(el, arguments[1]);
     el.dispatchEvent(new Event(arguments[2], { bubbles: true }));
     return true;`,
    [selector, value, event],
  );
}

/** Dismisses every toast ("Days are now counted in UTC"…): the steps before leave some, and they would
 * cover what a screenshot is for. */
export async function dismissToasts() {
  const s = state.session;
  await s.execute(`for (const b of document.querySelectorAll('[data-testid="toast"] [aria-label="Dismiss"]')) b.click(); return true;`);
  await s.waitForAbsent(testId("toast"), { what: "the toasts to go once dismissed" });
}

/** Resizes the app's window (WebDriver's window rect) and waits until the page has that width. */
export async function resizeWindow(width, height) {
  const s = state.session;
  await s.cmd("POST", "/window/rect", { width, height });
  await s.waitUntil(async () => Math.abs((await s.execute("return window.innerWidth")) - width) <= 16, {
    what: `the window to be ${width} px wide`,
  });
}

/** Clicks a sidebar link and waits for its page to have loaded (data-state other than loading). */
export async function openPage(page) {
  const s = state.session;
  await s.click(testId(`nav-${page}`), { onFallback: log });
  return s.waitFor(testId(`page-${page}`), {
    until: async (el) => (await el.attribute("data-state")) !== "loading",
    what: `the ${page} page to load (${testId(`page-${page}`)} with data-state other than loading)`,
  });
}

/** The money figures, as `tributary report --json` names them. */
export const FIGURES = ["sales", "refunds", "chargebacks", "fees", "adjustments", "net"];

/** The dashboard's figures per currency, read in one go from its identity lines ("Sales − Refunds −
 * Fees = Net", a figure not shown being 0), its cards and its units: { USD: { sales, …, net, units,
 * cards: { net, sales, refunds, fees } } }. */
export function dashboardTotals() {
  return state.session.execute(`
    const out = {};
    for (const line of document.querySelectorAll('[data-testid="figures-identity"]')) {
      const t = (out[line.getAttribute("data-currency")] = { cards: {} });
      for (const f of ${JSON.stringify(FIGURES)}) {
        const el = line.querySelector('[data-figure="' + f + '_minor"]');
        t[f] = el ? Number(el.getAttribute("data-minor")) : 0;
      }
    }
    for (const f of ["net", "sales", "refunds", "fees", "units"]) {
      for (const el of document.querySelectorAll('[data-testid="total-' + f + '"]')) {
        const t = out[el.getAttribute("data-currency")];
        if (!t) continue;
        if (f === "units") t.units = Number(el.getAttribute("data-minor"));
        else t.cards[f] = Number(el.getAttribute("data-minor"));
      }
    }
    const page = document.querySelector('[data-testid="page-dashboard"]');
    return { state: page && page.getAttribute("data-state"), totals: out };`);
}

/** Where figures break Sales − Refunds − Chargebacks − Fees + Adjustments = Net. */
export function unreconciled(label, f) {
  const sum = f.sales - f.refunds - f.chargebacks - f.fees + f.adjustments;
  return sum === f.net ? [] : [`${label}: sales ${f.sales} − refunds ${f.refunds} − chargebacks ${f.chargebacks} − fees ${f.fees} + adjustments ${f.adjustments} = ${sum}, not net ${f.net}`];
}

function differences(app, cliTotals) {
  const diffs = [];
  for (const c of new Set([...Object.keys(app), ...Object.keys(cliTotals)])) {
    if (!app[c]) diffs.push(`${c} missing in the app`);
    else if (!cliTotals[c]) diffs.push(`${c} shown by the app, not in the report`);
    else {
      for (const k of [...FIGURES, "units"]) if (app[c][k] !== cliTotals[c][k]) diffs.push(`${c} ${k}: app ${app[c][k]}, CLI ${cliTotals[c][k]}`);
      for (const [k, v] of Object.entries(app[c].cards)) if (v !== app[c][k]) diffs.push(`${c} ${k}: card ${v}, identity line ${app[c][k]}`);
      diffs.push(...unreconciled(`${c} on the dashboard`, app[c]));
    }
  }
  return diffs;
}

/** Waits, without touching the window, until the open dashboard's totals are `expected`. */
export async function untilDashboardShows(expected, failure) {
  let last = null;
  try {
    await state.session.waitUntil(
      async () => {
        last = await dashboardTotals();
        return last.state === "data" && differences(last.totals, expected).length === 0;
      },
      { what: "the dashboard's totals" },
    );
  } catch {
    const why = last ? (last.state !== "data" ? `page-dashboard data-state=${last.state}; ` : "") + differences(last.totals, expected).join("; ") : "nothing read";
    fail(`${failure} after ${WAIT_MS / 1000} s: ${why}`);
  }
}

/** Dashboard → All time, then waits until its totals equal `tributary report --json`'s. */
export async function checkDashboard(label) {
  const expected = await reportTotals();
  if (Object.keys(expected).length === 0) fail("`tributary report --json` has no totals: nothing was imported");
  await openPage("dashboard");
  await state.session.click(testId("period-all_time"), { onFallback: log });
  await untilDashboardShows(expected, `${label}: dashboard (All time) differs from \`tributary report --json\``);
  log(`  ${Object.entries(expected).map(([c, t]) => `${c} sales ${t.sales} − refunds ${t.refunds} − chargebacks ${t.chargebacks} − fees ${t.fees} + adjustments ${t.adjustments} = net ${t.net}, units ${t.units}`).join(" | ")}`);
  return expected;
}

const COUNTS = [["new", "inserted"], ["updated", "updated"], ["duplicates", "duplicates"], ["rejected", "rejected"], ["skipped", "skipped"]];

/** previewFile → the preview must say what the CLI's dry run says. Returns the dry run. */
export async function previewMatchesDryRun(file, screenshot) {
  const s = state.session;
  const expected = await dryRun(file);
  await s.waitUntil(() => s.execute("return !!(window.__tributary && typeof window.__tributary.previewFile === 'function')"), {
    what: "window.__tributary.previewFile to be registered",
  });
  await s.execute("window.__tributary.previewFile(arguments[0]); return true;", [file]);
  // Read as one retried unit: a re-render between two reads makes an element stale, never a failure.
  const seen = await s.waitUntil(
    async () => {
      const preview = await s.find(testId("preview"));
      const st = preview && (await preview.attribute("data-state"));
      if (st === "error") {
        const message = await s.find(testId("error-message"));
        return { error: message ? await message.text() : "(no error-message element)" };
      }
      if (st !== "ready") return undefined;
      const format = await s.find(testId("preview-format"));
      const wouldAdd = await s.execute(`const out = {};
        for (const row of document.querySelectorAll('[data-testid="preview-would-add"] tbody tr')) {
          const t = (out[row.getAttribute("data-currency")] = {});
          for (const f of ${JSON.stringify(FIGURES)}) {
            const el = row.querySelector('[data-figure="' + f + '_minor"]');
            t[f] = el ? Number(el.getAttribute("data-minor")) : 0;
          }
        }
        return out;`);
      const counts = {};
      for (const [id] of COUNTS) {
        const el = await s.find(testId(`preview-count-${id}`));
        counts[id] = el ? await el.attribute("data-value") : null;
      }
      return { format: format ? (await format.attribute("data-format")) : null, counts, wouldAdd };
    },
    { what: `the preview of ${basename(file)} (${testId("preview")} with data-state ready)` },
  );
  if (seen.error) fail(`the app could not preview ${basename(file)}: ${seen.error}`);
  const problems = [];
  if (seen.format !== expected.format) problems.push(`format: app ${seen.format === null ? "(no preview-format)" : `"${seen.format}"`}, CLI "${expected.format}"`);
  for (const [id, key] of COUNTS) {
    const value = seen.counts[id];
    if (value === null) problems.push(`${testId(`preview-count-${id}`)} missing`);
    else if (Number(value) !== expected[key]) problems.push(`${id}: app ${value}, CLI ${expected[key]}`);
  }
  // What it would add, figure by figure, as the dry run says, and adding up.
  for (const t of expected.would_add ?? []) {
    const seenHere = seen.wouldAdd[t.currency];
    if (!seenHere) problems.push(`${t.currency} missing from preview-would-add`);
    else {
      for (const f of FIGURES) if (seenHere[f] !== t[`${f}_minor`]) problems.push(`would add ${t.currency} ${f}: app ${seenHere[f]}, CLI ${t[`${f}_minor`]}`);
      problems.push(...unreconciled(`the preview's ${t.currency}`, seenHere));
    }
  }
  if (Object.keys(seen.wouldAdd).length !== (expected.would_add ?? []).length) problems.push(`preview-would-add has ${Object.keys(seen.wouldAdd).join(", ")}; the dry run ${(expected.would_add ?? []).map((t) => t.currency).join(", ")}`);
  if (problems.length) fail(`preview of ${basename(file)} differs from \`tributary import --dry-run --json\`: ${problems.join("; ")}`);
  log(`  ${basename(file)}: ${expected.format}, ${COUNTS.map(([id, key]) => `${id} ${expected[key]}`).join(", ")}`);
  if (screenshot) log(`  screenshot ${await s.screenshotTo(join(state.opts.out, screenshot))} bytes: ${screenshot}`);
  return expected;
}

/** Settings → the switch of the setting `name` (a `Settings` field, e.g. `notifications`) to `on`, and
 * saved: settings.json in the data folder says so. Stays on the Settings page. */
export async function setSwitch(name, on) {
  const s = state.session;
  await openPage("settings");
  const id = `setting-${name.replaceAll("_", "-")}`;
  const want = on ? "checked" : "unchecked";
  await s.waitFor(testId(id), { what: `the ${name} switch (${testId(id)})` });
  const now = await (await s.find(testId(id))).attribute("data-state");
  if (now !== want) await s.click(testId(id), { onFallback: log });
  await s.waitFor(testId(id, { "data-state": want }), { what: `the ${name} switch to be ${want}` });
  const file = join(state.dataDir, "settings.json");
  await s.waitUntil(
    () => {
      try {
        return JSON.parse(readFileSync(file, "utf8"))[name] === on;
      } catch {
        return false;
      }
    },
    { what: `${file} to say ${name}: ${on}` },
  );
}

/** The batch rows' ids (read as one retried unit, like the preview). */
export function batchIds() {
  const s = state.session;
  return s.waitUntil(
    async () => {
      const ids = [];
      for (const row of await s.findAll(testId("batch-row"))) ids.push(await row.attribute("data-batch-id"));
      return ids;
    },
    { what: "the batch rows' data-batch-id" },
  );
}

/** Clicks preview-import; the preview must close and a new batch row appear. Returns its id. */
export async function commitPreview(file, dry) {
  const s = state.session;
  const before = new Set(await batchIds());
  await s.click(testId("preview-import"), { onFallback: log });
  await s.waitForAbsent(testId("preview"), { timeoutMs: COMMIT_MS, what: `the preview of ${basename(file)} to close after preview-import` });
  const id = await s.waitUntil(async () => (await batchIds()).find((i) => !before.has(i)), {
    what: `a new batch-row for ${basename(file)} (rows before: ${[...before].join(", ") || "none"})`,
  });
  const b = await batch(id);
  if (!b) fail(`batch ${id} shown by the app is not in \`tributary batches --json\``);
  if (b.file_name !== basename(file) || b.status !== "imported" || b.inserted !== dry.inserted) {
    fail(`batch ${id}: ${b.file_name}, ${b.status}, ${b.inserted} new; expected ${basename(file)}, imported, ${dry.inserted} new`);
  }
  log(`  batch ${id}: ${b.inserted} new, ${b.rejected} rejected`);
  return id;
}

