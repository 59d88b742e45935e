//! The file browser over the virtual file system: input, sink and checkpoint folders, a
//! preview of the selected file (logs as text, Parquet as a table), downloads, and uploads by
//! picker or drag and drop.

use leptos::prelude::*;
use leptos::task::spawn_local;
use streamlab_storage::Storage;

use crate::components::outputs::Table;
use crate::download::{download, file_bytes};
use crate::files::{is_uploadable, list_tree, preview, upload_path, Preview};
use crate::state::AppState;

/// The folder uploads go to unless the student types another.
pub const DEFAULT_UPLOAD_FOLDER: &str = "data/uploads";

/// The browser: a tree on top, the selected file's preview below.
#[component]
pub fn FileBrowser() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = RwSignal::new(None::<String>);
    let folder = RwSignal::new(DEFAULT_UPLOAD_FOLDER.to_string());
    let message = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);

    let tree = move || {
        if !state.files_visible.get() {
            return Ok(Vec::new());
        }
        state.version.track();
        state.lab.with_value(|lab| list_tree(lab.storage().as_ref(), "/"))
    };
    let shown = move || {
        if !state.files_visible.get() {
            return None;
        }
        state.version.track();
        let path = selected.get()?;
        Some((path.clone(), state.lab.with_value(|lab| preview(lab.storage().as_ref(), &path))))
    };
    let upload = move |files: Vec<web_sys::File>| {
        let target = folder.get_untracked();
        spawn_local(async move {
            let mut written = Vec::new();
            for file in files {
                let name = file.name();
                if !is_uploadable(&name) {
                    message.set(Some(format!("{name}: only .json, .csv, .parquet and .txt files are accepted")));
                    continue;
                }
                match file_bytes(&file).await {
                    Ok(bytes) => {
                        let path = upload_path(&target, &name);
                        match state.lab.with_value(|lab| lab.write_file(&path, &bytes)) {
                            Ok(()) => written.push(path),
                            Err(e) => message.set(Some(e.headline())),
                        }
                    }
                    Err(e) => message.set(Some(e)),
                }
            }
            if !written.is_empty() {
                message.set(Some(format!("Uploaded {}", written.join(", "))));
            }
            state.touch();
        });
    };
    let from_list = |list: Option<web_sys::FileList>| -> Vec<web_sys::File> {
        list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default()
    };
    let load = move |_| {
        message.set(Some("Loading the sample…".to_string()));
        state.load_sample(move |said| message.set(Some(said)));
    };

    view! {
        <section class="panel files" aria-labelledby="files-title">
            <h2 id="files-title">"Files"</h2>
            <div class="file-actions">
                <button class="load-sample" on:click=load>"Load sample data"</button>
                <label>"Upload to "
                    <input type="text" class="upload-folder" prop:value=move || folder.get() on:input=move |ev| folder.set(event_target_value(&ev)) aria-label="Upload folder"/>
                </label>
                <input type="file" multiple accept=".json,.jsonl,.csv,.parquet,.txt" aria-label="Choose files to upload"
                    on:change=move |ev| {
                        let input = event_target::<web_sys::HtmlInputElement>(&ev);
                        upload(from_list(input.files()));
                    }/>
            </div>
            <div class="drop-zone" aria-hidden="true" class:dragging=move || dragging.get()
                on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    upload(from_list(ev.data_transfer().and_then(|d| d.files())));
                }>
                "Drop JSON, CSV or Parquet files here"
            </div>
            {move || message.get().map(|m| view! { <p class="file-message" role="status">{m}</p> })}
            <ul class="tree" aria-label="Virtual file system">
                {move || match tree() {
                    Ok(entries) => entries.into_iter().map(|entry| {
                        let path = entry.path.clone();
                        let indent = format!("padding-left: {}em", entry.depth as f32 * 1.1);
                        let is_selected = { let p = path.clone(); move || selected.get().as_deref() == Some(p.as_str()) };
                        if entry.is_dir {
                            view! { <li class="dir" style=indent>{format!("▸ {}/", entry.name)}</li> }.into_any()
                        } else {
                            view! {
                                <li class="file" style=indent>
                                    <button class="file-link" class:selected=is_selected.clone() aria-pressed=move || is_selected().to_string() on:click=move |_| selected.set(Some(path.clone()))>{entry.name.clone()}</button>
                                    <span class="size">{format!(" {} B", entry.len)}</span>
                                </li>
                            }.into_any()
                        }
                    }).collect_view().into_any(),
                    Err(e) => view! { <li class="error">{e.to_string()}</li> }.into_any(),
                }}
            </ul>
            {move || shown().map(|(path, result)| {
                let name = streamlab_storage::file_name(&path).to_string();
                let path_for_download = path.clone();
                let save = move |_| {
                    let bytes = state.lab.with_value(|lab| lab.storage().read(&path_for_download));
                    let outcome = bytes.map_err(|e| e.to_string()).and_then(|b| download(&name, &b, "application/octet-stream"));
                    if let Err(e) = outcome {
                        message.set(Some(e));
                    }
                };
                view! {
                    <div class="preview" role="region" aria-label="File preview">
                        <div class="preview-head"><code>{path.clone()}</code><button class="download" on:click=save>"Download"</button></div>
                        {match result {
                            Ok(Preview::Text { text, cut }) => view! { <pre class="file-text">{text}{cut.then_some("\n…")}</pre> }.into_any(),
                            Ok(Preview::Table(table)) => view! { <Table table/> }.into_any(),
                            Ok(Preview::Binary { len }) => view! { <p>{format!("Binary file, {len} bytes")}</p> }.into_any(),
                            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        }}
                    </div>
                }
            })}
        </section>
    }
}
