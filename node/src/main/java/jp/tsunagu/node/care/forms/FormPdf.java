package jp.tsunagu.node.care.forms;

import java.io.IOException;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfLines;

/**
 * A filled form as an A4 PDF in the embedded Japanese font: title, patient, each section under
 * a ruled heading with every label and its answer indented below it, then who wrote it. Long
 * answers run onto further pages.
 */
final class FormPdf {

  private static final float TITLE = 22;
  private static final float HEADING = 16;
  private static final float LABEL = 11;
  private static final float BODY = 13;
  private static final float INDENT = 14;

  private FormPdf() {}

  static byte[] render(JapanesePdfFont font, FormDocument doc) {
    try {
      return PdfLines.render(font, pdf -> {
        pdf.line(doc.title(), TITLE);
        pdf.gap(4);
        for (FormDocument.Entry entry : doc.patient()) {
          pdf.wrapped(entry.label() + "：" + entry.value(), BODY);
        }
        for (FormDocument.Section section : doc.sections()) {
          pdf.gap(10);
          pdf.keepRoom(HEADING * 1.6f + LABEL * 1.6f + BODY * 1.6f + 8);
          pdf.line(section.title(), HEADING);
          pdf.rule();
          for (FormDocument.Entry entry : section.entries()) {
            pdf.keepRoom(LABEL * 1.6f + BODY * 1.6f);
            pdf.wrapped(entry.label(), LABEL);
            pdf.wrapped(entry.value(), BODY, INDENT);
          }
        }
        pdf.gap(14);
        pdf.rule();
        for (FormDocument.Entry entry : doc.footer()) {
          pdf.wrapped(entry.label() + "：" + entry.value(), LABEL);
        }
      });
    } catch (IOException e) {
      throw CodedException.internal("form.pdf_failed", "書類の PDF を作成できませんでした。");
    }
  }
}
