import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { EmailSettings } from "../bindings";
import { renderApp } from "./harness";

const resend: EmailSettings = { to: "ana@studio.example", from: "Tributary <alerts@studio.example>", via: { kind: "resend" }, alerts: true, digest_at: 480 };

const section = () => screen.getByTestId("settings-email");
const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe("Settings › Email alerts", () => {
  it("sets up Resend: the key goes with the save and is not shown again", async () => {
    const r = renderApp({ set_email_alerts: (a: Record<string, unknown>) => a.settings }, "settings");
    await waitFor(() => expect(section()).toHaveAttribute("data-state", "off"));
    fireEvent.click(screen.getByTestId("email-set-up"));
    expect(section()).toHaveAttribute("data-state", "editing");
    type("email-to-input", "ana@studio.example");
    type("email-from-input", "Tributary <alerts@studio.example>");
    type("email-secret", "re_123");
    expect(screen.getByTestId("email-secret")).toHaveAttribute("type", "password");
    fireEvent.click(screen.getByTestId("email-save"));
    await waitFor(() => expect(r.called("set_email_alerts")).toHaveLength(1));
    expect(r.called("set_email_alerts")[0]!.args).toEqual({
      settings: { to: "ana@studio.example", from: "Tributary <alerts@studio.example>", via: { kind: "resend" }, alerts: true, digest_at: null },
      secret: "re_123",
    });
    await waitFor(() => expect(section()).toHaveAttribute("data-state", "on"));
    expect(screen.getByTestId("email-to")).toHaveTextContent("To ana@studio.example");
    expect(screen.getByTestId("email-summary")).toHaveTextContent("through Resend. Connection alerts on; no daily digest.");
    expect(section()).not.toHaveTextContent("re_123");
    expect(screen.getByTestId("toast")).toHaveTextContent("Email alerts saved");
  });

  it("sets up a mail server with a login and a digest at 07:30", async () => {
    const r = renderApp({ set_email_alerts: (a: Record<string, unknown>) => a.settings }, "settings");
    fireEvent.click(await screen.findByTestId("email-set-up"));
    type("email-to-input", "ana@studio.example");
    type("email-from-input", "alerts@studio.example");
    fireEvent.click(screen.getByTestId("email-via-smtp"));
    type("email-host", "smtp.fastmail.com");
    type("email-port", "465x");
    expect(screen.getByTestId("email-port")).toHaveValue("465");
    type("email-security", "tls");
    type("email-username", "ana");
    type("email-secret", "app-password");
    fireEvent.click(screen.getByTestId("email-alerts"));
    fireEvent.click(screen.getByTestId("email-digest"));
    type("email-digest-at", "07:30");
    fireEvent.click(screen.getByTestId("email-save"));
    await waitFor(() => expect(r.called("set_email_alerts")).toHaveLength(1));
    expect(r.called("set_email_alerts")[0]!.args).toEqual({
      settings: { to: "ana@studio.example", from: "alerts@studio.example", via: { kind: "smtp", host: "smtp.fastmail.com", port: 465, security: "tls", username: "ana" }, alerts: false, digest_at: 450 },
      secret: "app-password",
    });
    await waitFor(() => expect(screen.getByTestId("email-summary")).toHaveTextContent("through SMTP smtp.fastmail.com:465. Connection alerts off; a digest of yesterday each day at 07:30."));
  });

  it("sends a test email and says what the server answered, or why not", async () => {
    let fail = false;
    const r = renderApp({
      email_alerts: resend,
      send_test_email: () => {
        if (fail) throw { code: "email_not_sent", message: "the email was not sent: Resend (POST /emails): the credentials may not do this (403 Forbidden): \"API key is invalid.\"", hint: "Check the address, the key or the server's login.", retry: true };
        return "4ef9a417-02e9";
      },
    }, "settings");
    await waitFor(() => expect(section()).toHaveAttribute("data-state", "on"));
    expect(screen.getByTestId("email-summary")).toHaveTextContent("From Tributary <alerts@studio.example>, through Resend. Connection alerts on; a digest of yesterday each day at 08:00.");
    fireEvent.click(screen.getByTestId("email-test"));
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("Test email sent"));
    expect(screen.getByTestId("toast")).toHaveTextContent("4ef9a417-02e9");
    expect(r.called("send_test_email")).toHaveLength(1);
    fail = true;
    fireEvent.click(screen.getByTestId("email-test"));
    await waitFor(() => expect(screen.getAllByTestId("toast").some((t) => t.textContent?.includes("API key is invalid"))).toBe(true));
    const refused = screen.getAllByTestId("toast").find((t) => t.textContent?.includes("API key is invalid"))!;
    expect(within(refused).getByText(/The test email was not sent/)).toBeInTheDocument();
    expect(refused).toHaveTextContent("Check the address, the key or the server's login.");
  });

  it("editing keeps the saved key when the field is left empty; a refused save keeps the form", async () => {
    let refuse = true;
    const r = renderApp({
      email_alerts: resend,
      set_email_alerts: (a: Record<string, unknown>) => {
        if (refuse) throw { code: "email_invalid", message: "to: \"ana@localhost\" is not an email address (invalid domain)", hint: null, retry: false };
        return a.settings;
      },
    }, "settings");
    fireEvent.click(await screen.findByTestId("email-edit"));
    expect(screen.getByTestId("email-to-input")).toHaveValue("ana@studio.example");
    expect(screen.getByTestId("email-secret")).not.toBeRequired();
    expect(screen.getByTestId("email-digest")).toHaveAttribute("aria-checked", "true");
    expect(screen.getByTestId("email-digest-at")).toHaveValue("08:00");
    type("email-to-input", "ana@localhost");
    fireEvent.click(screen.getByTestId("email-save"));
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("is not an email address"));
    expect(section()).toHaveAttribute("data-state", "editing");
    refuse = false;
    type("email-to-input", "ana@newstudio.example");
    fireEvent.click(screen.getByTestId("email-save"));
    await waitFor(() => expect(section()).toHaveAttribute("data-state", "on"));
    expect(r.called("set_email_alerts").at(-1)!.args).toMatchObject({ secret: null, settings: { to: "ana@newstudio.example", digest_at: 480 } });
  });

  it("turns email alerts off", async () => {
    const r = renderApp({ email_alerts: resend, remove_email_alerts: null }, "settings");
    fireEvent.click(await screen.findByTestId("email-off"));
    await waitFor(() => expect(section()).toHaveAttribute("data-state", "off"));
    expect(r.called("remove_email_alerts")).toHaveLength(1);
    expect(screen.getByTestId("toast")).toHaveTextContent("Email alerts are off");
  });
});
