#!/usr/bin/env node
// Checks the harness itself, without the app: starts tauri-driver, opens a session on WebKitGTK's
// MiniBrowser with a small page (under the same CSP as the app), and exercises every call run.mjs uses
// (find, click, text, attribute, execute, waitFor, waitForAbsent, screenshot, delete), then checks that
// ending the driver's process group left nothing running.
//
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- node tests/e2e/selftest.mjs
//
// Options: --driver PATH, --native-driver PATH, --browser PATH (default: WebKitGTK's MiniBrowser).
// Ends with `e2e selftest: N passed, M failed`.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, testId, WaitTimeout, WebDriverError } from "./webdriver.mjs";
import { driverEnv, findExecutable, startDriver } from "./driver.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const browser = opt("--browser", ["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser"].find(existsSync));
const nativeDriver = opt("--native-driver", "/usr/bin/WebKitWebDriver");
const driverPath = findExecutable(opt("--driver", "tauri-driver"));

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:">
<title>selftest</title></head><body>
<button data-testid="go">Go</button>
<p data-testid="out" data-value="0">idle</p>
<div data-testid="row" data-batch-id="1" data-status="imported"><button data-testid="batch-undo">Undo</button></div>
<div data-testid="row" data-batch-id="2" data-status="imported"><button data-testid="batch-undo">Undo</button></div>
</body></html>`;
// The page's behaviour, installed through execute (inline scripts are refused by the CSP, as in the app).
const BEHAVIOUR = `
  const out = document.querySelector('[data-testid="out"]');
  document.querySelector('[data-testid="go"]').addEventListener('click', () => {
    setTimeout(() => { out.textContent = 'clicked'; out.setAttribute('data-value', '42'); }, 300);
  });
  for (const b of document.querySelectorAll('[data-testid="batch-undo"]')) b.addEventListener('click', () => {
    setTimeout(() => { b.parentElement.setAttribute('data-status', 'undone'); b.remove(); }, 200);
  });
  window.__tributary = { previewFile: (p) => { document.title = 'preview ' + p; } };
  return true;`;

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push(true);
    console.log(`✓ ${name}`);
  } catch (e) {
    results.push(false);
    console.log(`✗ ${name}: ${e.message}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const home = mkdtempSync(join(tmpdir(), "tributary-e2e-selftest-"));
let driver;
let session;
try {
  assert(process.env.DISPLAY, 'no DISPLAY: run inside xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session --');
  assert(driverPath, "tauri-driver not found (cargo install tauri-driver --locked)");
  assert(browser && existsSync(browser), "MiniBrowser not found (--browser PATH)");
  driver = await startDriver({ driver: driverPath, nativeDriver, env: driverEnv({ HOME: home, NO_AT_BRIDGE: "1" }) });
  const client = new Client(driver.url);

  await check("tauri-driver answers GET /status", async () => {
    const status = await client.waitUntilReady(15_000);
    assert(status.ready === true, `status ${JSON.stringify(status)}`);
  });
  await check("a session opens through tauri:options", async () => {
    session = await client.newSession({ alwaysMatch: { "tauri:options": { application: browser, args: ["--automation"] } } });
    await session.navigate(`data:text/html;charset=utf-8,${encodeURIComponent(PAGE)}`);
    assert((await session.title()) === "selftest", "page not loaded");
  });
  await check("execute runs under a strict CSP and returns values", async () => {
    assert((await session.execute(BEHAVIOUR)) === true, "behaviour not installed");
    const v = await session.execute("return [arguments[0] + 1, typeof window.__tributary.previewFile]", [41]);
    assert(JSON.stringify(v) === '[42,"function"]', JSON.stringify(v));
  });
  await check("find, click, waitFor, text, attribute", async () => {
    assert((await session.find(testId("nope"))) === null, "find of nothing is not null");
    await session.click(testId("go"));
    const out = await session.waitFor(testId("out", { "data-value": "42" }), { timeoutMs: 5_000 });
    assert((await out.text()) === "clicked", "text");
    assert((await out.attribute("data-value")) === "42", "attribute");
    assert((await out.attribute("data-absent")) === null, "absent attribute is not null");
  });
  await check("a button inside a row, and a status change", async () => {
    const row = testId("row", { "data-batch-id": 2 });
    await session.click(`${row} ${testId("batch-undo")}`);
    await session.waitFor(testId("row", { "data-batch-id": 2, "data-status": "undone" }), { timeoutMs: 5_000 });
    await session.waitForAbsent(`${row} ${testId("batch-undo")}`, { timeoutMs: 5_000 });
    assert((await session.findAll(testId("batch-undo"))).length === 1, "the other row's button is gone too");
  });
  await check("a wait that fails names what it waited for", async () => {
    try {
      await session.waitFor(testId("never"), { timeoutMs: 400 });
      throw new Error("no timeout");
    } catch (e) {
      assert(e instanceof WaitTimeout && e.message.includes('[data-testid="never"]'), e.message);
    }
    try {
      await session.click(testId("out", { "data-value": "7" }), { timeoutMs: 300 });
      throw new Error("no timeout");
    } catch (e) {
      assert(e instanceof WaitTimeout, e.message);
    }
  });
  await check("screenshots are PNGs of what the page shows now", async () => {
    const file = join(home, "shot.png");
    const size = await session.screenshotTo(file);
    assert(size > 1000, `only ${size} bytes`);
  });
  await check("delete closes the session", async () => {
    await session.delete();
    try {
      await session.title();
      throw new Error("the session still answers");
    } catch (e) {
      assert(e instanceof WebDriverError, e.message);
    }
  });
} catch (e) {
  results.push(false);
  console.log(`✗ ${e.message}`);
} finally {
  if (session && !session.deleted) await session.delete().catch(() => {});
  if (driver) {
    const pgid = driver.pid;
    const how = await driver.stop();
    let left = "";
    try {
      left = execFileSync("ps", ["-o", "pid=,comm=", "-g", String(pgid)], { encoding: "utf8" }).trim();
    } catch {
      left = ""; // ps exits 1 when nothing matches
    }
    results.push(!left);
    console.log(`${left ? "✗" : "✓"} tauri-driver's process group ended (${how})${left ? `; still running:\n${left}` : ""}`);
  }
  rmSync(home, { recursive: true, force: true });
}
const passed = results.filter(Boolean).length;
console.log(`e2e selftest: ${passed} passed, ${results.length - passed} failed`);
process.exit(results.every(Boolean) ? 0 : 1);
