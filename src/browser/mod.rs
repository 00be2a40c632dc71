//! Thin, fallible wrappers over the browser APIs the page uses. None of them panics: a browser
//! that refuses (no clipboard, storage disabled, no service workers) gets a message or nothing.

pub mod clipboard;
pub mod download;
pub mod embed;
pub mod location;
pub mod offline;
pub mod storage;
