package jp.tsunagu.node.care.forms;

import static jp.tsunagu.node.web.Html.escape;

import java.util.List;

/**
 * The print view of a filled form: a plain A4 page in large type with its own stylesheet (no app
 * shell, no script), every text escaped. The browser's print command prints it as it looks.
 */
final class FormPrintPage {

  private FormPrintPage() {}

  static String render(FormDocument doc, String pdfPath) {
    StringBuilder html = new StringBuilder(8192);
    String title = doc.title() + "（" + doc.patient().get(0).value() + "）";
    html.append("<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta name=\"robots\" content=\"noindex\"><title>").append(escape(title)).append("</title>")
        .append("<link rel=\"stylesheet\" href=\"/assets/form-print.css\"></head>\n")
        .append("<body class=\"form-print\"><main class=\"sheet\">")
        .append("<p class=\"no-print print-hint\">ブラウザの印刷（Ctrl+P、スマートフォンは共有メニュー）で印刷できます。")
        .append(" <a href=\"").append(escape(pdfPath)).append("\">PDF で開く</a></p>")
        .append("<h1>").append(escape(doc.title())).append("</h1>");
    table(html, "patient", doc.patient());
    for (FormDocument.Section section : doc.sections()) {
      html.append("<section><h2>").append(escape(section.title())).append("</h2>");
      table(html, "answers", section.entries());
      html.append("</section>");
    }
    html.append("<footer>");
    table(html, "signature", doc.footer());
    html.append("</footer></main></body></html>\n");
    return html.toString();
  }

  private static void table(StringBuilder html, String css, List<FormDocument.Entry> entries) {
    html.append("<table class=\"").append(css).append("\"><tbody>");
    for (FormDocument.Entry entry : entries) {
      boolean empty = FormDocument.EMPTY.equals(entry.value());
      html.append("<tr><th scope=\"row\">").append(escape(entry.label())).append("</th><td")
          .append(empty ? " class=\"empty\"" : "").append(">").append(escape(entry.value())).append("</td></tr>");
    }
    html.append("</tbody></table>");
  }
}
