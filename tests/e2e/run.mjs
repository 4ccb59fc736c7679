#!/usr/bin/env node
// Tributary's end-to-end test: the real desktop app, driven through tauri-driver + WebKitWebDriver,
// checked against the `tributary` CLI on the same data folder.
//
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- \
//     node tests/e2e/run.mjs --app target/debug/tributary-app --cli target/debug/tributary
//
// Options: --driver PATH (tauri-driver; default: on PATH or in ~/.cargo/bin), --native-driver PATH
// (default /usr/bin/WebKitWebDriver), --out DIR (screenshots and the driver's log; default
// target/e2e-screenshots), --fixtures DIR (a folder generate.py already wrote; default: generated into a
// temporary folder), --timeout SECONDS (the whole run; default 300), --keep (keep the temporary HOME and
// data folder), --app-arg ARG (repeatable: an argument for the application, e.g. --automation when
// pointing --app at WebKitGTK's MiniBrowser to try the harness itself).
//
// Node 20, no npm packages. Prints one line per step and ends with `e2e: N passed, M failed` (what CI
// reads); exits 0 only when nothing failed. See tests/e2e/README.md.

import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, accessSync, constants, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { checkDashboard, commitPreview, dismissToasts, openPage, previewMatchesDryRun, resizeWindow, setSwitch, setValue, untilDashboardShows } from "./app.mjs";
import { COMMIT_MS, deadline, execFileP, fail, log, ROOT, state, WAIT_MS } from "./context.mjs";
import { driverEnv, findExecutable, startDriver } from "./driver.mjs";
import { batch, cli, cliJson, reportTotals } from "./ledger.mjs";
import { Client, KEY, testId } from "./webdriver.mjs";
import { menuWords, Panel } from "./panel.mjs";

/** A process's command name, or null once it is gone. */
function processName(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return null;
  }
}

/** Keeps the icon a tray showed (the PNG libappindicator hands the panel) among the screenshots; returns its bytes. */
function keepTrayIcon(item, name) {
  const file = item.icon_name?.startsWith("/") ? item.icon_name : join(item.icon_theme_path ?? "", `${item.icon_name}.png`);
  try {
    copyFileSync(file, join(opts.out, name));
    log(`  tray icon ${file} kept as ${name}`);
    return readFileSync(file);
  } catch (e) {
    fail(`the tray icon ${file} the panel was given cannot be read: ${e.message}`);
  }
}

const PAGES = ["dashboard", "imports", "integrations", "health", "settings"];
const THEMES = ["light", "dark"];
const WIDTHS = [1024, 1440];
const XVFB_HINT = 'run it inside: xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- node tests/e2e/run.mjs ...';

// ---------------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { driver: "tauri-driver", nativeDriver: "/usr/bin/WebKitWebDriver", out: join(ROOT, "target", "e2e-screenshots"), timeout: 300, keep: false, appArgs: [] };
  const names = { "--app": "app", "--cli": "cli", "--driver": "driver", "--native-driver": "nativeDriver", "--out": "out", "--fixtures": "fixtures", "--timeout": "timeout" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--keep") opts.keep = true;
    else if (arg === "--app-arg" && i + 1 < argv.length) opts.appArgs.push(argv[++i]);
    else if (arg === "-h" || arg === "--help") opts.help = true;
    else if (names[arg] && i + 1 < argv.length) opts[names[arg]] = argv[++i];
    else throw new Error(`unknown argument ${arg}`);
  }
  opts.timeout = Number(opts.timeout);
  return opts;
}

const USAGE = `usage: node tests/e2e/run.mjs --app target/debug/tributary-app --cli target/debug/tributary
         [--driver tauri-driver] [--native-driver /usr/bin/WebKitWebDriver] [--out target/e2e-screenshots]
         [--fixtures DIR] [--timeout 300] [--keep] [--app-arg ARG]...
It needs an X display and a session bus: ${XVFB_HINT}`;

// ---------------------------------------------------------------------------------------------------
// The run's state, steps and cleanup
// ---------------------------------------------------------------------------------------------------

/** Runs one check. After a failure the remaining checks are skipped (each needs the ones before). */
/** Whether any file under `dir` holds `text` (a key that must live only in the secret store). */
function holds(dir, text) {
  return readdirSync(dir, { withFileTypes: true }).some((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? holds(path, text) : readFileSync(path).includes(text);
  });
}

async function step(name, fn) {
  if (state.failure) {
    state.skipped.push(name);
    return;
  }
  const t0 = Date.now();
  log(`▶ ${name}`);
  try {
    await fn();
    state.results.push({ name, ok: true });
    log(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    const reason = deadline.signal.aborted ? deadline.signal.reason.message : null;
    const message = reason ? `${reason}; the step was at: ${e.message.replace(` (${reason})`, "")}` : e.message;
    state.results.push({ name, ok: false, message });
    state.failure = { name, message };
    log(`✗ ${name}: ${message}`);
    await failureEvidence(name);
  }
}

async function failureEvidence(name) {
  const session = state.session;
  if (!session || session.deleted || deadline.signal.aborted) return;
  const file = join(opts.out, `failure-${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`);
  try {
    await session.screenshotTo(file, { settle: false });
    log(`  screenshot of the failure: ${file}`);
  } catch (e) {
    log(`  (no failure screenshot: ${e.message})`);
  }
  try {
    // What the page is, to tell "the UI never started" from "a hook is missing".
    const page = await session.execute(`
      const root = document.getElementById("root");
      const ids = Array.from(document.querySelectorAll("[data-testid]"), (e) => e.getAttribute("data-testid"));
      return { url: location.href, title: document.title, rootChildren: root ? root.children.length : null,
               bridge: typeof (window.__tributary && window.__tributary.previewFile),
               html: document.documentElement.getAttribute("data-theme"),
               testIds: Array.from(new Set(ids)).slice(0, 40),
               text: (document.body ? document.body.innerText : "").replace(/\\s+/g, " ").slice(0, 300) };`);
    log(`  page: ${JSON.stringify(page)}`);
  } catch (e) {
    log(`  (page not readable: ${e.message})`);
  }
}

/** Deletes the session (which closes the app) and ends tauri-driver's whole process group. */
function cleanup() {
  state.cleaning ??= (async () => {
    const notes = [];
    if (state.session && !state.session.deleted) {
      try {
        await state.session.delete();
        notes.push("session deleted");
      } catch (e) {
        notes.push(`session not deleted (${e.message})`);
      }
    }
    let leftover = null;
    state.monitor?.kill();
    state.standin?.kill();
    state.whop?.kill();
    state.resend?.kill();
    state.panel?.stop();
    state.trayer?.kill();
    if (state.trayPid) {
      try {
        process.kill(state.trayPid, "SIGTERM");
        notes.push("tray process stopped");
      } catch {
        // Already gone.
      }
    }
    if (state.driver) {
      const how = await state.driver.stop();
      notes.push(`tauri-driver ${how}`);
      if (how.includes("still alive")) leftover = how;
    }
    for (const dir of state.temp) {
      if (opts.keep) notes.push(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
    if (notes.length) log(`cleanup: ${notes.join("; ")}`);
    return leftover;
  })();
  return state.cleaning;
}

function summary() {
  const passed = state.results.filter((r) => r.ok).length;
  const failed = state.results.length - passed;
  if (state.skipped.length) console.log(`e2e: not run after the failure: ${state.skipped.join(", ")}`);
  if (state.failure) console.log(`e2e: FAILED at "${state.failure.name}": ${state.failure.message}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------------

let opts;

async function main() {
  try {
    opts = state.opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help || !opts.app || !opts.cli) {
    console.error(USAGE);
    return opts.help ? 0 : 2;
  }
  opts.app = resolve(opts.app);
  opts.cli = resolve(opts.cli);
  opts.out = resolve(opts.out);

  const runTimer = setTimeout(() => deadline.abort(new Error(`the whole run took longer than ${opts.timeout} s`)), opts.timeout * 1000);
  // If cleanup itself hangs, end everything anyway.
  const lastResort = setTimeout(() => {
    state.driver?.killNow();
    console.log(`e2e: cleanup did not finish within ${opts.timeout + 30} s; tauri-driver's process group was killed`);
    state.results.push({ name: "cleanup", ok: false });
    process.exit(summary());
  }, (opts.timeout + 30) * 1000);
  runTimer.unref();
  lastResort.unref();
  let interrupted = 0;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      if (++interrupted > 1) {
        state.driver?.killNow();
        process.exit(130);
      }
      deadline.abort(new Error(`interrupted by ${signal}`));
    });
  }
  process.on("exit", () => {
    if (!state.cleaning) state.driver?.killNow();
  });

  const files = {};

  await step("start the app", async () => {
    if (!process.env.DISPLAY) fail(`no X display (DISPLAY is not set): ${XVFB_HINT}`);
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) log(`  warning: no session bus (DBUS_SESSION_BUS_ADDRESS); ${XVFB_HINT}`);
    for (const [what, path] of [["--app", opts.app], ["--cli", opts.cli], ["--native-driver", opts.nativeDriver]]) {
      try {
        accessSync(path, constants.X_OK);
      } catch {
        fail(`${what} ${path} is not an executable file${what === "--app" ? " (build the app first: cargo build)" : ""}`);
      }
    }
    const driver = findExecutable(opts.driver);
    if (!driver) fail(`${opts.driver} not found on PATH or in ~/.cargo/bin: cargo install tauri-driver --locked`);

    const home = (state.home = mkdtempSync(join(tmpdir(), "tributary-e2e-home-")));
    state.dataDir = mkdtempSync(join(tmpdir(), "tributary-e2e-data-"));
    state.temp.push(home, state.dataDir);
    log(`  HOME=${home} TRIBUTARY_DATA_DIR=${state.dataDir}`);

    let fixtures = opts.fixtures && resolve(opts.fixtures);
    if (!fixtures) {
      fixtures = mkdtempSync(join(tmpdir(), "tributary-e2e-fixtures-"));
      state.temp.push(fixtures);
      try {
        await execFileP("python3", [join(ROOT, "tests", "fixtures", "generate.py"), fixtures], { signal: deadline.signal, timeout: 60_000 });
      } catch (e) {
        fail(`python3 tests/fixtures/generate.py failed: ${(e.stderr || e.message).trim()}`);
      }
    }
    files.kdp = join(fixtures, "KDP_Dashboard-2026-03.xlsx");
    files.stripe = join(fixtures, "unified_payments.csv");
    files.finals = join(fixtures, "KDP_Prior_Month_Royalties-2026-03-01.xlsx");
    files.unknown = join(fixtures, "Umsaetze.csv");
    files.unknownMapping = join(fixtures, "umsaetze-mapping.toml");
    for (const f of Object.values(files)) if (!existsSync(f)) fail(`fixture ${f} is missing`);

    mkdirSync(opts.out, { recursive: true });
    for (const old of readdirSync(opts.out)) if (old.endsWith(".png")) rmSync(join(opts.out, old));

    // Notifications go out on the session bus (nobody shows them here); watch the bus to see them sent.
    state.notices = "";
    state.monitor = spawn("dbus-monitor", ["--session", "interface='org.freedesktop.Notifications'"], { stdio: ["ignore", "pipe", "ignore"] });
    state.monitor.stdout.on("data", (chunk) => (state.notices += chunk));
    state.monitor.on("error", () => log("  dbus-monitor is not available: notifications will not be checked"));

    // The Lemon Squeezy stand-in the Integrations step connects to; its address goes in the app's
    // environment, as TRIBUTARY_LEMONSQUEEZY_BASE_URL points a real install at a sandbox.
    state.standin = spawn(join(dirname(opts.cli), "tributary-standins"), ["lemonsqueezy", "--orders", "150", "--seed", "4"], { stdio: ["ignore", "pipe", "inherit"] });
    state.standinUrl = await new Promise((done, refuse) => {
      let out = "";
      const timer = setTimeout(() => refuse(new Error("the Lemon Squeezy stand-in printed no address within 20 s")), 20_000);
      state.standin.stdout.on("data", (chunk) => {
        out += chunk;
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out);
        if (m) {
          clearTimeout(timer);
          done(m[1]);
        }
      });
      state.standin.on("error", (e) => refuse(new Error(`could not start the Lemon Squeezy stand-in: ${e.message} (build it: cargo build -p tributary-standins)`)));
    });
    log(`  Lemon Squeezy stand-in at ${state.standinUrl}`);
    // The Whop stand-in with its OAuth server, for "Sign in with Whop"; the "browser" the app opens is
    // curl, which follows the sign-in's redirect to the app's loopback listener as a browser would.
    state.whop = spawn(join(dirname(opts.cli), "tributary-standins"), ["whop", "--payments", "60", "--seed", "5", "--oauth"], { stdio: ["ignore", "pipe", "inherit"] });
    state.whopEnv = await new Promise((done, refuse) => {
      let out = "";
      const timer = setTimeout(() => refuse(new Error("the Whop stand-in printed no address within 20 s")), 20_000);
      state.whop.stdout.on("data", (chunk) => {
        out += chunk;
        const lines = {};
        for (const m of out.matchAll(/(TRIBUTARY_WHOP_[A-Z_]+)=(\S+)/g)) lines[m[1]] = m[2];
        if (lines.TRIBUTARY_WHOP_CLIENT_ID) {
          clearTimeout(timer);
          done(lines);
        }
      });
      state.whop.on("error", (e) => refuse(new Error(`could not start the Whop stand-in: ${e.message}`)));
    });

    // The Resend stand-in the email alerts go to (Settings › Email alerts, and the tray's scheduler).
    state.resend = spawn(join(dirname(opts.cli), "tributary-standins"), ["resend"], { stdio: ["ignore", "pipe", "inherit"] });
    state.resendUrl = await new Promise((done, refuse) => {
      let out = "";
      const timer = setTimeout(() => refuse(new Error("the Resend stand-in printed no address within 20 s")), 20_000);
      state.resend.stdout.on("data", (chunk) => {
        out += chunk;
        const m = /TRIBUTARY_RESEND_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          done(m[1]);
        }
      });
      state.resend.on("error", (e) => refuse(new Error(`could not start the Resend stand-in: ${e.message}`)));
    });

    // The desktop panel's tray, before the app: both trays' icons register with it, and the tray
    // steps read and click their menus through it.
    try {
      state.panel = await Panel.start(join(dirname(opts.cli), "tributary-standins"));
    } catch (e) {
      fail(`the panel stand-in: ${e.message}`);
    }

    const x = (sub) => join(home, sub);
    // The app's environment, through the driver, and for a second launch of it.
    state.appEnv = driverEnv({
      HOME: home,
      XDG_CONFIG_HOME: x(".config"),
      XDG_DATA_HOME: x(".local/share"),
      XDG_CACHE_HOME: x(".cache"),
      XDG_STATE_HOME: x(".local/state"),
      TRIBUTARY_DATA_DIR: state.dataDir,
      TRIBUTARY_LEMONSQUEEZY_BASE_URL: state.standinUrl,
      TRIBUTARY_RESEND_BASE_URL: state.resendUrl,
      ...state.whopEnv,
      BROWSER: "curl -s -L -o /dev/null",
      // This session has no unlocked keyring (the real Secret Service is tested in crates/secrets):
      // keys go to the warned file store, under XDG_CONFIG_HOME, outside the data folder.
      TRIBUTARY_SECRET_STORE: "file",
      NO_AT_BRIDGE: "1",
    });
    state.driver = await startDriver({
      driver,
      nativeDriver: opts.nativeDriver,
      env: state.appEnv,
      logFile: join(opts.out, "tauri-driver.log"),
      log: (line) => log(`  ${line}`),
    });
    const client = new Client(state.driver.url, { signal: deadline.signal, log: (line) => log(`  ${line}`) });
    try {
      await client.waitUntilReady(WAIT_MS);
    } catch (e) {
      const exit = state.driver.exited();
      fail(`tauri-driver did not answer GET /status${exit ? ` (it exited: ${exit.signal ?? `code ${exit.code}`})` : ""}: ${e.message}\n${state.driver.output()}`);
    }
    try {
      state.session = await client.newSession({ alwaysMatch: { browserName: "wry", "tauri:options": { application: opts.app, args: opts.appArgs } } });
    } catch (e) {
      fail(`could not open a session on ${opts.app}: ${e.message}\n--- tauri-driver output ---\n${state.driver.output()}`);
    }
    state.session.waitTimeoutMs = WAIT_MS;
  });

  await step("empty state on first run", async () => {
    const s = state.session;
    await s.waitFor(testId("page-dashboard"), { what: "the dashboard (page-dashboard)" });
    await s.waitFor(testId("page-dashboard", { "data-state": "empty" }), { what: "the dashboard to say data-state=empty on an empty data folder" });
    await s.waitFor(testId("empty-state"), { what: "the first-run empty state (empty-state)" });
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "empty-state.png"))} bytes: empty-state.png`);
  });

  await step("load the demo data and leave it again", async () => {
    const s = state.session;
    const demoDir = join(state.dataDir, "demo-workspace");
    await s.click(testId("load-demo"), { onFallback: log });
    await s.waitFor(testId("demo-banner"), { timeoutMs: COMMIT_MS, what: "the demo banner (demo-banner) after load-demo" });
    // The demo is a workspace of its own, filled from the files shipped with the app; it opens on All time.
    const expected = await reportTotals(demoDir);
    if (Object.keys(expected).length < 2) fail(`the demo workspace holds ${Object.keys(expected).join(", ") || "no"} currencies; the demo files pay in several`);
    await untilDashboardShows(expected, "the demo's dashboard (All time) differs from `tributary report --json` on demo-workspace/");
    log(`  demo: ${Object.entries(expected).map(([c, t]) => `${c} net ${t.net}`).join(" | ")}`);
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "demo-dashboard.png"))} bytes: demo-dashboard.png`);
    const own = await reportTotals();
    if (Object.keys(own).length) fail(`loading the demo wrote to the creator's own ledger: ${JSON.stringify(own)}`);
    await s.click(testId("leave-demo"), { onFallback: log });
    await s.waitForAbsent(testId("demo-banner"), { what: "the demo banner to go after leave-demo" });
    await s.waitFor(testId("empty-state"), { what: "the first-run empty state again after leaving the demo" });
    if (existsSync(demoDir)) fail(`${demoDir} is still there after leaving the demo`);
  });

  let kdpDry, stripeDry, stripeBatch, before;
  await step("preview a KDP workbook", async () => {
    kdpDry = await previewMatchesDryRun(files.kdp, "preview.png");
  });
  await step("import the KDP workbook", async () => {
    await commitPreview(files.kdp, kdpDry);
  });
  await step("a finals file says which estimates it replaces, and the history that it did", async () => {
    const s = state.session;
    const dry = await previewMatchesDryRun(files.finals, "preview-finals.png");
    const replaced = (dry.replaces ?? []).reduce((n, p) => n + p.events, 0);
    if (replaced === 0) fail("the dry run of the Prior Months' Royalties file replaces no estimates: the fixture no longer tests this");
    const sentence = await s.waitUntil(async () => {
      const el = await s.find(testId("preview-replaces"));
      return el ? (await el.text()).trim() : undefined;
    }, { what: "the preview's sentence on the estimates it replaces (preview-replaces)" });
    const places = [...new Set(dry.replaces.map((p) => p.marketplace))];
    const expected = [`${replaced} estimated events of`, ...places, basename(files.kdp)];
    const missing = expected.filter((part) => !sentence.includes(part));
    if (missing.length) fail(`the preview says "${sentence}"; it lacks ${missing.map((m) => `"${m}"`).join(", ")}`);
    log(`  ${sentence}`);
    const id = await commitPreview(files.finals, dry);
    const b = await batch(id);
    if (b.replaced_estimates !== replaced) fail(`\`tributary batches --json\` says batch ${id} replaced ${b.replaced_estimates} estimates, the dry run ${replaced}`);
    const row = testId("batch-row", { "data-batch-id": id });
    const said = await s.waitUntil(async () => {
      const el = await s.find(`${row} ${testId("batch-replaced")}`);
      return el ? (await el.text()).trim() : undefined;
    }, { what: `the history row of batch ${id} to say what it replaced (batch-replaced)` });
    if (!said.includes(String(replaced))) fail(`the history says "${said}", not ${replaced} estimates replaced`);
    log(`  history: ${said}`);
  });
  await step("preview a Stripe export: its figures add up and equal the dry run's", async () => {
    stripeDry = await previewMatchesDryRun(files.stripe, null);
    // The identity is only tested where every kind of money is there: sales, partial and full refunds,
    // lost disputes and fees.
    for (const t of stripeDry.would_add ?? []) {
      const missing = ["sales", "refunds", "chargebacks", "fees"].filter((f) => !t[`${f}_minor`]);
      if (t.currency === "USD" && missing.length) fail(`the Stripe fixture's USD has no ${missing.join(", ")}: the identity would be tested on less than it claims`);
      log(`  would add ${t.currency}: sales ${t.sales_minor} − refunds ${t.refunds_minor} − chargebacks ${t.chargebacks_minor} − fees ${t.fees_minor} + adjustments ${t.adjustments_minor} = net ${t.net_minor}`);
    }
  });
  await step("import the Stripe export", async () => {
    stripeBatch = await commitPreview(files.stripe, stripeDry);
  });
  await step("a notification for each import", async () => {
    await state.session.waitUntil(async () => (state.notices.match(/member=Notify/g) ?? []).length >= 2, {
      what: "two Notify calls on the session bus (dbus-monitor)",
    });
    for (const file of [files.kdp, files.stripe]) {
      if (!state.notices.includes(`Imported ${basename(file)}`)) fail(`no notification says "Imported ${basename(file)}"`);
    }
  });
  await step("dashboard totals = tributary report", async () => {
    before = await checkDashboard("after both imports");
  });
  /** Settings' "Last import" is the newest import still in the ledger, as `tributary batches` has it. */
  const checkLastImport = async (when) => {
    const s = state.session;
    const imported = ((await cliJson("batches", "--json")).batches ?? []).filter((b) => b.status === "imported" && b.finished_at);
    const newest = imported.map((b) => Date.parse(b.finished_at)).reduce((a, b) => Math.max(a, b), -Infinity);
    await openPage("settings");
    let shown = null;
    try {
      await s.waitUntil(async () => {
        shown = await s.execute(`const d = document.querySelector('[data-testid="last-import"]'); return d && d.getAttribute("data-instant");`);
        return shown && Date.parse(shown) === newest;
      }, { what: `Settings' Last import to be ${new Date(newest).toISOString()}` });
    } catch {
      fail(`${when}, Settings' Last import says ${shown || "nothing"}, not ${new Date(newest).toISOString()} (the newest import \`tributary batches\` lists as imported)`);
    }
    log(`  Last import ${when}: ${new Date(newest).toISOString()}`);
    return newest;
  };
  await step("undo the Stripe import; Settings' Last import follows", async () => {
    const s = state.session;
    const stripeAt = await checkLastImport("before the undo");
    if (stripeAt !== Date.parse((await batch(stripeBatch))?.finished_at ?? "")) fail("before the undo, the Stripe import is not the last import");
    await openPage("imports");
    const row = testId("batch-row", { "data-batch-id": stripeBatch });
    await s.waitFor(row, { what: `the Stripe batch's row (${row})` });
    await s.click(`${row} ${testId("batch-undo")}`, { onFallback: log });
    await s.click(testId("confirm-undo"), { onFallback: log });
    await s.waitFor(testId("batch-row", { "data-batch-id": stripeBatch, "data-status": "undone" }), {
      timeoutMs: COMMIT_MS,
      what: `batch ${stripeBatch}'s row to say data-status=undone`,
    });
    const b = await batch(stripeBatch);
    if (b?.status !== "undone") fail(`\`tributary batches --json\` says batch ${stripeBatch} is ${b?.status ?? "missing"}, not undone`);
    if ((await checkLastImport("after the undo")) === stripeAt) fail("after undoing the Stripe import, the last import is still the Stripe one");
  });
  await step("dashboard totals = tributary report after the undo", async () => {
    const after = await checkDashboard("after undoing the Stripe import");
    if (JSON.stringify(after) === JSON.stringify(before)) fail("the report did not change when the Stripe import was undone");
  });
  await step("an import from the CLI shows in the open window", async () => {
    await cli("import", files.stripe);
    const expected = await reportTotals();
    // No navigation and no reload: the window has to notice the other process's write by itself.
    await untilDashboardShows(expected, "the open dashboard did not follow `tributary import`");
    if (JSON.stringify(expected) !== JSON.stringify(before)) fail("re-importing the undone Stripe file from the CLI did not restore the totals from before the undo");
  });
  await step("a second launch hands its file to the running window", async () => {
    // Single instance: the second process gives the file to the first and exits.
    try {
      await execFileP(opts.app, [basename(files.kdp)], { cwd: dirname(files.kdp), env: state.appEnv, signal: deadline.signal, timeout: 20_000 });
    } catch (e) {
      fail(`the second launch did not exit cleanly: ${(e.stderr || e.message || "").trim().split("\n").slice(-3).join(" ")}`);
    }
    const s = state.session;
    const format = await s.waitUntil(
      async () => {
        const el = await s.find(`${testId("preview", { "data-state": "ready" })} ${testId("preview-format")}`);
        return el ? await el.attribute("data-format") : undefined;
      },
      { what: "the running window to preview the file given to the second launch" },
    );
    if (format !== kdpDry.format) fail(`the handed-over file previews as ${format}, not ${kdpDry.format}`);
    await s.click(testId("preview-cancel"), { onFallback: log });
  });
  await step("an unknown CSV gets a column mapping made in the window", async () => {
    const s = state.session;
    const expected = (await cliJson("import", files.unknown, "--map", files.unknownMapping, "--dry-run", "--json")).files?.[0];
    await s.execute("window.__tributary.previewFile(arguments[0]); return true;", [files.unknown]);
    await s.waitFor(testId("preview", { "data-state": "error" }), { what: "the preview to refuse a CSV of no known format" });
    await s.click(testId("create-mapping"), { onFallback: log });
    // The editor guesses the columns from the header; its live preview reads the file through them.
    const rows = await s.waitUntil(
      async () => {
        const live = await s.find(`${testId("mapping-preview", { "data-state": "ready" })} ${testId("preview-count-new")}`);
        return live ? Number(await live.attribute("data-value")) : undefined;
      },
      { what: "the mapping editor's live preview (mapping-preview data-state=ready)" },
    );
    if (rows !== expected.inserted) fail(`the drafted mapping reads ${rows} new rows, the fixture's own mapping ${expected.inserted}`);
    await s.click(testId("save-mapping"), { onFallback: log });
    const format = await s.waitUntil(
      async () => {
        const el = await s.find(`${testId("preview", { "data-state": "ready" })} ${testId("preview-format")}`);
        return el ? await el.attribute("data-format") : undefined;
      },
      { what: "the file's preview through the saved mapping" },
    );
    const saved = (await cliJson("formats", "--json")).saved_mappings ?? [];
    if (!saved.some((m) => m.name === format)) fail(`the preview reads the file as ${format}, which \`tributary formats\` does not list as saved`);
    log(`  saved mapping ${format}: ${rows} rows`);
    // The "saved" toast sits over the preview's buttons for a few seconds; no need to wait it out.
    await s.execute(`document.querySelector('${testId("preview-cancel")}').click(); return true;`);
  });
  await step("with notifications off an import sends none, and on again it does", async () => {
    const s = state.session;
    // Only what the bus carried from here on; the imports are told apart by their file names.
    const from = state.notices.length;
    const said = () => state.notices.slice(from);
    const count = () => said().match(/member=Notify/g)?.length ?? 0;
    await setSwitch("notifications", false);
    // The CSV previews through the mapping saved in the step before, and goes in as a batch of its own.
    const quiet = await commitPreview(files.unknown, await previewMatchesDryRun(files.unknown, null));
    await setSwitch("notifications", true);
    await openPage("imports");
    // The same rows under another name, after undoing them (a file with nothing new is not offered).
    await s.click(`${testId("batch-row", { "data-batch-id": quiet })} ${testId("batch-undo")}`, { onFallback: log });
    await s.click(testId("confirm-undo"), { onFallback: log });
    await s.waitFor(testId("batch-row", { "data-batch-id": quiet, "data-status": "undone" }), { timeoutMs: COMMIT_MS, what: `batch ${quiet}'s row to say undone` });
    const copies = mkdtempSync(join(tmpdir(), "tributary-e2e-copy-"));
    state.temp.push(copies);
    const loud = join(copies, "Umsaetze-again.csv");
    copyFileSync(files.unknown, loud);
    await commitPreview(loud, await previewMatchesDryRun(loud, null));
    // A notice the quiet import had sent, seconds earlier, would be on the bus before this one.
    await s.waitUntil(() => said().includes(`Imported ${basename(loud)}`), { what: `a notification saying "Imported ${basename(loud)}"` });
    if (said().includes(`Imported ${basename(files.unknown)}`)) fail(`the import of ${basename(files.unknown)}, made with notifications off, sent one`);
    if (count() !== 1) fail(`${count()} notifications for one import made with notifications on`);
  });
  await step("start at login writes the autostart entry, and removing it deletes it", async () => {
    const s = state.session;
    // The autostart plugin's entry (XDG autostart, in the app's HOME); `--hidden` starts in the tray.
    const dir = join(state.home, ".config", "autostart");
    const entries = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".desktop")) : []);
    if (entries().length) fail(`${dir} has entries before start at login was switched on: ${entries().join(", ")}`);
    await openPage("settings");
    await s.waitFor(testId("setting-start-at-login", { "data-state": "unchecked" }), { what: "start at login to be off in a fresh HOME" });
    await setSwitch("start_at_login", true);
    const entry = await s.waitUntil(() => entries()[0], { what: `a .desktop entry in ${dir}` });
    const exec = readFileSync(join(dir, entry), "utf8").match(/^Exec=(.*)$/m)?.[1]?.trim();
    if (exec !== `${opts.app} --hidden`) fail(`${entry} starts "${exec}", not "${opts.app} --hidden"`);
    log(`  ${entry}: Exec=${exec}`);
    await setSwitch("start_at_login", false);
    await s.waitUntil(() => entries().length === 0, { what: `${dir} to have no entry once start at login is off` });
  });
  await step("a sale at 23:30 on a month's last evening counts in that month in the creator's time zone", async () => {
    const s = state.session;
    const chooseZone = async (zone) => {
      await openPage("settings");
      await s.waitFor(testId("setting-time-zone"), { what: "the time zone select" });
      await setValue(testId("setting-time-zone"), zone, "change");
      const status = await s.waitUntil(async () => {
        const v = await cliJson("zone", "--json");
        return v.time_zone === (zone || v.time_zone) && v.chosen === (zone !== "") ? v : null;
      }, { what: `\`tributary zone\` to say ${zone || "the system's zone"}` });
      log(`  days counted in ${status.time_zone}${status.chosen ? " (chosen)" : " (the system's)"}`);
    };
    await chooseZone("America/Los_Angeles");
    // 23:30 on 31 October in Los Angeles is 06:30 on 1 November in UTC. Francs: no other file has them.
    const file = join(state.temp[0], "evening-sale.csv");
    writeFileSync(file, "platform,account,external_id,kind,occurred_at,quantity,currency,gross,net\nstripe,main,ch_evening,sale,2026-10-31T23:30:00-07:00,1,CHF,12.34,12.34\n");
    await cli("import", file);
    const chfIn = async (from, to) => {
      const report = await cliJson("report", "--from", from, "--to", to, "--json");
      return report.totals.find((t) => t.currency === "CHF")?.net_minor ?? 0;
    };
    if ((await chfIn("2026-10-31", "2026-10-31")) !== 1234) fail("`tributary report` does not count the evening sale on 31 October in Los Angeles' days");
    await openPage("dashboard");
    await s.click(testId("period-custom"), { onFallback: log });
    await s.waitFor(testId("custom-from"), { what: "the custom period's inputs" });
    // The custom period's francs as the window shows them, once it has read that period.
    const windowFrancs = async (from, to, expected) => {
      await setValue(testId("custom-from"), from, "input");
      await setValue(testId("custom-to"), to, "input");
      let seen = null;
      try {
        await s.waitUntil(async () => {
          seen = await s.execute(`const p = document.querySelector('[data-testid="page-dashboard"]');
            const net = document.querySelector('[data-testid="total-net"][data-currency="CHF"]');
            return { state: p && p.getAttribute("data-state"), chf: net ? Number(net.getAttribute("data-minor")) : 0 };`);
          return seen.state === "data" && seen.chf === expected;
        }, { what: `CHF ${expected / 100} on the dashboard for ${from} – ${to}` });
      } catch {
        fail(`the dashboard for ${from} – ${to} shows CHF ${(seen?.chf ?? 0) / 100}, not ${expected / 100} (Los Angeles' days)`);
      }
    };
    await windowFrancs("2026-10-01", "2026-10-31", 1234);
    await windowFrancs("2026-11-01", "2026-11-30", 0);
    log("  CHF 12.34 on 31 October (Los Angeles) in the window and in `tributary report`; none in November");
    // In UTC it is 1 November's: counted again, in the window's next read too.
    await chooseZone("UTC");
    if ((await chfIn("2026-11-01", "2026-11-01")) !== 1234) fail("in UTC the sale is not 1 November's");
    await chooseZone("");
    // The dashboard as the steps before left it, for the screenshots that follow.
    await openPage("dashboard");
    await s.click(testId("period-all_time"), { onFallback: log });
  });
  await step("a custom range grouped by month labels each month once, under its bar", async () => {
    const s = state.session;
    await openPage("dashboard");
    await s.click(testId("period-custom"), { onFallback: log });
    await s.waitFor(testId("custom-from"), { what: "the custom period's inputs" });
    await setValue(testId("custom-from"), "2026-02-15", "input");
    await setValue(testId("custom-to"), "2026-05-10", "input");
    await s.click(testId("bucket-month"), { onFallback: log });
    let seen = null;
    try {
      await s.waitUntil(async () => {
        seen = await s.execute(`const c = document.querySelector('[data-testid="chart-canvas"]');
          return c && { labels: (c.getAttribute("data-x-labels") || "").split("|"), buckets: Number(c.getAttribute("data-buckets")) };`);
        return seen && seen.buckets === 4 && seen.labels.length === 4;
      }, { what: "the chart to draw four months with four labels" });
    } catch {
      fail(`the chart for Feb 15 – May 10 by month shows ${JSON.stringify(seen)}, not four buckets with a label each`);
    }
    if (new Set(seen.labels).size !== 4 || !seen.labels.every((l) => /2026/.test(l))) fail(`month labels ${JSON.stringify(seen.labels)} repeat or lack the year`);
    log(`  labels: ${seen.labels.join(", ")}`);
    await dismissToasts();
    await s.execute(`document.querySelector('[data-testid="revenue-chart"]').scrollIntoView({ block: "center" }); return true;`);
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "chart-custom-months.png"))} bytes: chart-custom-months.png`);
    await s.click(testId("period-all_time"), { onFallback: log });
  });
  await step("Import all of twelve monthly KDP reports: one batch each, one summary", async () => {
    const s = state.session;
    const months = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);
    const reports = months.map((m) => join(ROOT, "assets", "demo", `KDP_Prior_Month_Royalties-${m}-01.xlsx`));
    const before = new Set(((await cliJson("batches", "--json")).batches ?? []).map((b) => b.id));
    await openPage("imports");
    for (const file of reports) await s.execute("window.__tributary.previewFile(arguments[0]); return true;", [file]);
    await s.waitFor(testId("preview", { "data-state": "ready" }), { what: "the first report's preview" });
    await s.click(testId("import-all-start"), { onFallback: log });
    await s.waitFor(testId("import-all", { "data-state": "done" }), { timeoutMs: COMMIT_MS * 4, what: "Import all to finish (import-all data-state=done)" });
    const rows = await s.execute(`return [...document.querySelectorAll('[data-testid="import-all-row"]')].map((r) => r.getAttribute("data-ok"));`);
    if (rows.length !== 12 || rows.some((ok) => ok !== "true")) fail(`the summary lists ${rows.length} files, ok: ${rows.join(", ")}`);
    const added = ((await cliJson("batches", "--json")).batches ?? []).filter((b) => !before.has(b.id));
    const names = added.map((b) => b.file_name).sort();
    const expectedNames = reports.map((f) => basename(f)).sort();
    if (JSON.stringify(names) !== JSON.stringify(expectedNames) || added.some((b) => b.status !== "imported")) {
      fail(`\`tributary batches\` after Import all: ${added.map((b) => `${b.file_name} ${b.status}`).join(", ")}`);
    }
    log(`  12 batches (${added.map((b) => b.id).sort((a, b) => a - b).join(", ")}), each its own; summary of 12 rows`);
    await s.click(testId("import-all-close"), { onFallback: log });
    await checkDashboard("after Import all");
  });
  await step("the table view never cuts a row in half, at rest or scrolled", async () => {
    const s = state.session;
    await openPage("dashboard");
    await s.click(testId("bucket-month"), { onFallback: log });
    await s.click(testId("view-table"), { onFallback: log });
    await s.waitFor(testId("revenue-row"), { what: "the table view's rows" });
    // Rows in the box's view (below its sticky header, above its bottom edge or scrollbar), and those cut.
    const rowsInView = () => s.execute(`const box = document.querySelector('[data-testid="revenue-table"]');
      const top = box.querySelector("thead").getBoundingClientRect().bottom;
      const bottom = box.getBoundingClientRect().top + box.clientTop + box.clientHeight;
      const rows = [...box.querySelectorAll("tbody tr")].map((r) => r.getBoundingClientRect());
      const seen = rows.filter((r) => r.bottom > top + 0.5 && r.top < bottom - 0.5);
      return { rows: rows.length, whole: seen.filter((r) => r.top >= top - 0.5 && r.bottom <= bottom + 0.5).length,
        cut: seen.filter((r) => r.top < top - 0.5 || r.bottom > bottom + 0.5).length,
        scrollable: box.scrollHeight > box.clientHeight + 1, scrollTop: box.scrollTop };`);
    const atRest = await rowsInView();
    if (!atRest.scrollable) fail(`the table's ${atRest.rows} rows fit without scrolling: nothing here tests a cut row`);
    if (atRest.cut) fail(`the table view cuts ${atRest.cut} row(s) at rest (${atRest.whole} whole of ${atRest.rows})`);
    // A scroll that ends between two rows' edges settles on one.
    await s.execute(`document.querySelector('[data-testid="revenue-table"]').scrollTop = 47; return true;`);
    let scrolled = null;
    try {
      await s.waitUntil(async () => {
        scrolled = await rowsInView();
        return scrolled.scrollTop > 0 && scrolled.cut === 0;
      }, { what: "the scrolled table to settle on whole rows", timeoutMs: 5_000 });
    } catch {
      fail(`scrolled by 47 px, the table view shows ${JSON.stringify(scrolled)}: a row cut in half`);
    }
    log(`  ${atRest.whole} whole rows of ${atRest.rows} in view; scrolled, ${scrolled.whole} whole rows from ${scrolled.scrollTop} px`);
    await dismissToasts();
    await s.execute(`document.querySelector('[data-testid="revenue-table"]').scrollIntoView({ block: "center" }); return true;`);
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "table-view.png"))} bytes: table-view.png`);
    await s.click(testId("view-chart"), { onFallback: log });
  });
  await step("connect Lemon Squeezy by key, sync now: the dashboard shows its orders, the key is nowhere", async () => {
    const s = state.session;
    const card = '[data-testid="integration-lemonsqueezy"]';
    const studio = join(opts.out, "lemonsqueezy-studio.csv");
    writeFileSync(studio, "platform,account,external_id,kind,occurred_at,product_id,product_name,quantity,currency,gross,fees,net,buyer_email,country\nlemonsqueezy,studio,studio-1,sale,2026-11-02T10:00:00Z,,Studio Pack,1,USD,12.00,0,12.00,,\nlemonsqueezy,main,main-1,sale,2026-11-03T10:00:00Z,,Icon Set,1,USD,19.00,0,19.00,,\n");
    await cli("import", studio);
    const before = await reportTotals();
    await openPage("integrations");
    await s.click(`${card} [data-testid="connect-open"]`, { onFallback: log });
    await setValue(`${card} [data-testid="connect-key"]`, "standin-lemonsqueezy-key", "input");
    // Lemon Squeezy rows under two accounts now (a ledger CSV added one under "studio", one under "main"): the card asks
    // which one the connection books under, and will not connect until one is chosen.
    await s.waitFor(`${card} [data-testid="connect-account"]`, { what: "the account choice" });
    if (!(await s.execute(`return document.querySelector(arguments[0]).disabled;`, [`${card} [data-testid="connect-submit"]`]))) fail("the card would connect before an account is chosen");
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "integrations-account-choice.png"))} bytes: integrations-account-choice.png`);
    await setValue(`${card} [data-testid="connect-account"]`, "main", "change");
    // A wrong key: refused in words, nothing kept.
    await setValue(`${card} [data-testid="connect-key"]`, "not-the-key", "input");
    await s.click(`${card} [data-testid="connect-submit"]`, { onFallback: log });
    const refused = await s.waitFor(`${card} [data-testid="error-state"]`, { what: "the refusal of a wrong key" });
    const words = await refused.text();
    if (!words.includes("refused this API key (401)")) fail(`a wrong key got "${words}"`);
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "integrations-key-refused.png"))} bytes: integrations-key-refused.png`);
    if ((await cliJson("connections", "--json")).connections.length) fail("a refused key made a connection");
    const key = "standin-lemonsqueezy-key";
    await setValue(`${card} [data-testid="connect-key"]`, key, "input");
    await s.click(`${card} [data-testid="connect-submit"]`, { onFallback: log });
    await s.waitFor(`${card} [data-testid="connection"][data-state="active"]`, { timeoutMs: COMMIT_MS, what: "the card to show the connection" });
    const made = (await cliJson("connections", "--json")).connections.find((c) => c.platform === "lemonsqueezy");
    if (made?.account !== "main") fail(`the connection books under ${JSON.stringify(made?.account)}, not the account chosen`);
    await s.click(`${card} [data-testid="sync-now"]`, { onFallback: log });
    const result = await s.waitFor(`${card} [data-testid="sync-result"]`, { timeoutMs: COMMIT_MS, what: "the sync's result on the card" });
    log(`  ${await result.text()}`);
    const runs = await cliJson("sync", "runs", "lemonsqueezy", "--json");
    const run = (runs.runs ?? runs)[0];
    if (!run || run.status !== "succeeded") fail(`\`tributary sync runs\` says ${JSON.stringify(run)}`);
    if (String(run.inserted) !== (await result.attribute("data-inserted"))) fail(`the card says ${await result.attribute("data-inserted")} new events, the run ${run.inserted}`);
    const after = await checkDashboard("after syncing Lemon Squeezy");
    const grew = Object.keys(after).some((c) => after[c].sales !== before[c]?.sales);
    if (!grew) fail("the sync added no sales to any currency");
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "dashboard-after-sync.png"))} bytes: dashboard-after-sync.png`);
    await openPage("integrations");
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "integrations-connected.png"))} bytes: integrations-connected.png`);
    // The key is in the file store under XDG_CONFIG_HOME, and in no file of the data folder.
    if (holds(state.dataDir, key)) fail(`the key is in a file under ${state.dataDir}`);
  });

  await step("rename the Lemon Squeezy connection, then a revoked key: the card asks to reconnect, and a new key carries on", async () => {
    const s = state.session;
    const card = '[data-testid="integration-lemonsqueezy"]';
    await openPage("integrations");
    await s.click(`${card} [data-testid="rename-open"]`, { onFallback: log });
    await setValue('[data-testid="rename-name"]', "shop", "input");
    await s.click('[data-testid="rename-confirm"]', { onFallback: log });
    await s.waitFor(`${card} [data-testid="connection"][data-name="shop"]`, { what: "the card to show the new name" });
    const named = (await cliJson("connections", "--json")).connections.find((c) => c.platform === "lemonsqueezy");
    if (named?.name !== "shop") fail(`after renaming, \`tributary connections\` says ${JSON.stringify(named)}`);
    // The key revoked at the platform: the next sync is refused, and the card asks for a new key.
    const admin = state.standinUrl.replace(/\/v1$/, "/__admin");
    const post = async (path, body) => {
      const r = await fetch(`${admin}${path}`, { method: "POST", body: JSON.stringify(body) });
      if (!r.ok) fail(`the stand-in's ${path} answered ${r.status}`);
    };
    const told = state.notices.length;
    const toldSince = () => state.notices.slice(told);
    await post("/keys/revoke", { key: "standin-lemonsqueezy-key" });
    await s.click(`${card} [data-testid="sync-now"]`, { onFallback: log });
    await s.waitFor(`${card} [data-testid="needs-reconnect"]`, { timeoutMs: COMMIT_MS, what: "the card to ask for a new key" });
    // The app tells the transition as a desktop notification, once.
    await s.waitUntil(() => toldSince().includes("Lemon Squeezy (shop) needs reconnecting"), {
      what: 'a notification "Lemon Squeezy (shop) needs reconnecting" from the app (dbus-monitor)',
    });
    // The Health page says it in words, with the fix as a button, as `tributary health` does.
    await openPage("health");
    const row = '[data-testid="health-row"][data-connection="shop"]';
    await s.waitFor(`${row}[data-state="needs_reconnect"]`, { what: "the Health page's row for shop to say it needs reconnecting" });
    const said = await (await s.find(`${row} [data-testid="health-state"]`)).text();
    if (!/reconnect/i.test(said)) fail(`the Health page's state for shop says "${said}"`);
    await s.waitFor(`[data-testid="health-banner"] [data-testid="fix"][data-fix="reconnect"][data-connection="shop"]`, {
      what: "the banner's Reconnect button for shop",
    });
    await s.click(`${row} [data-testid="health-expand"]`);
    const sentence = await (await s.waitFor('[data-testid="health-sentence"]', { what: "shop's health sentence" })).text();
    if (!/reconnect/i.test(sentence)) fail(`shop's health sentence says "${sentence}"`);
    await s.waitFor(`[data-testid="fix"][data-fix="reconnect"][data-connection="shop"]:not([data-testid="health-banner"] *)`, {
      what: "the Reconnect button in shop's open row",
    });
    log(`  Health: ${said.trim()}: "${sentence.trim()}"`);
    const cliHealth = (await cliJson("health", "--json")).connections.find((c) => c.connection === "shop");
    if (cliHealth?.state !== "needs_reconnect") fail(`\`tributary health --json\` says ${JSON.stringify(cliHealth)}`);
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "health-needs-reconnect.png"))} bytes: health-needs-reconnect.png`);
    // The app's tray icon says it too, as the panel shows it, and offers no Sync now (nothing can sync).
    const summary = (await cliJson("health", "--json")).summary;
    const appTray = await s.waitUntil(
      async () => {
        const item = (await state.panel.items()).find((i) => processName(i.pid) === "tributary-app");
        return item?.menu[0]?.label === summary?.line ? item : undefined;
      },
      { what: `the app's tray menu to say "${summary?.line}" (tributary health's line)` },
    );
    if (summary.line !== "Lemon Squeezy (shop) needs reconnecting") fail(`tributary health's line is "${summary.line}"`);
    const syncNow = appTray.menu.find((e) => e.label === "Sync now");
    if (!syncNow || syncNow.enabled) fail(`the app's tray menu offers Sync now with nothing to sync: ${menuWords(appTray)}`);
    log(`  the app's tray menu: ${menuWords(appTray)}`);
    state.trayIcons = { appError: keepTrayIcon(appTray, "tray-icon-app-needs-reconnect.png") };
    await openPage("integrations");
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "integrations-needs-reconnect.png"))} bytes: integrations-needs-reconnect.png`);
    const stale = (await cliJson("connections", "--json")).connections.find((c) => c.name === "shop");
    if (stale?.state !== "needs_reconnect") fail(`after a refused key, \`tributary connections\` says ${JSON.stringify(stale)}`);
    await post("/keys", { key: "standin-lemonsqueezy-key-2" });
    await setValue(`${card} [data-testid="connect-key"]`, "standin-lemonsqueezy-key-2", "input");
    await s.click(`${card} [data-testid="connect-submit"]`, { onFallback: log });
    await s.waitFor(`${card} [data-testid="connection"][data-state="active"][data-name="shop"]`, { timeoutMs: COMMIT_MS, what: "the reconnected card, under its name" });
    await s.click(`${card} [data-testid="sync-now"]`, { onFallback: log });
    const result = await s.waitFor(`${card} [data-testid="sync-result"]`, { timeoutMs: COMMIT_MS, what: "the sync after reconnecting" });
    log(`  ${await result.text()}`);
    const again = (await cliJson("connections", "--json")).connections.filter((c) => c.platform === "lemonsqueezy");
    if (again.length !== 1 || again[0].state !== "active") fail(`after reconnecting, \`tributary connections\` says ${JSON.stringify(again)}`);
    await s.waitUntil(() => toldSince().includes("Lemon Squeezy (shop) syncs again"), {
      what: 'a notification "Lemon Squeezy (shop) syncs again" from the app',
    });
    // dbus-monitor prints each string argument quoted: the title is the summary.
    const count = (title) => toldSince().split(`string "${title}"`).length - 1;
    const reconnect = count("Lemon Squeezy (shop) needs reconnecting");
    if (reconnect !== 1) fail(`"Lemon Squeezy (shop) needs reconnecting" was notified ${reconnect} times`);
    if (toldSince().includes("Lemon Squeezy (shop) is failing to sync")) fail("reconnecting was told as a failing connection");
  });

  await step("sign in with Whop through the browser, sync now: the connection and its run are the CLI's", async () => {
    const s = state.session;
    const card = '[data-testid="integration-whop"]';
    await openPage("integrations");
    await s.execute(`document.querySelector('[data-testid="integration-whop"]').scrollIntoView({ block: "center" }); return true;`);
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "integrations-sign-in.png"))} bytes: integrations-sign-in.png`);
    await s.click(`${card} [data-testid="sign-in"]`, { onFallback: log });
    await s.waitFor(`${card} [data-testid="connection"][data-state="active"]`, { timeoutMs: COMMIT_MS, what: "the card to show the signed-in connection" });
    const listed = (await cliJson("connections", "--json")).connections.find((c) => c.platform === "whop");
    if (!listed || listed.auth_kind !== "oauth") fail(`\`tributary connections\` says ${JSON.stringify(listed)}`);
    await s.click(`${card} [data-testid="sync-now"]`, { onFallback: log });
    const result = await s.waitFor(`${card} [data-testid="sync-result"]`, { timeoutMs: COMMIT_MS, what: "the Whop sync's result on the card" });
    log(`  ${await result.text()}`);
    const runs = await cliJson("sync", "runs", listed.name, "--json");
    const run = (runs.runs ?? runs)[0];
    if (!run || run.status !== "succeeded") fail(`\`tributary sync runs\` says ${JSON.stringify(run)}`);
    if (String(run.inserted) !== (await result.attribute("data-inserted"))) fail(`the card says ${await result.attribute("data-inserted")} new events, the run ${run.inserted}`);
    await checkDashboard("after syncing Whop");
    await openPage("integrations");
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "integrations-signed-in.png"))} bytes: integrations-signed-in.png`);
  });

  await step("a tributary daemon started beside the app waits: the app runs the syncs, one runner", async () => {
    const daemon = spawn(opts.cli, ["daemon"], { env: state.appEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    daemon.stdout.on("data", (c) => (out += c));
    daemon.stderr.on("data", (c) => (out += c));
    const exited = new Promise((done) => daemon.on("exit", (code, signal) => done({ code, signal })));
    try {
      await state.session.waitUntil(() => (out.includes("waiting to take over") ? true : undefined), {
        what: "tributary daemon to say the app runs the syncs",
      });
      if (!/the syncs are run by the tributary app/.test(out)) fail(`the daemon said: ${out.slice(0, 500)}`);
      if (out.includes("this process runs the syncs")) fail(`the daemon took the runner's lease from the app: ${out.slice(0, 500)}`);
      log(`  ${out.split("\n").find((l) => l.includes("waiting to take over"))?.trim()}`);
    } finally {
      daemon.kill("SIGTERM");
    }
    const end = await exited;
    if (end.code !== 0) fail(`the daemon ended with ${end.signal ?? `code ${end.code}`} on SIGTERM: ${out.slice(-500)}`);
  });

  await step("email alerts set up in Settings: a test email reaches the Resend stand-in, the key is in no file", async () => {
    const s = state.session;
    const key = "re_standin_key";
    await openPage("settings");
    await s.click(testId("email-set-up"), { onFallback: log });
    await setValue(testId("email-to-input"), "ana@studio.example", "input");
    await setValue(testId("email-from-input"), "Tributary <alerts@studio.example>", "input");
    await setValue(testId("email-secret"), key, "input");
    await s.click(testId("email-save"), { onFallback: log });
    await s.waitFor(testId("settings-email", { "data-state": "on" }), { what: "Settings to show the email alerts set up" });
    const saved = (await cliJson("alerts", "--json")).email;
    if (saved?.to !== "ana@studio.example" || saved?.via?.kind !== "resend") fail(`\`tributary alerts --json\` says ${JSON.stringify(saved)}`);
    await s.click(testId("email-test"), { onFallback: log });
    const emails = async () => (await (await fetch(`${state.resendUrl}/__admin/emails`)).json()).emails;
    const sent = await s.waitUntil(async () => {
      const list = await emails();
      return list.length ? list : undefined;
    }, { what: "the test email at the Resend stand-in" });
    if (sent.length !== 1 || sent[0].subject !== "Tributary's test email" || sent[0].to[0] !== "ana@studio.example") fail(`the stand-in took ${JSON.stringify(sent)}`);
    if (!sent[0].html?.includes("<p>") || !sent[0].text) fail("the test email lacks its HTML or text part");
    await s.waitFor(testId("toast"), { what: "the toast saying the test email went" });
    await s.execute("document.querySelector('[data-testid=settings-email]').scrollIntoView({ block: 'center' }); return true;", []);
    log(`  screenshot ${await s.screenshotTo(join(opts.out, "settings-email.png"))} bytes: settings-email.png`);
    if (holds(state.dataDir, key)) fail(`the Resend key is in a file under ${state.dataDir}`);
  });

  await step("screenshots of every page at 1,024 and 1,440 px, light and dark", async () => {
    const s = state.session;
    await dismissToasts();
    for (const width of WIDTHS) {
      await resizeWindow(width, 860);
      for (const theme of THEMES) {
        await openPage("settings");
        await s.click(testId(`theme-${theme}`), { onFallback: log });
        await s.waitUntil(
          () => s.execute("const h = document.documentElement; return h.getAttribute('data-theme') === arguments[0] && h.classList.contains('dark') === (arguments[0] === 'dark');", [theme]),
          { what: `<html data-theme="${theme}"> ${theme === "dark" ? "with" : "without"} class dark after clicking theme-${theme}` },
        );
        for (const page of PAGES) {
          await openPage(page);
          const name = `${page}-${width}-${theme}.png`;
          const size = await s.screenshotTo(join(opts.out, name));
          log(`  screenshot ${size} bytes: ${name}`);
          // A page longer than the window: its end too, so that nothing goes unseen.
          const longer = await s.execute(`const m = document.getElementById("main"); if (m.scrollHeight <= m.clientHeight + 8) return false; m.scrollTop = m.scrollHeight; return true;`);
          if (longer) {
            const end = `${page}-${width}-${theme}-end.png`;
            log(`  screenshot ${await s.screenshotTo(join(opts.out, end))} bytes: ${end}`);
            await s.execute(`document.getElementById("main").scrollTop = 0; return true;`);
          }
        }
      }
    }
    await resizeWindow(1280, 800);
  });

  await step("Ctrl+W closes the window and hands the tray to tributary-tray", async () => {
    await openPage("dashboard");
    try {
      await state.session.pressKeys(KEY.control, "w");
    } catch (e) {
      log(`  the window went while the keys were pressed (${e.message.split("\n")[0]})`);
    }
    // The app exits; the tray process takes the icon and writes its id beside the ledger.
    state.trayPid = await state.session.waitUntil(
      () => {
        let pid = null;
        try {
          pid = Number(readFileSync(join(state.dataDir, "tray.pid"), "utf8").trim());
        } catch {
          return undefined;
        }
        return pid && processName(pid) === "tributary-tray" ? pid : undefined;
      },
      { timeoutMs: COMMIT_MS, what: "tributary-tray to hold the icon (tray.pid in the data folder)" },
    );
    const appAlive = () =>
      readdirSync("/proc").some((entry) => {
        if (!/^\d+$/.test(entry)) return false;
        try {
          return readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[0] === opts.app;
        } catch {
          return false;
        }
      });
    await state.session.waitUntil(() => !appAlive(), { timeoutMs: COMMIT_MS, what: "the app to exit after handing the tray over" });
    log(`  tributary-tray (pid ${state.trayPid}) shows the icon; the app has exited`);
    // On the panel: one icon now, the tray process's, with the same menu the app's had.
    const summary = (await cliJson("health", "--json")).summary;
    const icon = await state.session.waitUntil(
      async () => {
        const items = await state.panel.items();
        return items.length === 1 && items[0].pid === state.trayPid && items[0].menu[0]?.label === summary.line ? items[0] : undefined;
      },
      { timeoutMs: COMMIT_MS, what: `one tray icon on the panel, tributary-tray's, saying "${summary.line}"` },
    );
    const labels = icon.menu.filter((e) => !e.separator).map((e) => e.label);
    const expected = [summary.line, "Sync now", "Pause syncing", "Open Tributary", "Quit"];
    if (labels.join("|") !== expected.join("|")) fail(`tributary-tray's menu is ${menuWords(icon)}, not ${expected.join(" | ")}`);
    log(`  tributary-tray's menu: ${menuWords(icon)}`);
    const normal = keepTrayIcon(icon, "tray-icon-tray-normal.png");
    // All is well again (shop reconnected): the plain icon, not the one with the error's dot.
    if (normal.equals(state.trayIcons.appError)) fail("tributary-tray shows the error icon while every connection syncs");
    state.trayIcons.normal = normal;
  });

  await step("tributary-tray notifies the new sales a scheduled sync brought in, and a refused key", async () => {
    // The window is gone: the tray process's scheduler syncs, and it tells (notify-rust on the bus).
    const from = state.notices.length;
    const said = () => state.notices.slice(from);
    const admin = state.standinUrl.replace(/\/v1$/, "/__admin");
    const post = async (path, body) => {
      const r = await fetch(`${admin}${path}`, { method: "POST", body: JSON.stringify(body) });
      if (!r.ok) fail(`the stand-in's ${path} answered ${r.status}: ${await r.text()}`);
    };
    const before = (await reportTotals()).USD?.sales ?? 0;
    await post("/orders", { product_name: "Zine no. 4", subtotal: 4200, currency: "USD", created_at: new Date().toISOString() });
    // "Pause syncing" in the tray's menu pauses every connection (in the ledger, as the CLI sees it),
    // and again resumes them.
    const trayLine = async () => (await state.panel.itemOf(state.trayPid))?.menu[0]?.label;
    await state.panel.click(state.trayPid, "Pause syncing");
    await state.session.waitUntil(async () => ((await cliJson("health", "--json")).summary?.line === "Syncing paused" ? true : undefined), {
      what: "tributary health to say \"Syncing paused\" after Pause syncing in the tray",
    });
    await state.session.waitUntil(async () => ((await trayLine()) === "Syncing paused" ? true : undefined), { what: 'the tray menu to say "Syncing paused"' });
    const paused = await state.panel.itemOf(state.trayPid);
    if (paused.menu.find((e) => e.label === "Pause syncing")?.checked !== true) fail(`Pause syncing is not ticked: ${menuWords(paused)}`);
    if (paused.menu.find((e) => e.label === "Sync now")?.enabled) fail(`Sync now is offered while paused: ${menuWords(paused)}`);
    log(`  paused: ${menuWords(paused)}`);
    await state.panel.click(state.trayPid, "Pause syncing");
    await state.session.waitUntil(async () => ((await cliJson("health", "--json")).summary?.line !== "Syncing paused" ? true : undefined), {
      what: "tributary health to stop saying \"Syncing paused\" after Pause syncing again",
    });
    // "Sync now" in the tray's menu: the tray's scheduler syncs at once.
    await state.session.waitUntil(async () => ((await state.panel.itemOf(state.trayPid))?.menu.find((e) => e.label === "Sync now")?.enabled ? true : undefined), {
      what: "Sync now to be offered in the tray menu again",
    });
    const clicked = Date.now();
    await state.panel.click(state.trayPid, "Sync now");
    await state.session.waitUntil(() => said().includes("New sales while Tributary was closed"), {
      timeoutMs: 60_000,
      what: 'a notification "New sales while Tributary was closed" from tributary-tray',
    });
    const added = ((await reportTotals()).USD?.sales ?? 0) - before;
    if (added <= 0) fail(`the sync added ${added} to USD sales`);
    const body = `${(added / 100).toFixed(2)} USD from Lemon Squeezy`;
    if (!said().includes(body)) fail(`the summary does not say "${body}": ${said().slice(0, 2000)}`);
    log(`  told: ${body}, ${((Date.now() - clicked) / 1000).toFixed(1)} s after Sync now in the tray menu`);

    await post("/keys/revoke", { key: "standin-lemonsqueezy-key-2" });
    await cliJson("sync", "--all", "--queue", "--json");
    await state.session.waitUntil(() => said().includes("Lemon Squeezy (shop) needs reconnecting"), {
      timeoutMs: 60_000,
      what: 'a notification "Lemon Squeezy (shop) needs reconnecting" from tributary-tray',
    });
    const shop = (await cliJson("connections", "--json")).connections.find((c) => c.name === "shop");
    if (shop?.state !== "needs_reconnect") fail(`after the tray's sync with a refused key, \`tributary connections\` says ${JSON.stringify(shop)}`);
    const broken = await state.session.waitUntil(
      async () => {
        const item = await state.panel.itemOf(state.trayPid);
        return item?.menu[0]?.label === "Lemon Squeezy (shop) needs reconnecting" ? item : undefined;
      },
      { what: 'the tray menu to say "Lemon Squeezy (shop) needs reconnecting"' },
    );
    log(`  tributary-tray's menu: ${menuWords(broken)}`);
    // The same level, the same icon as the app's tray showed for it; another than the plain one.
    const error = keepTrayIcon(broken, "tray-icon-tray-needs-reconnect.png");
    if (!error.equals(state.trayIcons.appError)) fail("tributary-tray's icon for a refused key is not the app's tray's");
    if (error.equals(state.trayIcons.normal)) fail("tributary-tray's icon did not change for a refused key");
    // The tray process's scheduler sends the email alert too (set up in Settings), once.
    const subject = "Lemon Squeezy (shop) needs reconnecting";
    const emailed = async () => (await (await fetch(`${state.resendUrl}/__admin/emails`)).json()).emails.filter((e) => e.subject === subject);
    await state.session.waitUntil(async () => ((await emailed()).length ? true : undefined), { timeoutMs: 60_000, what: `an email "${subject}" at the Resend stand-in, from the tray's scheduler` });
    if ((await emailed()).length !== 1) fail(`"${subject}" was emailed ${(await emailed()).length} times`);
  });

  await step("the tray menu as the desktop draws it, once the panel is gone: screenshot", async () => {
    // Without a StatusNotifierWatcher libappindicator falls back to an XEmbed icon; trayer is such a
    // tray (what older desktops have). Its menu is then GTK's own, drawn on the X display.
    state.trayer = spawn("trayer", ["--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "160", "--height", "32", "--transparent", "false", "--tint", "0xdddddd"], { stdio: "ignore" });
    state.trayer.on("error", (e) => log(`  trayer: ${e.message} (scripts/install-deps installs it)`));
    state.panel.stop();
    const x = async (...args) => (await execFileP("xdotool", args, { signal: deadline.signal, timeout: 10_000 })).stdout.trim();
    const icon = await state.session.waitUntil(
      async () => {
        const found = await x("search", "--classname", `^tray-icon tray app ${state.trayPid}-`).catch(() => "");
        return found.split("\n")[0] || undefined;
      },
      { timeoutMs: 20_000, what: "tributary-tray's icon in trayer (libappindicator's fallback once the panel is gone)" },
    );
    const at = Object.fromEntries(
      (await x("getwindowgeometry", "--shell", icon)).split("\n").map((l) => l.split("=")).map(([k, v]) => [k, Number(v)]),
    );
    const windows = async () => (await execFileP("xwininfo", ["-root", "-tree"], { signal: deadline.signal })).stdout;
    const menuShown = async () => /"tributary-tray": \("tributary-tray" "Tributary-tray"\)\s+(\d{3,})x(\d{2,})/.exec(await windows());
    await x("mousemove", String(at.X + Math.floor(at.WIDTH / 2)), String(at.Y + Math.floor(at.HEIGHT / 2)), "click", "1");
    await state.session.waitUntil(async () => (await menuShown()) ?? undefined, { timeoutMs: 10_000, what: "the tray menu to open on a click on the icon" });
    await new Promise((done) => setTimeout(done, 500)); // its first paint
    const whole = join(opts.out, "tray-menu-root.png");
    await execFileP("import", ["-window", "root", whole], { signal: deadline.signal, timeout: 20_000 });
    const shot = join(opts.out, "tray-menu.png");
    await execFileP("convert", [whole, "-gravity", "NorthEast", "-crop", "420x240+0+0", "+repage", shot], { signal: deadline.signal, timeout: 20_000 });
    rmSync(whole);
    log(`  screenshot ${readFileSync(shot).length} bytes: tray-menu.png (icon at ${at.X},${at.Y})`);
    await x("key", "Escape").catch(() => {});
  });

  const started = Boolean(state.driver);
  const leftover = await cleanup();
  if (started) {
    // Nothing the run started may outlive it.
    state.results.push({ name: "stop the app and tauri-driver", ok: !leftover, message: leftover });
    if (leftover) state.failure ??= { name: "stop the app and tauri-driver", message: leftover };
  }
  clearTimeout(runTimer);
  clearTimeout(lastResort);
  return summary();
}

main()
  .then((code) => process.exit(code))
  .catch(async (e) => {
    console.error(`e2e: unexpected error: ${e?.stack ?? e}`);
    await cleanup().catch(() => {});
    state.results.push({ name: "harness", ok: false });
    process.exit(summary() || 1);
  });
