//! The pure core (src/calc, src/render, src/page, src/audit) must never use a browser or UI crate: it is shared by the
//! native CLI and tests. This walks its sources and fails on any mention of one.

use std::fs;
use std::path::Path;

const FORBIDDEN: &[&str] = &["leptos", "web_sys", "js_sys", "wasm_bindgen"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Finds `name` as a whole identifier (so `leptos_x` or `my_leptos` do not count).
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !is_ident_char(c));
        let after = text[i + name.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_ident_char(c));
        before && after
    })
}

#[test]
fn the_pure_core_imports_no_browser_or_ui_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["calc", "render", "page", "audit"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(
        files.len() >= 10,
        "expected the core's sources, found {files:?}"
    );
    let mut hits = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for name in FORBIDDEN {
            if mentions(&text, name) {
                hits.push(format!("{} mentions {name}", file.display()));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "the pure core must not use UI crates: {hits:?}"
    );
}

#[test]
fn the_checker_catches_a_mention() {
    assert!(mentions("use leptos::prelude::*;", "leptos"));
    assert!(mentions("web_sys::window()", "web_sys"));
    assert!(!mentions("let leptos_like = 1;", "leptos"));
}
