//! Connections from the window's Integrations page: the platforms it can connect, the connections
//! made, connecting with a key typed in a masked field (checked with the platform before it is kept in
//! the secret store; never sent back) or by signing in through the browser (OAuth, with Cancel),
//! syncing now with progress over a channel, disconnecting.

use crate::closing::Busy;
use crate::error::{off_the_ui_thread, CommandError};
use crate::state::AppState;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use tributary_engine::{
    ConnectRequest, ConnectablePlatform, ConnectionRecord, SyncProgress, SyncReport, SyncRequest,
};
use tributary_model::Sensitive;

#[tauri::command]
pub fn connectable_platforms() -> Vec<ConnectablePlatform> {
    tributary_engine::connectable_platforms()
}

#[tauri::command]
pub async fn list_connections<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Vec<ConnectionRecord>, CommandError> {
    off_the_ui_thread(move || Ok(app.state::<AppState>().open_workspace()?.connections()?)).await
}

/// Connects `platform` with the key the person typed. The key goes to the secret store only after
/// the platform accepted it; the answer is the connection, which holds no key.
#[tauri::command]
pub async fn connect_with_key<R: Runtime>(
    app: AppHandle<R>,
    platform: String,
    key: String,
    name: Option<String>,
    account: Option<String>,
) -> Result<ConnectionRecord, CommandError> {
    let key = Sensitive::new(key.trim().to_string());
    off_the_ui_thread(move || {
        if key.expose().is_empty() {
            return Err(CommandError::new(
                tributary_engine::ErrorCode::KeyMissing,
                "paste the API key or token first",
            ));
        }
        let mut workspace = app.state::<AppState>().open_workspace()?;
        let request = ConnectRequest {
            platform,
            name: name.filter(|n| !n.trim().is_empty()),
            account: account.filter(|a| !a.trim().is_empty()),
            lookback_days: None,
        };
        Ok(workspace.connect_with_token(&request, key)?.connection)
    })
    .await
}

/// Connects `platform` by signing in through the system browser. When no browser could be opened,
/// `on_url` gets the address to open by hand (it is sent nowhere else). Cancelled by `cancel_sign_in`
/// or after five minutes; either way nothing is stored.
#[tauri::command]
pub async fn sign_in_with_browser<R: Runtime>(
    app: AppHandle<R>,
    platform: String,
    account: Option<String>,
    on_url: Channel<String>,
) -> Result<ConnectionRecord, CommandError> {
    let cancel = app.state::<AppState>().begin_sign_in();
    off_the_ui_thread(move || {
        let mut workspace = app.state::<AppState>().open_workspace()?;
        let request = ConnectRequest {
            platform,
            name: None,
            account: account.filter(|a| !a.trim().is_empty()),
            lookback_days: None,
        };
        let sign_in = tributary_engine::OAuthSignIn {
            open_browser: true,
            timeout: std::time::Duration::from_secs(300),
            cancel,
            on_url: Box::new(move |url, opened| {
                if !opened {
                    let _ = on_url.send(url.to_string());
                }
            }),
        };
        Ok(workspace.connect_with_oauth(&request, sign_in)?.connection)
    })
    .await
}

/// Stops the browser sign-in waiting (the window's Cancel).
#[tauri::command]
pub fn cancel_sign_in<R: Runtime>(app: AppHandle<R>) {
    app.state::<AppState>().cancel_sign_in();
}

/// The accounts `platform`'s events are under: with more than one, the window asks which one a new
/// connection books under.
#[tauri::command]
pub async fn platform_accounts<R: Runtime>(
    app: AppHandle<R>,
    platform: String,
) -> Result<Vec<String>, CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .accounts_of(&platform)?)
    })
    .await
}

/// Syncs one connection now, telling the window after every page.
#[tauri::command]
pub async fn sync_connection<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    on_progress: Channel<SyncProgress>,
) -> Result<SyncReport, CommandError> {
    off_the_ui_thread(move || {
        // A close during the sync waits for the page being written.
        let _busy = Busy::start(&app);
        let mut workspace = app.state::<AppState>().open_workspace()?;
        let mut progress = |p: &SyncProgress| {
            // The window may have gone; the sync goes on.
            let _ = on_progress.send(p.clone());
        };
        Ok(workspace.sync_with_progress(&name, &SyncRequest::default(), &mut progress)?)
    })
    .await
}

/// Gives a connection another name (a word: letters, digits, `-`, `_`); its history, position and
/// credential stay with it.
#[tauri::command]
pub async fn rename_connection<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    new_name: String,
) -> Result<ConnectionRecord, CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .rename_connection(&name, &new_name)?)
    })
    .await
}

/// Deletes the connection's key from the secret store; its events and runs stay.
#[tauri::command]
pub async fn disconnect<R: Runtime>(
    app: AppHandle<R>,
    name: String,
) -> Result<ConnectionRecord, CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .disconnect(&name)?)
    })
    .await
}
