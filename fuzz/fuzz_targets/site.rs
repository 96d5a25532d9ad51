//! Fuzz target: `guidegen::fuzz::site` (book.toml, then a line `%%`, then a theme
//! template) on arbitrary UTF-8 (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        guidegen::fuzz::site(text);
    }
});
