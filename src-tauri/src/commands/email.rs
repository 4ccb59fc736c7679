//! Settings' email alerts: what is set up (never the key or password), saving it with a new key or
//! password from the masked field, a test email sent at once, and turning them off. Always the
//! creator's own data folder, not the demo's: alerts are about their connections.

use crate::error::{off_the_ui_thread, CommandError};
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use tributary_engine::{EmailSettings, Sensitive, UtcInstant, Workspace};

fn own_workspace<R: Runtime>(app: &AppHandle<R>) -> Result<Workspace, CommandError> {
    Ok(Workspace::open(app.state::<AppState>().data_dir())?)
}

#[tauri::command]
pub async fn email_alerts<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<EmailSettings>, CommandError> {
    off_the_ui_thread(move || Ok(own_workspace(&app)?.email_settings()?)).await
}

/// Saves `settings`; `secret` (Resend's API key or the SMTP password) replaces the saved one when
/// given, and goes only to the secret store.
#[tauri::command]
pub async fn set_email_alerts<R: Runtime>(
    app: AppHandle<R>,
    settings: EmailSettings,
    secret: Option<String>,
) -> Result<EmailSettings, CommandError> {
    off_the_ui_thread(move || {
        let mut workspace = own_workspace(&app)?;
        workspace.set_email(&settings, secret.map(Sensitive::new))?;
        Ok(settings)
    })
    .await
}

/// Sends a test email now; what the server answered.
#[tauri::command]
pub async fn send_test_email<R: Runtime>(app: AppHandle<R>) -> Result<String, CommandError> {
    off_the_ui_thread(move || Ok(own_workspace(&app)?.send_test_email(UtcInstant::now())?)).await
}

#[tauri::command]
pub async fn remove_email_alerts<R: Runtime>(app: AppHandle<R>) -> Result<(), CommandError> {
    off_the_ui_thread(move || Ok(own_workspace(&app)?.remove_email()?)).await
}
