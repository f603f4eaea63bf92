package jp.tsunagu.node.disaster;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfLines;

/**
 * The printed list of one 地区 for 避難支援者 and 民生委員: an A4 PDF in large type (names 18 pt, facts
 * 14 pt) in the embedded Japanese font, people with a medical device first, with what a helper at the
 * door needs (address, phone, reasons, the 避難支援者 and the 避難先). It is printed because networks
 * fail in disasters: it states when it was made and which version of the register it shows.
 */
final class RegisterPdf {

  private static final float TITLE = 22;
  private static final float NAME = 18;
  private static final float BODY = 14;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy年M月d日 H:mm")
      .withZone(ZoneId.of("Asia/Tokyo"));

  private RegisterPdf() {}

  static byte[] render(JapanesePdfFont font, RegisterView.DistrictList list, Instant now) {
    try {
      return PdfLines.render(font, writer -> {
        writer.line("避難行動要支援者名簿　" + list.district().name() + "地区", TITLE);
        writer.wrapped("作成 " + WHEN.format(now) + "　台帳 第" + list.version().map(String::valueOf).orElse("-")
            + "版　" + list.people().size() + "人", BODY);
        String declared = list.visibility().declaration().map(d -> "災害モード: " + d.kind() + "（"
            + WHEN.format(Instant.parse(d.startedAt())) + " から）").orElse("");
        if (!declared.isEmpty()) {
          writer.wrapped(declared, BODY);
        }
        if (list.visibility().consentingOnly()) {
          writer.wrapped("平常時のため、情報提供に同意された方のみを載せています。", BODY);
        }
        writer.wrapped("個人情報です。支援の目的以外に使わず、用が済んだら市町村に返却してください。", BODY);
        writer.rule();
        int n = 1;
        for (RegisterPerson p : list.people()) {
          writer.keepRoom(NAME * 6);
          writer.gap(8);
          writer.line(n++ + ". " + p.name() + "（" + p.kana() + "）" + (p.medicalDevice() ? "　★医療機器" : ""), NAME);
          writer.wrapped("生年月日 " + p.birthDate() + "　電話 " + (p.phone().isEmpty() ? "なし" : p.phone()), BODY, 16);
          writer.wrapped("住所 " + p.address(), BODY, 16);
          writer.wrapped("理由 " + String.join("・", p.reasons().stream().map(Reason::labelJa).toList())
              + (p.careLevel().isEmpty() ? "" : "（" + p.careLevel() + "）"), BODY, 16);
          writer.wrapped("避難支援者 " + (p.supporterName().isEmpty() ? "未定" : p.supporterName() + " "
              + p.supporterContact()), BODY, 16);
          writer.wrapped("個別避難計画 " + (p.plan() ? "有　避難先 " + p.evacuationSite() : "無")
              + "　同意 " + (p.consent() ? "有" : "無"), BODY, 16);
          writer.wrapped("安否　□無事　□要支援　□負傷　□避難所（　　　　）　□入院　□連絡つかず", BODY, 16);
        }
        if (list.people().isEmpty()) {
          writer.wrapped("この地区に載せられる方はいません。", BODY);
        }
      });
    } catch (IOException e) {
      throw CodedException.internal("disaster.pdf_failed", "名簿の PDF を作成できませんでした。");
    }
  }
}
