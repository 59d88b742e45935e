//! A cell's outputs: printed text, tables, live tables, rendered markdown and errors.

use leptos::prelude::*;
use streamlab_notebook::output::{CellError, CellOutput, TableOutput};

use crate::lesson_html::localize_images;
use crate::state::AppState;

/// Every output of a cell, in order.
#[component]
pub fn Outputs(
    /// The outputs to show.
    #[prop(into)]
    outputs: Signal<Vec<CellOutput>>,
) -> impl IntoView {
    view! {
        <div class="outputs" aria-live="polite">
            {move || outputs.get().into_iter().map(|output| view! { <Output output/> }).collect_view()}
        </div>
    }
}

/// One output.
#[component]
pub fn Output(output: CellOutput) -> impl IntoView {
    match output {
        CellOutput::Stdout(text) | CellOutput::Result(text) => view! { <pre class="stdout">{text}</pre> }.into_any(),
        CellOutput::Stderr(text) => view! { <pre class="stderr">{text}</pre> }.into_any(),
        CellOutput::Table(table) => view! { <Table table/> }.into_any(),
        CellOutput::LiveTable { query_id, table } => view! { <LiveTable query_id table/> }.into_any(),
        CellOutput::Html(html) => view! { <div class="markdown" inner_html=localize_images(&html)></div> }.into_any(),
        CellOutput::Error(error) => view! { <ErrorBox error/> }.into_any(),
    }
}

/// An error with the line it happened on.
#[component]
pub fn ErrorBox(error: CellError) -> impl IntoView {
    let place = error.location.map(|(line, column)| format!("line {line}, column {column}"));
    view! {
        <div class="error" role="alert">
            <strong class="ename">{error.ename.clone()}</strong>
            {place.map(|p| view! { <span class="where">{" at "}{p}</span> })}
            <pre>{error.message.clone()}</pre>
        </div>
    }
}

/// A table as HTML, with the column types as a tooltip on each header.
#[component]
pub fn Table(table: TableOutput) -> impl IntoView {
    let count = table.rows.len();
    let truncated = table.truncated;
    view! {
        <div class="table-wrap">
            <table class="result">
                <thead>
                    <tr>
                        {table.columns.iter().zip(&table.types).map(|(name, ty)| view! { <th scope="col" title=ty.clone()>{name.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {table.rows.into_iter().map(|row| view! { <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr> }).collect_view()}
                </tbody>
            </table>
            <p class="table-note">{format!("{count} row{}", if count == 1 { "" } else { "s" })}{truncated.then_some(" shown (more not shown)")}</p>
        </div>
    }
}

/// `display(streamingDF)`: the query's memory table, re-read after every batch.
#[component]
pub fn LiveTable(query_id: String, table: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = table.clone();
    let content = move || {
        state.version.track();
        state.lab.with_value(|lab| lab.table(&name))
    };
    let id = query_id.clone();
    let status = move || {
        state.version.track();
        let active = state.lab.with_value(|lab| lab.session().streams().get(&id).is_some_and(|q| q.is_active()));
        if active { "live" } else { "stopped" }
    };
    view! {
        <div class="live-table" data-query=query_id>
            <p class="live-badge">{move || status()}{" · "}{table.clone()}</p>
            {move || match content() {
                Ok(t) => view! { <Table table=t/> }.into_any(),
                Err(error) => view! { <ErrorBox error/> }.into_any(),
            }}
        </div>
    }
}
