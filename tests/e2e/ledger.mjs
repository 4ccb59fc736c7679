// The `tributary` CLI on the app's data folder: what the window's figures are checked against.
import { basename } from "node:path";
import { deadline, execFileP, fail, state } from "./context.mjs";

/** `tributary --data-dir DIR ARGS…` (the app's data folder unless `dataDir` says another). */
export async function cliIn(dataDir, args) {
  try {
    const { stdout } = await execFileP(state.opts.cli, ["--data-dir", dataDir, ...args], { signal: deadline.signal, timeout: 60_000, maxBuffer: 64 << 20 });
    return stdout;
  } catch (e) {
    fail(`\`tributary ${args.join(" ")}\` failed: ${(e.stderr || e.message || "").trim()}`);
  }
}

export const cli = (...args) => cliIn(state.dataDir, args);

export async function cliJsonIn(dataDir, args) {
  const out = await cliIn(dataDir, args);
  try {
    return JSON.parse(out);
  } catch {
    return fail(`\`tributary ${args.join(" ")}\` did not print JSON: ${out.slice(0, 300)}`);
  }
}

export const cliJson = (...args) => cliJsonIn(state.dataDir, args);

/** What `import --dry-run --json` says the file would do. */
export async function dryRun(file) {
  const result = (await cliJson("import", file, "--dry-run", "--json")).files?.[0];
  if (!result) fail(`\`tributary import ${basename(file)} --dry-run --json\` gave no file result`);
  return result;
}

/** The report's totals per currency: { USD: { sales, refunds, chargebacks, fees, adjustments, net, units }, … }. */
export async function reportTotals(dataDir = state.dataDir) {
  const report = await cliJsonIn(dataDir, ["report", "--json"]);
  const out = {};
  for (const t of report.totals ?? []) {
    out[t.currency] = { units: t.units };
    for (const f of ["sales", "refunds", "chargebacks", "fees", "adjustments", "net"]) out[t.currency][f] = t[`${f}_minor`];
  }
  return out;
}

export async function batch(id) {
  const { batches } = await cliJson("batches", "--json");
  return (batches ?? []).find((b) => String(b.id) === String(id));
}

