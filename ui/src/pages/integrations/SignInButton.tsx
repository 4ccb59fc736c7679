// "Sign in with …" for the platforms that connect through the browser (OAuth): while the person signs
// in, the card says so and offers Cancel; when no browser could be opened, it shows the address to open
// by hand. A cancel says nothing; a denial or a timeout says what happened and what to do.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ConnectablePlatform } from "../../bindings";
import { toast } from "../../components/toast";
import { Button, ErrorState } from "../../components/ui";
import * as ipc from "../../ipc";
import { keys } from "../../lib/queries";

export function SignInButton({ platform, account, again, disabled }: { platform: ConnectablePlatform; account: string | null; again?: boolean; disabled?: boolean }) {
  const client = useQueryClient();
  const [url, setUrl] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const signIn = useMutation({
    mutationFn: () => {
      return ipc.signInWithBrowser(platform.id, account, setUrl);
    },
    onSuccess: (c) => {
      void client.invalidateQueries({ queryKey: keys.connections });
      toast({ title: `${platform.name} connected`, description: `Signed in as ${c.remote_name}. Sync it now to bring in its sales.`, tone: "success" });
    },
    onSettled: () => setUrl(null),
  });
  if (signIn.isPending) {
    return (
      <div className="flex flex-col gap-2" role="status" data-testid="sign-in-waiting">
        <p className="text-[12.5px] text-muted">
          {url ? `Open this address in a browser to sign in to ${platform.name}:` : `Sign in to ${platform.name} in the browser window that opened. Waiting…`}
        </p>
        {url ? <p className="select-all break-all rounded border border-line bg-surface-2 px-2 py-1 font-mono text-[11.5px] text-fg">{url}</p> : null}
        <div className="flex justify-end">
          <Button
            size="sm"
            onClick={() => {
              setCancelled(true);
              void ipc.cancelSignIn();
            }}
            data-testid="sign-in-cancel"
          >
            Cancel
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      {signIn.isError && !cancelled ? <ErrorState compact error={signIn.error} title={`Not signed in to ${platform.name}`} /> : null}
      <Button size="sm" variant="primary" disabled={disabled} onClick={() => {
          setCancelled(false);
          setUrl(null);
          signIn.mutate();
        }} data-testid="sign-in">
        {again ? `Sign in to ${platform.name} again` : `Sign in with ${platform.name}`}
      </Button>
    </div>
  );
}
