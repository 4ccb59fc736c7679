//! Stopping cleanly on SIGTERM or Ctrl-C: a thread waits for either and cancels a token, which the
//! scheduler and the sync it runs look at between pages (and while a page is being read).

use tributary_connectors::oauth::CancellationToken;

/// A token cancelled when the process is asked to stop (SIGINT, SIGTERM). Until then the signals no
/// longer end the process by themselves: whoever holds the token must stop.
pub fn stop_on_termination() -> std::io::Result<CancellationToken> {
    let token = CancellationToken::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    // Registered here, before returning, so that a signal right after start is not lost.
    let (mut terminate, mut interrupt) = runtime.block_on(async {
        use tokio::signal::unix::{signal, SignalKind};
        Ok::<_, std::io::Error>((
            signal(SignalKind::terminate())?,
            signal(SignalKind::interrupt())?,
        ))
    })?;
    let cancel = token.clone();
    std::thread::Builder::new()
        .name("stop-signal".into())
        .spawn(move || {
            runtime.block_on(async {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            });
            cancel.cancel();
        })?;
    Ok(token)
}
