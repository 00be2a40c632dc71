//! Download a text as a file, through a Blob URL and a temporary link.

use wasm_bindgen::JsCast;

/// Starts a download of `text` as `file_name`; `Err` carries a message for the user.
pub fn download(file_name: &str, text: &str) -> Result<(), String> {
    let fail = |_| "The browser refused the download.".to_string();
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    // Not text/plain: browsers would append ".txt" to names such as pgbouncer.ini.
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
