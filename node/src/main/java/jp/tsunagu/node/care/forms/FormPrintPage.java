package jp.tsunagu.node.care.forms;

import jp.tsunagu.node.web.Templates;

/**
 * The print view of a filled form ({@code care/forms/formPrint.jte}): a plain A4 page in large type with
 * its own stylesheet (no app shell, no script), every text escaped. The browser's print command
 * prints it as it looks.
 */
final class FormPrintPage {

  /** The page: its title (the form and the patient), the form, and where its PDF is. */
  record Page(String title, FormDocument doc, String pdfPath) {}

  private FormPrintPage() {}

  static String render(FormDocument doc, String pdfPath) {
    String title = doc.title() + "（" + doc.patient().get(0).value() + "）";
    return Templates.render("care/forms/formPrint.jte", new Page(title, doc, pdfPath));
  }
}
