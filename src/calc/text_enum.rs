//! One macro for the small enums of the share link: each variant has exactly one text form,
//! used by the URL, local storage, the CLI and the page's `<select>` options.

/// Declares an enum whose variants map one-to-one onto text, with `ALL`, `as_str`,
/// `FromStr` (exact, case-sensitive) and `Display`, all driven by one table of texts.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the order the share-link contract lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text forms, in the order of `ALL` (so a value's text is `TEXTS[value as usize]`).
            const TEXTS: &'static [&'static str] = &[$($text),+];

            /// The value's text form in the share link.
            pub fn as_str(self) -> &'static str {
                Self::TEXTS[self as usize]
            }

            /// The allowed text forms, for error messages: `a`, `b` or `c`.
            pub fn allowed() -> String {
                crate::calc::text_enum::list_or(Self::TEXTS)
            }
        }

        /// The first value: only a fallback for text already checked against the list.
        impl Default for $name {
            fn default() -> Self {
                Self::ALL[0]
            }
        }

        impl crate::calc::text_enum::TextEnum for $name {
            fn allowed_values() -> String {
                Self::allowed()
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                crate::calc::text_enum::position(Self::TEXTS, s)
                    .map(|i| Self::ALL[i])
                    .ok_or(())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

/// Any text enum, so that generic code (the link parser) can name its allowed values.
pub trait TextEnum {
    fn allowed_values() -> String;
}

/// Where `text` is in `texts` (exact, case-sensitive). One function for every enum: the tables
/// are data, so the wasm carries no per-enum parsing code.
pub fn position(texts: &[&str], text: &str) -> Option<usize> {
    texts.iter().position(|t| *t == text)
}

/// Joins allowed values for a message: "`a`, `b` or `c`".
pub fn list_or(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
