//! The keyring store against a real Secret Service: GNOME Keyring in a private D-Bus session, as
//! `scripts/test` runs it (the recipe is in that step). Which check runs is `TRIBUTARY_KEYRING_TEST`'s
//! choice, since each needs its own session; unset, each test says it was skipped and passes:
//! - `1`: an unlocked keyring is running. Values are set, read, replaced and deleted through the store,
//!   and `secret-tool` (libsecret's own client) sees them under the attributes keyring 3 sets.
//! - `absent`: a session bus with no keyring on it. Opening the store says so, with the way out.
//! - `locked`: the login keyring of an earlier `1` run, its daemon started by D-Bus and never unlocked,
//!   with no display for the password prompt. The store opens (lookups work) but a `set` is `Locked`.
//! - `empty`: the same with no keyring file at all (no collection). Opens, finds nothing, cannot store.

use std::path::Path;
use std::process::{Command, Stdio};

use tributary_model::Sensitive;
use tributary_secrets::{KeyringStore, SecretError, SecretStore, StoreChoice, DEFAULT_SERVICE};

type Outcome = Result<(), Box<dyn std::error::Error>>;

const MODE: &str = "TRIBUTARY_KEYRING_TEST";

fn chosen(wanted: &str, test: &str) -> bool {
    let mode = std::env::var(MODE).unwrap_or_default();
    if mode != wanted {
        println!("skipped {test}: it runs with {MODE}={wanted} inside its own D-Bus session (see scripts/test)");
    }
    mode == wanted
}

fn secret(value: &str) -> Sensitive<String> {
    Sensitive::new(value.to_string())
}

/// `secret-tool ARGS...`: its exit status and what it printed (`search` prints the attributes on
/// stderr, the rest on stdout: both are kept, stdout first).
fn secret_tool(
    args: &[&str],
    input: Option<&str>,
) -> Result<(bool, String), Box<dyn std::error::Error>> {
    let mut child = Command::new("secret-tool")
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("secret-tool (package libsecret-tools) could not be run: {e}"))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        std::io::Write::write_all(&mut stdin, text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let mut printed = String::from_utf8_lossy(&out.stdout).into_owned();
    if args.first() != Some(&"lookup") {
        printed.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    Ok((out.status.success(), printed))
}

/// What `secret-tool lookup` finds under the attributes keyring 3 gives an entry.
fn looked_up(key: &str) -> Result<Option<String>, Box<dyn std::error::Error>> {
    let (found, value) = secret_tool(
        &["lookup", "service", DEFAULT_SERVICE, "username", key],
        None,
    )?;
    Ok(found.then_some(value))
}

fn read(store: &dyn SecretStore, key: &str) -> Result<Option<String>, SecretError> {
    Ok(store.get(key)?.map(Sensitive::into_inner))
}

#[test]
fn the_secret_service_keeps_what_the_store_sets() -> Outcome {
    if !chosen("1", "the_secret_service_keeps_what_the_store_sets") {
        return Ok(());
    }
    let config = tempfile::tempdir()?;
    let store = StoreChoice::Keyring.open(config.path())?;
    assert_eq!(store.describe(), "the system keyring (Secret Service)");
    assert_eq!(store.warning(), None);

    let key = format!("keyring-test-{}", std::process::id());
    store.delete(&key)?;
    assert_eq!(read(store.as_ref(), &key)?, None);

    let first = "rt_first ünïcode\nsecond line";
    store.set(&key, &secret(first))?;
    assert_eq!(read(store.as_ref(), &key)?.as_deref(), Some(first));
    assert_eq!(
        looked_up(&key)?.as_deref(),
        Some(first),
        "the value is in the Secret Service itself"
    );

    // The item carries keyring 3's attributes: the entry's target (the default collection) and its name.
    let (found, listing) = secret_tool(
        &[
            "search",
            "--all",
            "service",
            DEFAULT_SERVICE,
            "username",
            &key,
        ],
        None,
    )?;
    assert!(found, "secret-tool search found nothing");
    for attribute in [
        "attribute.target = default",
        "attribute.application = rust-keyring",
    ] {
        assert!(
            listing.contains(attribute),
            "{attribute} missing from:\n{listing}"
        );
    }
    assert_eq!(
        listing.matches("[/").count(),
        1,
        "one item, not one per write:\n{listing}"
    );

    store.set(&key, &secret("rt_second"))?;
    assert_eq!(read(store.as_ref(), &key)?.as_deref(), Some("rt_second"));
    assert_eq!(looked_up(&key)?.as_deref(), Some("rt_second"));
    let (_, listing) = secret_tool(
        &[
            "search",
            "--all",
            "service",
            DEFAULT_SERVICE,
            "username",
            &key,
        ],
        None,
    )?;
    assert_eq!(
        listing.matches("[/").count(),
        1,
        "an overwrite replaces the item:\n{listing}"
    );

    store.delete(&key)?;
    assert_eq!(read(store.as_ref(), &key)?, None);
    assert_eq!(
        looked_up(&key)?,
        None,
        "deleted from the Secret Service too"
    );
    store.delete(&key)?;
    Ok(())
}

#[test]
fn an_item_another_client_stored_is_read_and_deleted() -> Outcome {
    if !chosen("1", "an_item_another_client_stored_is_read_and_deleted") {
        return Ok(());
    }
    // secret-tool sets only the attributes it is given (no `target`): keyring 3 falls back to such
    // items in the default collection.
    let key = format!("keyring-test-other-{}", std::process::id());
    let args = [
        "store",
        "--label=Tributary test",
        "service",
        DEFAULT_SERVICE,
        "username",
        &key,
    ];
    let (stored, _) = secret_tool(&args, Some("from secret-tool"))?;
    assert!(stored, "secret-tool store failed");
    let store = KeyringStore::new(Path::new("/nonexistent"));
    assert_eq!(read(&store, &key)?.as_deref(), Some("from secret-tool"));
    store.delete(&key)?;
    assert_eq!(looked_up(&key)?, None);
    Ok(())
}

#[test]
fn with_no_secret_service_opening_says_there_is_no_keyring() -> Outcome {
    if !chosen(
        "absent",
        "with_no_secret_service_opening_says_there_is_no_keyring",
    ) {
        return Ok(());
    }
    let config = tempfile::tempdir()?;
    let err = match StoreChoice::Keyring.open(config.path()) {
        Ok(store) => {
            return Err(format!(
                "opened {} with no Secret Service on the bus",
                store.describe()
            )
            .into())
        }
        Err(err) => err,
    };
    let message = err.to_string();
    println!("{message}");
    assert!(matches!(err, SecretError::NoKeyring { .. }), "{err:?}");
    assert!(message.contains("no keyring is running"), "{message}");
    let dir = config.path().join("secrets");
    let way_out = format!(
        "set TRIBUTARY_SECRET_STORE=file to keep keys in files readable only by you, in {} (not encrypted)",
        dir.display()
    );
    assert!(message.contains(&way_out), "{message}");
    assert!(!dir.exists(), "the file store is only named, not made");
    Ok(())
}

#[test]
fn a_locked_keyring_opens_but_refuses_to_store_and_says_it_is_locked() -> Outcome {
    if !chosen(
        "locked",
        "a_locked_keyring_opens_but_refuses_to_store_and_says_it_is_locked",
    ) {
        return Ok(());
    }
    // The login keyring exists but was never unlocked: looking up is allowed (so the store opens, and a
    // missing entry is still None); creating an item needs the password prompt, which cannot be shown.
    let config = tempfile::tempdir()?;
    let store = StoreChoice::Keyring.open(config.path())?;
    let key = format!("keyring-test-locked-{}", std::process::id());
    assert_eq!(read(store.as_ref(), &key)?, None);
    let err = match store.set(&key, &secret("rt_locked")) {
        Ok(()) => return Err("a locked keyring stored a value".into()),
        Err(err) => err,
    };
    let message = err.to_string();
    println!("{message}");
    assert!(matches!(err, SecretError::Locked { .. }), "{err:?}");
    assert!(
        message.contains("the system keyring is locked") && message.contains("Unlock it"),
        "{message}"
    );
    assert!(!message.contains("rt_locked"), "{message}");
    store.delete(&key)?;
    Ok(())
}

#[test]
fn a_keyring_with_no_collection_opens_finds_nothing_and_says_why_it_cannot_store() -> Outcome {
    if !chosen(
        "empty",
        "a_keyring_with_no_collection_opens_finds_nothing_and_says_why_it_cannot_store",
    ) {
        return Ok(());
    }
    // A keyring with no keyring file at all: keyring 3's lookups fail with "no result" there, which the
    // store reads as "no entry"; a write cannot create the collection without a prompt.
    let config = tempfile::tempdir()?;
    let store = StoreChoice::Keyring.open(config.path())?;
    let key = format!("keyring-test-empty-{}", std::process::id());
    assert_eq!(read(store.as_ref(), &key)?, None);
    store.delete(&key)?;
    let err = match store.set(&key, &secret("rt_empty")) {
        Ok(()) => return Err("a keyring with no collection stored a value".into()),
        Err(err) => err,
    };
    let message = err.to_string();
    println!("{message}");
    assert!(matches!(err, SecretError::Store { .. }), "{err:?}");
    assert!(
        message.contains("no default keyring") && !message.contains("rt_empty"),
        "{message}"
    );
    Ok(())
}
