// Settings › Email alerts: connection alerts (failing, needs reconnecting, paused itself, syncs again)
// and a daily digest of yesterday by email, through Resend (an API key) or the creator's own mail server
// (SMTP). The key or password goes to the system keyring from a masked field and never comes back;
// "Send test email" sends one at once, the way alerts go, and says what the server answered.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { EmailSettings, SmtpSecurity } from "../../bindings";
import { toast } from "../../components/toast";
import { Button, Card, cx, ErrorState, Field, inputClass, Segmented, Skeleton, Switch } from "../../components/ui";
import * as ipc from "../../ipc";
import { keys } from "../../lib/queries";

type Via = "resend" | "smtp";

interface Draft {
  to: string;
  from: string;
  via: Via;
  host: string;
  port: string;
  security: SmtpSecurity;
  username: string;
  secret: string;
  alerts: boolean;
  digest: boolean;
  digestAt: string;
}

const SECURITY: Array<{ value: SmtpSecurity; label: string }> = [
  { value: "starttls", label: "STARTTLS (port 587)" },
  { value: "tls", label: "TLS (port 465)" },
  { value: "none", label: "None (a relay on this computer)" },
];

/** 510 → "08:30". */
export function timeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function draftOf(s: EmailSettings | null): Draft {
  const smtp = s?.via.kind === "smtp" ? s.via : null;
  return {
    to: s?.to ?? "",
    from: s?.from ?? "",
    via: s?.via.kind ?? "resend",
    host: smtp?.host ?? "",
    port: smtp ? String(smtp.port) : "587",
    security: smtp?.security ?? "starttls",
    username: smtp?.username ?? "",
    secret: "",
    alerts: s?.alerts ?? true,
    digest: s ? s.digest_at !== null : false,
    digestAt: s?.digest_at != null ? timeOfDay(s.digest_at) : "08:00",
  };
}

function settingsOf(d: Draft): EmailSettings {
  const [h, m] = d.digestAt.split(":").map(Number);
  return {
    to: d.to.trim(),
    from: d.from.trim(),
    via: d.via === "resend"
      ? { kind: "resend" }
      : { kind: "smtp", host: d.host.trim(), port: Number(d.port) || 0, security: d.security, username: d.username.trim() || null },
    alerts: d.alerts,
    digest_at: d.digest ? (h ?? 0) * 60 + (m ?? 0) : null,
  };
}

/** "Resend", "SMTP smtp.example.com:587". */
function viaWords(s: EmailSettings): string {
  return s.via.kind === "resend" ? "Resend" : `SMTP ${s.via.host}:${s.via.port}`;
}

export function EmailSection() {
  const client = useQueryClient();
  const email = useQuery({ queryKey: keys.emailAlerts, queryFn: ipc.emailAlerts });
  const [draft, setDraft] = useState<Draft | null>(null);
  const failed = (title: string) => (error: unknown) => {
    const e = ipc.toCommandError(error);
    toast({ tone: "error", title, description: e.hint ? `${e.message}. ${e.hint}` : e.message });
  };
  const save = useMutation({
    mutationFn: (d: Draft) => ipc.setEmailAlerts(settingsOf(d), d.secret.trim() || null),
    onSuccess: (saved) => {
      client.setQueryData(keys.emailAlerts, saved);
      setDraft(null);
      toast({ tone: "success", title: "Email alerts saved", description: `To ${saved.to}, through ${viaWords(saved)}.` });
    },
    onError: failed("Could not save the email alerts"),
  });
  const test = useMutation({
    mutationFn: ipc.sendTestEmail,
    onSuccess: (answer) => toast({ tone: "success", title: "Test email sent", description: s ? `To ${s.to}, through ${viaWords(s)} (${answer}).` : answer }),
    onError: failed("The test email was not sent"),
  });
  const off = useMutation({
    mutationFn: ipc.removeEmailAlerts,
    onSuccess: () => {
      client.setQueryData(keys.emailAlerts, null);
      toast({ title: "Email alerts are off", description: "Their key or password is forgotten." });
    },
    onError: failed("Could not turn email alerts off"),
  });
  const s = email.data ?? null;
  const state = email.isError ? "error" : email.isPending ? "loading" : draft ? "editing" : s ? "on" : "off";

  return (
    <section>
      <h2 className="mb-2 text-[12px] font-semibold tracking-wide text-subtle uppercase">Email alerts</h2>
      <Card data-testid="settings-email" data-state={state}>
        {state === "loading" ? (
          <div className="p-5"><Skeleton className="h-8 w-full" /></div>
        ) : state === "error" ? (
          <div className="p-5"><ErrorState error={email.error} title="Could not read the email alerts" onRetry={() => void email.refetch()} /></div>
        ) : draft ? (
          <EmailForm draft={draft} saved={s} onChange={setDraft} onCancel={() => setDraft(null)} onSave={() => save.mutate(draft)} saving={save.isPending} />
        ) : s ? (
          <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-3 px-5 py-4">
            <div className="min-w-[220px] flex-1">
              <p className="text-[13.5px] font-medium text-fg" data-testid="email-to">To {s.to}</p>
              <p className="mt-0.5 text-[12.5px] text-subtle" data-testid="email-summary">
                From {s.from}, through {viaWords(s)}. Connection alerts {s.alerts ? "on" : "off"};{" "}
                {s.digest_at !== null ? `a digest of yesterday each day at ${timeOfDay(s.digest_at)}` : "no daily digest"}.
              </p>
            </div>
            <div className="flex gap-2">
              <Button size="sm" data-testid="email-test" onClick={() => test.mutate()} disabled={test.isPending}>
                {test.isPending ? "Sending…" : "Send test email"}
              </Button>
              <Button size="sm" data-testid="email-edit" onClick={() => setDraft(draftOf(s))}>Edit</Button>
              <Button size="sm" data-testid="email-off" onClick={() => off.mutate()} disabled={off.isPending}>Turn off</Button>
            </div>
          </div>
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-3 px-5 py-4">
            <div className="min-w-[220px] flex-1">
              <p className="text-[13.5px] font-medium text-fg">Alerts by email</p>
              <p className="mt-0.5 text-[12.5px] text-subtle">
                When a connection needs you, and a daily digest of yesterday's income, through Resend or your own mail server.
              </p>
            </div>
            <Button size="sm" variant="primary" data-testid="email-set-up" onClick={() => setDraft(draftOf(null))}>Set up…</Button>
          </div>
        )}
      </Card>
    </section>
  );
}

function EmailForm({ draft, saved, onChange, onCancel, onSave, saving }: {
  draft: Draft;
  saved: EmailSettings | null;
  onChange: (d: Draft) => void;
  onCancel: () => void;
  onSave: () => void;
  saving: boolean;
}) {
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  // A key or password saved before may be kept by leaving the field empty (same way of sending only).
  const keeps = saved !== null && saved.via.kind === draft.via;
  const secretHint = keeps
    ? "Kept in the system keyring. Leave empty to keep the saved one."
    : "Kept in the system keyring, never in the ledger or a log.";
  return (
    <form
      className="flex flex-col gap-4 px-5 py-4"
      data-testid="email-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <Field label="Send alerts to" htmlFor="email-to-input">
          <input id="email-to-input" type="email" required className={inputClass} data-testid="email-to-input" placeholder="you@example.com"
            value={draft.to} onChange={(e) => set({ to: e.target.value })} />
        </Field>
        <Field label="From" htmlFor="email-from-input" hint={draft.via === "resend" ? "An address on a domain Resend has verified for you." : undefined}>
          <input id="email-from-input" required className={inputClass} data-testid="email-from-input" placeholder="Tributary <alerts@your-domain.com>"
            value={draft.from} onChange={(e) => set({ from: e.target.value })} />
        </Field>
      </div>
      <Segmented<Via>
        label="Send through"
        options={[{ value: "resend", label: "Resend", testId: "email-via-resend" }, { value: "smtp", label: "Mail server (SMTP)", testId: "email-via-smtp" }]}
        className="self-start"
        value={draft.via}
        onChange={(via) => set({ via, secret: "" })}
      />
      {draft.via === "resend" ? (
        <Field label="Resend API key" htmlFor="email-secret" hint={secretHint}>
          <input id="email-secret" type="password" autoComplete="off" className={cx(inputClass, "md:w-[340px]")} data-testid="email-secret" placeholder="re_…"
            required={!keeps} value={draft.secret} onChange={(e) => set({ secret: e.target.value })} />
        </Field>
      ) : (
        <div className="grid grid-cols-1 gap-3 md:grid-cols-[1fr_110px_1fr]">
          <Field label="Server" htmlFor="email-host">
            <input id="email-host" required className={inputClass} data-testid="email-host" placeholder="smtp.example.com"
              value={draft.host} onChange={(e) => set({ host: e.target.value })} />
          </Field>
          <Field label="Port" htmlFor="email-port">
            <input id="email-port" required inputMode="numeric" className={inputClass} data-testid="email-port"
              value={draft.port} onChange={(e) => set({ port: e.target.value.replace(/\D/g, "").slice(0, 5) })} />
          </Field>
          <Field label="Security" htmlFor="email-security">
            <select id="email-security" className={inputClass} data-testid="email-security" value={draft.security}
              onChange={(e) => {
                const security = e.target.value as SmtpSecurity;
                // The usual port follows the choice, unless another port was typed.
                const port = security === "tls" && draft.port === "587" ? "465" : security === "starttls" && draft.port === "465" ? "587" : draft.port;
                set({ security, port });
              }}>
              {SECURITY.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          </Field>
          <Field label="Login" htmlFor="email-username">
            <input id="email-username" className={inputClass} data-testid="email-username" autoComplete="off"
              value={draft.username} onChange={(e) => set({ username: e.target.value })} />
          </Field>
          <div className="md:col-span-2">
            <Field label="Password" htmlFor="email-secret" hint={secretHint}>
              <input id="email-secret" type="password" autoComplete="off" className={inputClass} data-testid="email-secret"
                value={draft.secret} onChange={(e) => set({ secret: e.target.value })} />
            </Field>
          </div>
        </div>
      )}
      <div className="flex flex-col divide-y divide-line rounded-lg border border-line">
        <div className="flex items-center justify-between gap-6 px-4 py-3">
          <div className="min-w-0">
            <label htmlFor="email-alerts" className="text-[13px] font-medium text-fg">Connection alerts</label>
            <p className="mt-0.5 text-[12px] text-subtle">When a connection starts failing, needs reconnecting, pauses itself, or syncs again.</p>
          </div>
          <Switch id="email-alerts" testId="email-alerts" checked={draft.alerts} onCheckedChange={(alerts) => set({ alerts })} />
        </div>
        <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
          <div className="min-w-0 flex-1">
            <label htmlFor="email-digest" className="text-[13px] font-medium text-fg">Daily digest</label>
            <p className="mt-0.5 text-[12px] text-subtle">Yesterday's income per platform and what needs you, each morning in the ledger's time zone.</p>
          </div>
          <div className="flex items-center gap-3">
            <label htmlFor="email-digest-at" className="sr-only">Digest time</label>
            <input id="email-digest-at" type="time" className={cx(inputClass, "w-[110px] disabled:opacity-50")} data-testid="email-digest-at" disabled={!draft.digest}
              value={draft.digestAt} onChange={(e) => set({ digestAt: e.target.value || "08:00" })} />
            <Switch id="email-digest" testId="email-digest" checked={draft.digest} onCheckedChange={(digest) => set({ digest })} />
          </div>
        </div>
      </div>
      <div className="flex justify-end gap-2">
        <Button size="sm" onClick={onCancel} data-testid="email-cancel">Cancel</Button>
        <Button size="sm" variant="primary" type="submit" data-testid="email-save" disabled={saving}>{saving ? "Saving…" : "Save"}</Button>
      </div>
    </form>
  );
}
