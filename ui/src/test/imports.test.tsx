import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { Channel } from "@tauri-apps/api/core";
import { act } from "react";
import { describe, expect, it } from "vitest";
import type { ImportProgress } from "../bindings";
import * as fx from "../mock/fixtures";
import { emitEvent, pending, renderApp } from "./harness";

const preview = () => screen.getByTestId("preview");
const count = (id: string) => screen.getByTestId(`preview-count-${id}`).getAttribute("data-value");

async function open(path: string) {
  await act(async () => window.__tributary!.previewFile(path));
}

describe("Imports", () => {
  it("previewFile opens the preview with counts and rejected rows", async () => {
    renderApp({ preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)) });
    await open("/home/ana/stripe.csv");
    expect(screen.getByTestId("page-imports")).toBeInTheDocument();
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "ready"));
    // Named as `tributary formats` names it, not by its machine name.
    await waitFor(() => expect(screen.getByTestId("preview-format")).toHaveTextContent("Stripe payments export"));
    expect(screen.getByTestId("preview-format")).toHaveAttribute("data-format", "stripe-payments");
    expect(count("new")).toBe("1190");
    expect(count("updated")).toBe("12");
    expect(count("duplicates")).toBe("71");
    expect(count("rejected")).toBe("3");
    expect(count("skipped")).toBe("8");
    const rows = screen.getAllByTestId("preview-error-row");
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent("214");
    expect(rows[0]).toHaveTextContent("Amount");
    expect(rows[0]).toHaveTextContent("thousands separator");
    expect(screen.getByTestId("preview-would-add")).toHaveTextContent("+$23,304.70");
    expect(screen.getByTestId("preview-warnings")).toHaveTextContent("payout rows");
    expect(screen.getByText("UTF-8")).toBeInTheDocument();
  });

  it("shows loading while the dry run runs", async () => {
    renderApp({ preview_import: pending });
    await open("/tmp/big.csv");
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "loading"));
  });

  it("imports with progress, then toasts and closes the preview", async () => {
    let release: () => void = () => undefined;
    const r = renderApp({
      preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)),
      commit_import: (a: Record<string, unknown>) => {
        (a.onProgress as Channel<ImportProgress>).onmessage({ rows: 500, bytes_read: 50, total_bytes: 100 });
        return new Promise((res) => (release = () => res(fx.fileImport(String(a.path), { dry_run: false, batch_id: 9 }))));
      },
    }, "imports");
    await open("/home/ana/stripe.csv");
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "ready"));
    fireEvent.click(screen.getByTestId("preview-import"));
    await waitFor(() => expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "50"));
    expect(r.called("commit_import")[0]!.args).toMatchObject({ path: "/home/ana/stripe.csv", format: "stripe-payments" });
    await act(async () => release());
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("Imported stripe.csv"));
    expect(screen.queryByTestId("preview")).not.toBeInTheDocument();
    // The Import button went with the preview; the keyboard is not sent back to the top of the window.
    await waitFor(() => expect(screen.getByTestId("drop-zone")).toHaveFocus());
  });

  it("says so while the import waits for another one to finish", async () => {
    let release: () => void = () => undefined;
    renderApp({
      preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)),
      commit_import: (a: Record<string, unknown>) => {
        (a.onProgress as Channel<ImportProgress>).onmessage({
          rows: 0, bytes_read: 0, total_bytes: 100, waiting_for: "importing big.csv, process 4242",
        });
        return new Promise((res) => (release = () => res(fx.fileImport(String(a.path), { dry_run: false, batch_id: 9 }))));
      },
    }, "imports");
    await open("/home/ana/stripe.csv");
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "ready"));
    fireEvent.click(screen.getByTestId("preview-import"));
    await waitFor(() => expect(screen.getByTestId("import-progress")).toHaveTextContent("Waiting for another import to finish"));
    await act(async () => release());
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("Imported stripe.csv"));
  });

  it("previews several dropped files one after another", async () => {
    renderApp({ preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)) }, "imports");
    await act(async () => {
      const { enqueueFiles } = await import("../lib/importQueue");
      enqueueFiles(["/a/one.csv", "/a/two.csv"]);
    });
    await waitFor(() => expect(preview()).toHaveTextContent("one.csv"));
    expect(preview()).toHaveTextContent("1 more file waiting");
    screen.getByTestId("preview-cancel").focus();
    fireEvent.click(screen.getByTestId("preview-cancel"));
    await waitFor(() => expect(preview()).toHaveTextContent("two.csv"));
    expect(preview()).toHaveFocus();
  });

  it("leaving the page during an import neither offers it again nor loses the next file", async () => {
    let release: () => void = () => undefined;
    const r = renderApp({
      preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)),
      commit_import: (a: Record<string, unknown>) =>
        new Promise((res) => (release = () => res(fx.fileImport(String(a.path), { dry_run: false, batch_id: 9 })))),
    }, "imports");
    await act(async () => {
      const { enqueueFiles } = await import("../lib/importQueue");
      enqueueFiles(["/a/one.csv", "/a/two.csv"]);
    });
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "ready"));
    fireEvent.click(screen.getByTestId("preview-import"));
    fireEvent.click(screen.getByTestId("nav-dashboard"));
    fireEvent.click(screen.getByTestId("nav-imports"));
    await waitFor(() => expect(preview()).toHaveTextContent("one.csv"));
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "ready"));
    expect(screen.getByTestId("preview-import")).toBeDisabled();
    expect(screen.getByTestId("preview-cancel")).toBeDisabled();
    await act(async () => release());
    await waitFor(() => expect(preview()).toHaveTextContent("two.csv"));
    expect(r.called("commit_import")).toHaveLength(1);
  });

  it("an unknown CSV shows the backend's message and offers a column mapping", async () => {
    const r = renderApp({
      preview_import: (a: Record<string, unknown>) => {
        if (!a.format) throw { code: "unknown_format", message: "bank.csv: the format was not recognised", hint: "Create a column mapping.", retry: false };
        return fx.fileImport(String(a.path), { format: String(a.format) });
      },
      csv_sample: fx.csvSample(),
      preview_mapping: (a: Record<string, unknown>) => fx.fileImport(String(a.path), { format: "bank" }),
      save_mapping: (a: Record<string, unknown>) => ({ name: (a.draft as { name: string }).name, title: "Bank", platform: "bank" }),
    }, "imports");
    await open("/home/ana/bank.csv");
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "error"));
    expect(screen.getByTestId("error-message")).toHaveTextContent("the format was not recognised");
    expect(screen.getByTestId("error-hint")).toHaveTextContent("Create a column mapping.");
    // Reading the same file the same way again cannot help: the mapping can, and no Retry is offered.
    expect(within(preview()).queryByRole("button", { name: /retry/i })).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId("create-mapping"));
    await waitFor(() => expect(screen.getByTestId("mapping-sample")).toHaveTextContent("Buchungstag"));
    await waitFor(() => expect(screen.getByTestId("mapping-preview")).toHaveAttribute("data-state", "ready"), { timeout: 3000 });
    const draft = r.called("preview_mapping")[0]!.args.draft as Record<string, unknown>;
    expect(draft).toMatchObject({ date_column: "Buchungstag", gross: "Betrag", currency_column: "Währung", id_column: "Referenz", country: "Land", quantity: "Menge", fees: ["Gebühr"] });
    // Refund rows can be marked as a mapping file can mark them: here, by a negative amount.
    fireEvent.click(screen.getByLabelText("A negative amount is a refund"));
    await waitFor(() => expect(r.called("preview_mapping").at(-1)!.args.draft).toMatchObject({ refund_when_negative: true }), { timeout: 3000 });
    fireEvent.click(screen.getByTestId("save-mapping"));
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "ready"));
    expect(r.called("preview_import").at(-1)!.args).toMatchObject({ path: "/home/ana/bank.csv", format: "bank" });
  });

  it("does not offer a mapping for a workbook", async () => {
    renderApp({ preview_import: () => { throw { code: "unknown_format", message: "x.xlsx: not recognised", hint: null }; } }, "imports");
    await open("/home/ana/x.xlsx");
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "error"));
    expect(screen.queryByTestId("create-mapping")).not.toBeInTheDocument();
  });

  it("lists batches and undoes one after confirmation", async () => {
    let batches = fx.batches();
    const taken = [{ currency: "USD", sales_minor: -130900, refunds_minor: -2380, chargebacks_minor: 0, fees_minor: -9520, adjustments_minor: 0, net_minor: -119000, units: -1190, kenp_pages: 0, events: -1190, estimated_events: 0 }];
    const r = renderApp({
      list_batches: () => batches,
      undo_batch: (a: Record<string, unknown>) => {
        const b = batches.find((x) => x.id === a.id)!;
        batches = batches.map((x) => (x.id === a.id ? { ...x, status: "undone" } : x));
        return { batch: { ...b, status: "undone" }, removed: b.inserted, restored: 0, kept: 0, forgotten_revisions: 0, changed: taken };
      },
      undo_preview: () => taken,
    }, "imports");
    await waitFor(() => expect(screen.getByTestId("page-imports")).toHaveAttribute("data-state", "data"));
    const rows = screen.getAllByTestId("batch-row");
    expect(rows).toHaveLength(6);
    expect(rows[0]).toHaveAttribute("data-batch-id", "7");
    expect(rows[0]).toHaveAttribute("data-status", "imported");
    within(rows[0]!).getByTestId("batch-undo").focus();
    fireEvent.click(within(rows[0]!).getByTestId("batch-undo"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Undo this import?");
    // Before anything is undone, the dialog says what money goes with the rows.
    const effect = await within(dialog).findByTestId("undo-effect");
    expect(effect.querySelector('[data-figure="net_minor"]')).toHaveTextContent("-$1,190.00");
    expect(effect.querySelector('[data-figure="refunds_minor"]')).toHaveTextContent("+$23.80");
    expect(r.called("undo_preview")[0]!.args).toEqual({ id: 7 });
    expect(r.called("undo_batch")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("confirm-undo"));
    await waitFor(() => expect(r.called("undo_batch")[0]!.args).toEqual({ id: 7 }));
    await waitFor(() => expect(screen.getAllByTestId("batch-row")[0]).toHaveAttribute("data-status", "undone"));
    expect(screen.getByTestId("toast")).toHaveTextContent("Undid");
    expect(screen.getByTestId("toast")).toHaveTextContent("Net -$1,190.00.");
    // Its Undo button is gone: the row itself holds the keyboard's place.
    expect(screen.getAllByTestId("batch-row")[0]).toHaveFocus();
  });

  it("an undo says how many rows stay because another import has them", async () => {
    let batches = fx.batches();
    renderApp({
      list_batches: () => batches,
      undo_batch: (a: Record<string, unknown>) => {
        const b = batches.find((x) => x.id === a.id)!;
        batches = batches.map((x) => (x.id === a.id ? { ...x, status: "undone" } : x));
        return { batch: { ...b, status: "undone" }, removed: 3, restored: 1, kept: 40, forgotten_revisions: 0, changed: [] };
      },
    }, "imports");
    await waitFor(() => expect(screen.getByTestId("page-imports")).toHaveAttribute("data-state", "data"));
    fireEvent.click(within(screen.getAllByTestId("batch-row")[0]!).getByTestId("batch-undo"));
    expect(await screen.findByRole("dialog")).toHaveTextContent("keeps what another import also has");
    fireEvent.click(screen.getByTestId("confirm-undo"));
    await waitFor(() =>
      expect(screen.getByTestId("toast")).toHaveTextContent("3 events removed, 1 restored, 40 kept, since another import still has them."),
    );
  });

  it("shows the newest fifty imports, and the rest on asking", async () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ ...fx.batches()[0]!, id: 120 - i, file_name: `day-${120 - i}.csv` }));
    renderApp({ list_batches: many }, "imports");
    await waitFor(() => expect(screen.getAllByTestId("batch-row")).toHaveLength(50));
    expect(screen.getAllByTestId("batch-row")[49]).toHaveAttribute("data-batch-id", "71");
    screen.getByTestId("history-show-all").focus();
    fireEvent.click(screen.getByTestId("history-show-all"));
    expect(screen.getAllByTestId("batch-row")).toHaveLength(120);
    expect(screen.queryByTestId("history-show-all")).not.toBeInTheDocument();
    // The button went; the first row it brought has the focus.
    expect(screen.getAllByTestId("batch-row")[50]).toHaveFocus();
  });

  it("cancelling the confirmation undoes nothing", async () => {
    const r = renderApp({}, "imports");
    await waitFor(() => expect(screen.getAllByTestId("batch-row").length).toBeGreaterThan(0));
    const undo = screen.getAllByTestId("batch-undo")[0]!;
    undo.focus();
    fireEvent.click(undo);
    fireEvent.click(await screen.findByRole("button", { name: "Keep it" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(r.called("undo_batch")).toHaveLength(0);
    // Focus goes back to the button that opened the dialog.
    await waitFor(() => expect(undo).toHaveFocus());
  });

  it("has empty, loading and error states", async () => {
    const a = renderApp({ list_batches: [] }, "imports");
    await waitFor(() => expect(screen.getByTestId("page-imports")).toHaveAttribute("data-state", "empty"));
    expect(screen.getByText("No imports yet")).toBeInTheDocument();
    a.unmount();
    const b = renderApp({ list_batches: pending }, "imports");
    expect(screen.getByTestId("page-imports")).toHaveAttribute("data-state", "loading");
    b.unmount();
    renderApp({ list_batches: () => { throw { code: "ledger", message: "the ledger is locked", hint: "Close the other window." }; } }, "imports");
    await waitFor(() => expect(screen.getByTestId("page-imports")).toHaveAttribute("data-state", "error"));
    expect(screen.getByTestId("error-message")).toHaveTextContent("the ledger is locked");
  });

  it("a file from a second launch opens its preview", async () => {
    renderApp({ preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)) });
    await emitEvent("open-file", "/home/ana/from-tray.csv");
    await waitFor(() => expect(preview()).toHaveTextContent("from-tray.csv"));
  });
});

describe("Import all", () => {
  it("imports every waiting file as its own batch, then says what each did", async () => {
    const r = renderApp({
      preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)),
      commit_import: (a: Record<string, unknown>) => {
        const path = String(a.path);
        if (path.includes("broken")) throw { code: "file_unreadable", message: `${path}: this workbook is damaged or incomplete`, hint: null, retry: true };
        return { ...fx.fileImport(path, { dry_run: false, batch_id: 9, inserted: 12 }), replaces: path.includes("03") ? [{ month: "2026-03", marketplace: "Amazon.com", platform: "kdp", currency: "USD", events: 4, files: ["d.xlsx"] }] : [] };
      },
    }, "imports");
    for (const month of ["01", "02", "03"]) await open(`/home/ana/KDP_Prior_Month_Royalties-2026-${month}-01.xlsx`);
    await open("/home/ana/broken.xlsx");
    await waitFor(() => expect(preview()).toHaveAttribute("data-state", "ready"));
    fireEvent.click(screen.getByTestId("import-all-start"));
    await waitFor(() => expect(screen.getByTestId("import-all")).toHaveAttribute("data-state", "done"));
    // One batch per file, in the order they came.
    expect(r.called("commit_import").map((c) => String(c.args.path).split("/").pop())).toEqual([
      "KDP_Prior_Month_Royalties-2026-01-01.xlsx", "KDP_Prior_Month_Royalties-2026-02-01.xlsx", "KDP_Prior_Month_Royalties-2026-03-01.xlsx", "broken.xlsx",
    ]);
    const rows = screen.getAllByTestId("import-all-row");
    expect(rows.map((row) => row.dataset.ok)).toEqual(["true", "true", "true", "false"]);
    expect(rows[2]).toHaveTextContent("replaced 4 estimates");
    expect(rows[3]).toHaveTextContent("damaged or incomplete");
    expect(screen.getByTestId("import-all")).toHaveTextContent("Imported 3 of 4 files");
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("Imported 3 of 4 files"));
    fireEvent.click(screen.getByTestId("import-all-close"));
    await waitFor(() => expect(screen.queryByTestId("import-all")).not.toBeInTheDocument());
  });
});
