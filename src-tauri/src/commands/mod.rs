//! The commands the window invokes (docs/ipc.md). Each is a thin wrapper: it opens the active workspace,
//! calls `tributary-engine` off the UI thread, and turns engine errors into `CommandError`.

pub mod demo;
pub mod imports;
pub mod ledger;
pub mod mappings;
pub mod settings;
