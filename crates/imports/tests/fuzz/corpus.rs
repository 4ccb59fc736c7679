//! The fixed corpus in `tests/corpus/`: the seed files the mutations start from (`seed-*`) and every
//! input that ever made something panic or abort (`crasher-*`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

pub(crate) fn corpus_file(name: &str) -> Vec<u8> {
    std::fs::read(corpus_dir().join(name)).unwrap_or_else(|e| panic!("tests/corpus/{name}: {e}"))
}

/// The text files of the corpus that mutations start from.
pub(crate) fn text_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        corpus_files()
            .into_iter()
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.starts_with("seed-") && name.ends_with(".csv")
            })
            .map(|p| std::fs::read(p).unwrap())
            .collect()
    })
}

pub(crate) fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The real workbook the damage starts from: `KDP_Dashboard-2026-03-late.xlsx` as
/// `tests/fixtures/generate.py` writes it (the smallest of its Dashboards, all eight sheets), committed so
/// that these tests need no Python.
pub(crate) fn seed_workbook() -> &'static [u8] {
    static SEED: OnceLock<Vec<u8>> = OnceLock::new();
    SEED.get_or_init(|| corpus_file("seed-kdp-dashboard.xlsx"))
}
