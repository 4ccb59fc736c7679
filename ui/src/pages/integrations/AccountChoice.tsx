// Which ledger account a new connection books under, asked only when the platform's imported files
// are under more than one: a sale from a file and from the API is one event only under one account.
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { cx, inputClass } from "../../components/ui";
import * as ipc from "../../ipc";

/** The accounts to choose from (none, or one, needs no choice). */
export function useAccountChoices(platform: string): string[] {
  const accounts = useQuery({ queryKey: ["platform_accounts", platform], queryFn: () => ipc.platformAccounts(platform) });
  return (accounts.data?.length ?? 0) > 1 ? (accounts.data ?? []) : [];
}

export function AccountChoice({ choices, value, onChange, platformName }: { choices: string[]; value: string | null; onChange: (account: string | null) => void; platformName: string }) {
  const id = useId();
  if (choices.length === 0) return null;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-[12.5px] font-medium text-muted">
        Add its sales to the account
      </label>
      <select id={id} className={cx(inputClass, "w-full")} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)} data-testid="connect-account">
        <option value="">Choose…</option>
        {choices.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <p className="text-[12px] text-subtle">Your {platformName} imports are under several accounts; the one its files are under keeps each sale counted once.</p>
    </div>
  );
}
