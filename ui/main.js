// Tributary's first window: asks the Rust side for the ledger summary and shows it.
// Everything is written with textContent, never as HTML.

const $ = (id) => document.getElementById(id);
const counts = new Intl.NumberFormat();

/** Digits after the decimal point for a currency, per the locale data (fallback only). */
function intlExponent(currency) {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
}

/**
 * Formats minor units (integer cents, yen, fils…) as money. The exponent the engine sends (ISO 4217)
 * wins over the locale's, as the ledger used it to store the amount.
 */
function money(minor, currency, exponent) {
  try {
    const digits = Number.isInteger(exponent) ? exponent : intlExponent(currency);
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(minor / 10 ** digits);
  } catch {
    // A code Intl does not know: show the raw minor units rather than nothing.
    return `${minor} ${currency} (minor units)`;
  }
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function showSummary(summary) {
  $('data-dir').textContent = summary.data_dir;
  $('event-count').textContent = counts.format(summary.events);
  $('event-noun').textContent = summary.events === 1 ? 'event' : 'events';

  const totals = summary.totals ?? [];
  $('empty').hidden = totals.length > 0;
  $('totals').hidden = totals.length === 0;

  const rows = totals.map((t) => {
    const tr = document.createElement('tr');
    const code = document.createElement('th');
    code.scope = 'row';
    code.textContent = t.currency;
    tr.append(
      code,
      cell(money(t.gross_minor, t.currency, t.exponent), 'num'),
      cell(money(t.fees_minor, t.currency, t.exponent), 'num'),
      cell(money(t.net_minor, t.currency, t.exponent), 'num net'),
      cell(counts.format(t.events), 'num'),
    );
    return tr;
  });
  document.querySelector('#totals tbody').replaceChildren(...rows);
  $('summary').hidden = false;
}

function showError(error) {
  // Commands reject with { code, message }; anything else is shown as it is.
  const message = error && typeof error === 'object' && 'message' in error ? error.message : String(error);
  const el = $('error');
  el.textContent = `Could not read the ledger: ${message}`;
  if (error && error.code) el.dataset.code = error.code;
  el.hidden = false;
  $('summary').hidden = true;
  // The folder is unknown when resolving it failed; the message names it otherwise.
  $('data-dir-line').hidden = true;
}

async function load() {
  const invoke = window.__TAURI__?.core?.invoke;
  try {
    if (!invoke) {
      showError({ code: 'no_backend', message: 'this page must run inside the Tributary app' });
      return;
    }
    showSummary(await invoke('ledger_summary'));
  } catch (error) {
    showError(error);
  } finally {
    $('loading').hidden = true;
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', load);
} else {
  load();
}
