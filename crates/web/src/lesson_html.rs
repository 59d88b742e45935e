//! Rendered lesson markdown made to work offline: the Databricks course's section headings
//! carry a Spark logo from `files.training.databricks.com`, which is unreachable offline (and
//! a broken-image icon in every heading). The page serves its own copy of the logo beside
//! itself (`spark-logo.svg`, copied by Trunk) and gives it alt text for screen readers.

/// The logo URL the lesson's headings use.
pub const REMOTE_SPARK_LOGO: &str = "https://files.training.databricks.com/images/105/logo_spark_tiny.png";

/// The page's own copy (relative to the page).
pub const LOCAL_SPARK_LOGO: &str = "spark-logo.svg";

/// `html` with the lesson's remote logo replaced by the local one, with alt text, sized to the
/// heading.
///
/// ```
/// use streamlab_web::lesson_html::localize_images;
/// let html = "<h2><img src=\"https://files.training.databricks.com/images/105/logo_spark_tiny.png\"> Windowing</h2>";
/// assert_eq!(localize_images(html), "<h2><img src=\"spark-logo.svg\" alt=\"Spark logo\" class=\"logo\"> Windowing</h2>");
/// assert_eq!(localize_images("<p>plain</p>"), "<p>plain</p>");
/// ```
pub fn localize_images(html: &str) -> String {
    if !html.contains(REMOTE_SPARK_LOGO) {
        return html.to_string();
    }
    html.replace(&format!("src=\"{REMOTE_SPARK_LOGO}\""), &format!("src=\"{LOCAL_SPARK_LOGO}\" alt=\"Spark logo\" class=\"logo\""))
}
