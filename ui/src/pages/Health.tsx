import { IconPulse } from "../components/icons";
import { Card, PageHeader } from "../components/ui";
import { navigate } from "../lib/router";

const COLUMNS = ["Connection", "Status", "Last success", "Success rate 7 d", "p95 duration", "Next run", "Token expiry"];

export function HealthPage() {
  return (
    <section data-testid="page-health" data-state="empty" aria-labelledby="health-title">
      <PageHeader title="Health" description="Whether every connection is syncing, and what to do when one is not." />
      <h1 id="health-title" className="sr-only">Health</h1>
      <Card className="overflow-hidden">
        <div className="overflow-x-auto">
          <table className="w-full text-[13px]">
            <thead>
              <tr className="border-b border-line bg-surface-2/60 text-left text-[12px] text-subtle">
                {COLUMNS.map((c) => (
                  <th key={c} scope="col" className="px-4 py-2.5 font-medium whitespace-nowrap first:pl-5">{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <td colSpan={COLUMNS.length}>
                  <div className="flex flex-col items-center px-6 py-14 text-center" data-testid="health-empty">
                    <span className="mb-3 grid size-10 place-items-center rounded-full bg-surface-2 text-muted"><IconPulse size={18} /></span>
                    <p className="text-sm font-semibold text-fg">No connections yet — nothing to check</p>
                    <p className="mt-1 max-w-md text-[13px] text-subtle">
                      When you connect a platform, its sync status, success rate and timing show up here, with what to do when something needs you.
                    </p>
                    <button type="button" onClick={() => navigate("integrations")} className="mt-3 text-[13px] font-medium text-accent-text underline-offset-4 hover:underline">
                      Go to Integrations →
                    </button>
                  </div>
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      </Card>
    </section>
  );
}
