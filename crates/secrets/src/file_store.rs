//! Secrets in files, for machines with no keyring and a person who chose it
//! (`TRIBUTARY_SECRET_STORE=file`): one file per key in a folder only its owner may enter (0700), each
//! file readable only by its owner (0600). Not encrypted, so every use carries a warning. A write goes
//! to a temporary file in the same folder, is flushed to disk, and is renamed over the old one: a crash
//! leaves the old value or the new one, never half of either. Links are not followed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use tributary_model::Sensitive;

use crate::key::check_key;
use crate::{SecretError, SecretStore};

/// Temporary files start with a character no key may hold, so they never shadow a key.
const TEMP_PREFIX: char = '~';

pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    /// The store in `dir` (created, 0700, on the first `set`).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileStore { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, SecretError> {
        check_key(key)?;
        Ok(self.dir.join(key))
    }

    /// The folder, made if missing, and closed to everyone but its owner if it was not.
    fn make_dir(&self) -> Result<(), SecretError> {
        let fail = |source| SecretError::file(&self.dir, source);
        if let Some(parent) = self.dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| SecretError::file(parent, e))?;
        }
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&self.dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(fail(e)),
        }
        let meta = fs::metadata(&self.dir).map_err(fail)?;
        if !meta.is_dir() {
            return Err(fail(io::Error::other("it is not a folder")));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o777 != 0o700 {
                fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700)).map_err(fail)?;
            }
        }
        Ok(())
    }

    /// A temporary name no other writer (thread or process) uses at the same time.
    fn temp_path(&self, key: &str) -> PathBuf {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        self.dir
            .join(format!("{TEMP_PREFIX}{key}.{}.{n}.tmp", std::process::id()))
    }

    fn write_new(temp: &Path, value: &[u8]) -> io::Result<()> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let mut file = options.open(temp)?;
        file.write_all(value)?;
        file.sync_all()
    }

    /// Makes a rename or removal in the folder durable (a no-op where folders cannot be opened).
    fn sync_dir(&self) -> Result<(), SecretError> {
        #[cfg(unix)]
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| SecretError::file(&self.dir, e))?;
        Ok(())
    }
}

impl SecretStore for FileStore {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        let path = self.path_of(key)?;
        let mut options = OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        let mut file = match options.open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(SecretError::file(&path, e)),
        };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| SecretError::file(&path, e))?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(Sensitive::new(text))),
            Err(_) => Err(SecretError::file(
                &path,
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "it does not hold text (damaged, or not written by Tributary)",
                ),
            )),
        }
    }

    fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretError> {
        let path = self.path_of(key)?;
        self.make_dir()?;
        let temp = self.temp_path(key);
        let written = Self::write_new(&temp, value.expose().as_bytes())
            .and_then(|()| fs::rename(&temp, &path));
        if let Err(e) = written {
            // Best effort: the temporary file may not exist, and the error that matters is `e`.
            let _ = fs::remove_file(&temp);
            return Err(SecretError::file(&path, e));
        }
        self.sync_dir()
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        let path = self.path_of(key)?;
        match fs::remove_file(&path) {
            Ok(()) => self.sync_dir(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(SecretError::file(&path, e)),
        }
    }

    fn describe(&self) -> String {
        format!("files in {} (not encrypted)", self.dir.display())
    }

    fn warning(&self) -> Option<String> {
        Some(format!(
            "connection keys are kept in files in {}, not encrypted: only your account can read them, but so \
             can anything running as you and anyone with a copy of those files (a backup, a stolen disk). \
             Unset TRIBUTARY_SECRET_STORE to keep them in the system keyring where there is one.",
            self.dir.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(value: &str) -> Sensitive<String> {
        Sensitive::new(value.to_string())
    }

    fn read(store: &FileStore, key: &str) -> Result<Option<String>, SecretError> {
        Ok(store.get(key)?.map(Sensitive::into_inner))
    }

    /// A store in a folder that does not exist yet, two levels below a fresh temporary one.
    fn fresh() -> io::Result<(tempfile::TempDir, FileStore)> {
        let root = tempfile::tempdir()?;
        let store = FileStore::new(root.path().join("config").join("secrets"));
        Ok((root, store))
    }

    #[test]
    fn set_get_overwrite_delete() -> Result<(), Box<dyn std::error::Error>> {
        let (_root, store) = fresh()?;
        assert_eq!(
            read(&store, "gumroad-1")?,
            None,
            "nothing before the folder exists"
        );
        store.set("gumroad-1", &secret("first token"))?;
        assert_eq!(read(&store, "gumroad-1")?.as_deref(), Some("first token"));
        store.set("gumroad-1", &secret("second"))?;
        assert_eq!(read(&store, "gumroad-1")?.as_deref(), Some("second"));
        assert_eq!(
            fs::read_to_string(store.dir().join("gumroad-1"))?,
            "second",
            "the value alone, as written"
        );
        store.delete("gumroad-1")?;
        assert_eq!(read(&store, "gumroad-1")?, None);
        Ok(())
    }

    #[test]
    fn deleting_what_is_not_there_is_fine() -> Result<(), Box<dyn std::error::Error>> {
        let (_root, store) = fresh()?;
        store.delete("never-set")?;
        store.set("k", &secret("v"))?;
        store.delete("never-set")?;
        store.delete("k")?;
        store.delete("k")?;
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn folder_is_0700_and_files_0600() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let (_root, store) = fresh()?;
        store.set("stripe.acct_1", &secret("sk_test_x"))?;
        let mode = |p: &Path| fs::metadata(p).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode(store.dir())?, 0o700);
        assert_eq!(mode(&store.dir().join("stripe.acct_1"))?, 0o600);
        store.set("stripe.acct_1", &secret("sk_test_y"))?;
        assert_eq!(
            mode(&store.dir().join("stripe.acct_1"))?,
            0o600,
            "an overwrite is 0600 too"
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn an_open_folder_is_closed_on_write() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let (_root, store) = fresh()?;
        fs::create_dir_all(store.dir())?;
        fs::set_permissions(store.dir(), fs::Permissions::from_mode(0o755))?;
        store.set("k", &secret("v"))?;
        assert_eq!(
            fs::metadata(store.dir())?.permissions().mode() & 0o777,
            0o700
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn an_overwrite_replaces_the_file_instead_of_writing_into_it(
    ) -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::MetadataExt;
        let (_root, store) = fresh()?;
        let path = store.dir().join("k");
        store.set("k", &secret("old value"))?;
        let before = fs::metadata(&path)?.ino();
        // A second name for the old file: written in place, it would change too.
        let old = store.dir().join("old-link");
        fs::hard_link(&path, &old)?;
        store.set("k", &secret("new"))?;
        assert_ne!(
            fs::metadata(&path)?.ino(),
            before,
            "a new file was renamed into place"
        );
        assert_eq!(
            fs::read_to_string(&old)?,
            "old value",
            "the old file was not touched"
        );
        assert_eq!(read(&store, "k")?.as_deref(), Some("new"));
        let left: Vec<_> = fs::read_dir(store.dir())?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .collect();
        assert!(
            left.is_empty(),
            "no temporary file is left behind: {left:?}"
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn links_are_not_followed() -> Result<(), Box<dyn std::error::Error>> {
        let (root, store) = fresh()?;
        store.set("other", &secret("v"))?;
        let outside = root.path().join("outside");
        fs::write(&outside, "not a secret")?;
        std::os::unix::fs::symlink(&outside, store.dir().join("k"))?;
        assert!(
            matches!(store.get("k"), Err(SecretError::File { .. })),
            "a link is not read through"
        );
        store.set("k", &secret("secret"))?;
        assert_eq!(
            fs::read_to_string(&outside)?,
            "not a secret",
            "a link is replaced, not written through"
        );
        assert_eq!(read(&store, "k")?.as_deref(), Some("secret"));
        Ok(())
    }

    #[test]
    fn bad_keys_are_refused_and_nothing_is_written() -> Result<(), Box<dyn std::error::Error>> {
        let (root, store) = fresh()?;
        for key in [
            "",
            ".",
            "..",
            "../escape",
            "a/b",
            "/etc/passwd",
            "a\\b",
            "~k.1.2.tmp",
        ] {
            assert!(
                matches!(
                    store.set(key, &secret("v")),
                    Err(SecretError::BadKey { .. })
                ),
                "{key:?}"
            );
            assert!(
                matches!(store.get(key), Err(SecretError::BadKey { .. })),
                "{key:?}"
            );
            assert!(
                matches!(store.delete(key), Err(SecretError::BadKey { .. })),
                "{key:?}"
            );
        }
        assert!(!root.path().join("escape").exists());
        assert!(!store.dir().exists(), "a refused key makes no folder");
        Ok(())
    }

    #[test]
    fn a_file_that_is_not_text_is_an_error_without_its_bytes(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let (_root, store) = fresh()?;
        store.set("k", &secret("v"))?;
        fs::write(store.dir().join("k"), [0xff, 0xfe, b'z', b'q'])?;
        let message = match store.get("k") {
            Err(e @ SecretError::File { .. }) => e.to_string(),
            other => return Err(format!("expected a file error, got {other:?}").into()),
        };
        assert!(
            message.contains("does not hold text") && !message.contains("zq"),
            "{message}"
        );
        Ok(())
    }

    #[test]
    fn a_folder_in_the_way_of_a_file_is_named() -> Result<(), Box<dyn std::error::Error>> {
        let (_root, store) = fresh()?;
        fs::create_dir_all(store.dir().parent().ok_or("no parent")?)?;
        fs::write(store.dir(), "a file where the folder goes")?;
        let message = store
            .set("k", &secret("v"))
            .err()
            .ok_or("set succeeded")?
            .to_string();
        assert!(
            message.contains(&store.dir().display().to_string()),
            "{message}"
        );
        Ok(())
    }

    #[test]
    fn describes_its_folder_and_warns_on_every_use() -> Result<(), Box<dyn std::error::Error>> {
        let (_root, store) = fresh()?;
        let dir = store.dir().display().to_string();
        assert_eq!(store.describe(), format!("files in {dir} (not encrypted)"));
        let warning = store.warning().ok_or("no warning")?;
        assert!(
            warning.contains(&dir) && warning.contains("not encrypted"),
            "{warning}"
        );
        assert!(warning.contains("TRIBUTARY_SECRET_STORE"), "{warning}");
        Ok(())
    }
}
