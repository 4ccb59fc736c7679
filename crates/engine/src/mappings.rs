//! Saved column mappings: TOML files in the data folder's `mappings/` directory, one per mapping, named
//! after the mapping's `name`. A creator writes a mapping once for a CSV Tributary has no format for,
//! saves it, and later imports pick it by name (`--mapping NAME`) or, when it has `detect` columns, by
//! the file's header, like a built-in format.
//!
//! A file there that is not a readable mapping (edited by hand and broken, or a link to somewhere else)
//! is reported as broken, by name and with how to remove it, and left out: it never stops an import,
//! `formats` or `mappings` that did not need it. Links are not followed out of the folder.

use crate::error::EngineError;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};
use tributary_imports::formats::{self, Format, FormatInfo};
use tributary_imports::mapping::Mapping;

/// The folder, inside the data folder, holding saved mappings.
pub const MAPPINGS_DIR: &str = "mappings";

/// Reads and checks a mapping file.
pub fn read_mapping(path: &Path) -> Result<Mapping, EngineError> {
    let text = std::fs::read_to_string(path).map_err(|e| EngineError::File {
        path: path.to_path_buf(),
        reason: format!("could not read the mapping: {e}"),
    })?;
    Mapping::from_toml(&text).map_err(|reason| EngineError::Mapping {
        path: path.to_path_buf(),
        reason,
    })
}

/// A file in the mappings folder that is not a mapping Tributary can use.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BrokenMapping {
    /// The name to remove it by (`tributary mappings remove NAME`): the file's name without `.toml`.
    pub name: String,
    pub path: String,
    /// Why it is left out, in one line.
    pub reason: String,
}

impl BrokenMapping {
    /// What to tell a person about it, in one line.
    pub fn sentence(&self) -> String {
        format!(
            "the saved mapping {} is left out: {} (fix the file, or remove it with: tributary mappings remove {})",
            self.path, self.reason, self.name
        )
    }
}

/// The saved mappings as the window lists them (Settings › Mappings): each usable one as a format
/// line, and the files beside them that are not usable mappings, with why.
#[derive(Clone, Debug, Default, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MappingList {
    pub mappings: Vec<FormatInfo>,
    pub broken: Vec<BrokenMapping>,
}

/// The saved mappings that can be used, and the files beside them that cannot.
#[derive(Clone, Debug, Default)]
pub struct SavedMappings {
    pub mappings: Vec<Mapping>,
    pub broken: Vec<BrokenMapping>,
}

/// Reads the mapping file `path` in the folder `dir` (canonical), refusing a link that leads out of it.
fn read_saved(dir: &Path, path: &Path) -> Result<Mapping, String> {
    let target = std::fs::canonicalize(path).map_err(|e| format!("it cannot be opened: {e}"))?;
    if !target.starts_with(dir) {
        return Err(format!(
            "it links to {}, outside the mappings folder, and is not followed",
            target.display()
        ));
    }
    let text = std::fs::read_to_string(&target).map_err(|e| format!("it cannot be read: {e}"))?;
    Mapping::from_toml(&text)
}

impl Workspace {
    fn mappings_dir(&self) -> PathBuf {
        self.mappings_dir.clone()
    }

    /// Every saved mapping, by name, and the files there that are not usable mappings (each named, with
    /// why): a creator who edited one by hand should hear what is wrong with it, without it stopping
    /// anything else.
    pub fn saved_mappings(&self) -> Result<SavedMappings, EngineError> {
        let dir = self.mappings_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(SavedMappings::default())
            }
            Err(e) => {
                return Err(EngineError::DataDir {
                    path: dir,
                    reason: e.to_string(),
                })
            }
        };
        let canonical = std::fs::canonicalize(&dir).map_err(|e| EngineError::DataDir {
            path: dir.clone(),
            reason: e.to_string(),
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut saved = SavedMappings::default();
        for path in paths {
            match read_saved(&canonical, &path) {
                Ok(mapping) => saved.mappings.push(mapping),
                Err(reason) => saved.broken.push(BrokenMapping {
                    name: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    path: path.display().to_string(),
                    reason,
                }),
            }
        }
        Ok(saved)
    }

    /// The saved mappings for the window's list.
    pub fn mapping_list(&self) -> Result<MappingList, EngineError> {
        let saved = self.saved_mappings()?;
        Ok(MappingList {
            mappings: saved.mappings.into_iter().map(FormatInfo::from).collect(),
            broken: saved.broken,
        })
    }

    /// The usable saved mappings as formats to list beside the built-in ones.
    pub fn saved_formats(&self) -> Result<Vec<FormatInfo>, EngineError> {
        Ok(self
            .saved_mappings()?
            .mappings
            .into_iter()
            .map(FormatInfo::from)
            .collect())
    }

    /// Saves the mapping in `path` under its name, replacing a saved one of the same name; a mapping
    /// named like a built-in format is refused, since `--format` and detection could not tell them apart.
    pub fn save_mapping(&self, path: &Path) -> Result<Mapping, EngineError> {
        let text = std::fs::read_to_string(path).map_err(|e| EngineError::File {
            path: path.to_path_buf(),
            reason: format!("could not read the mapping: {e}"),
        })?;
        self.save_mapping_text(&text, path)
    }

    /// Saves a mapping given as TOML text; `origin` names where the text came from in errors.
    pub fn save_mapping_text(&self, text: &str, origin: &Path) -> Result<Mapping, EngineError> {
        let refuse = |reason: String| EngineError::Mapping {
            path: origin.to_path_buf(),
            reason,
        };
        let mapping = Mapping::from_toml(text).map_err(refuse)?;
        if formats::list().iter().any(|f| f.name == mapping.name) {
            return Err(refuse(format!(
                "'{}' is the name of a built-in format; give the mapping another name",
                mapping.name
            )));
        }
        if !is_file_name(&mapping.name) {
            return Err(refuse(format!(
                "name '{}' may only use letters, digits, '-' and '_'",
                mapping.name
            )));
        }
        let dir = self.mappings_dir();
        let target = dir.join(format!("{}.toml", mapping.name));
        // Written beside it and renamed over it: a link of that name is replaced, never written through.
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            let mut temp = tempfile::Builder::new()
                .prefix(&format!(".{}.", mapping.name))
                .suffix(".partial")
                .tempfile_in(&dir)?;
            std::io::Write::write_all(&mut temp, text.as_bytes())?;
            temp.persist(&target).map_err(|e| e.error)?;
            Ok(())
        });
        written.map_err(|e| EngineError::Output {
            path: target.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(mapping)
    }

    /// Gives a saved mapping another title (the name it is shown by; empty: none, so its name shows),
    /// rewriting only that key of its file: comments and the rest stay as the creator wrote them. Its
    /// name, which imports and `--mapping` refer to, does not change.
    pub fn retitle_mapping(&self, name: &str, title: &str) -> Result<Mapping, EngineError> {
        let target = self.mappings_dir().join(format!("{name}.toml"));
        let unknown = || EngineError::UnknownFormat(format!("there is no saved mapping '{name}'"));
        if !is_file_name(name) {
            return Err(unknown());
        }
        let text = match std::fs::read_to_string(&target) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(unknown()),
            Err(e) => {
                return Err(EngineError::File {
                    path: target,
                    reason: format!("could not read the mapping: {e}"),
                })
            }
        };
        let mut doc: toml_edit::DocumentMut =
            text.parse()
                .map_err(|e: toml_edit::TomlError| EngineError::Mapping {
                    path: target.clone(),
                    reason: e.message().to_string(),
                })?;
        match title.trim() {
            "" => {
                doc.remove("title");
            }
            title => doc["title"] = toml_edit::value(title),
        }
        self.save_mapping_text(&doc.to_string(), &target)
    }

    /// Forgets a saved mapping.
    pub fn remove_mapping(&self, name: &str) -> Result<(), EngineError> {
        let target = self.mappings_dir().join(format!("{name}.toml"));
        // A link is removed itself, whatever it points at.
        if !is_file_name(name) || std::fs::symlink_metadata(&target).is_err() {
            return Err(EngineError::UnknownFormat(format!(
                "there is no saved mapping '{name}'"
            )));
        }
        std::fs::remove_file(&target).map_err(|e| EngineError::Output {
            path: target.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// The format called `name`: a built-in one, else a saved mapping.
    pub fn format_named(&self, name: &str) -> Result<Format, EngineError> {
        if let Ok(format) = formats::by_name(name) {
            return Ok(format);
        }
        let saved = self.saved_mappings()?.mappings;
        let mut names: Vec<String> = formats::list().into_iter().map(|f| f.name).collect();
        names.extend(saved.iter().map(|m| m.name.clone()));
        if let Some(mapping) = saved.into_iter().find(|m| m.name == name) {
            return Ok(Format::Mapped(Box::new(mapping)));
        }
        Err(EngineError::UnknownFormat(format!(
            "there is no format or saved mapping '{name}' (known: {})",
            names.join(", ")
        )))
    }
}

fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
