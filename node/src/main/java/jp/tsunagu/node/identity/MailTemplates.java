package jp.tsunagu.node.identity;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The Japanese text of the node's mails. */
final class MailTemplates {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy年M月d日").withZone(ZoneId.of("Asia/Tokyo"));

  private MailTemplates() {}

  static Mailer.Mail approval(String to, String network, String facilityName, String personName) {
    return new Mailer.Mail(to, "【" + network + "】施設登録申請承認のお知らせ", """
        %s
        %s 様

        %sへの施設登録申請を承認しました。
        続けて届く2通のメール（電子証明書の取得番号とパスワード、ログインID）をご確認のうえ、
        電子証明書をインストールしてからログインしてください。

        このメールに心当たりのない場合は、お手数ですが市町村の担当窓口までご連絡ください。
        """.formatted(facilityName, personName, network));
  }

  static Mailer.Mail certificate(String to, String network, String baseUrl, CertificateIssuer.Issued issued) {
    return new Mailer.Mail(to, "【" + network + "】電子証明書の取得番号とパスワード", """
        電子証明書（端末用）の取得番号とパスワードをお知らせします。

        取得番号: %s
        パスワード: %s
        取得ページ: %s/#/certificate

        取得ページで取得番号とパスワードを入力すると、証明書ファイル（.p12）を1回だけダウンロードできます。
        インストール時にも同じパスワードを入力してください。証明書の有効期限は %s です。
        """.formatted(grouped(issued.retrievalNumber()), issued.password(), baseUrl, DATE.format(issued.notAfter())));
  }

  static Mailer.Mail loginId(String to, String network, String baseUrl, String loginId) {
    return new Mailer.Mail(to, "【" + network + "】ログインIDのお知らせ", """
        ログインIDをお知らせします。

        ログインID: %s
        ログインページ: %s/#/login

        パスワードは申請時にご自身で設定したものです。
        """.formatted(loginId, baseUrl));
  }

  static Mailer.Mail staffAccount(String to, String network, String baseUrl, String loginId, String password) {
    return new Mailer.Mail(to, "【" + network + "】ログインIDと初期パスワードのお知らせ", """
        施設管理者があなたのアカウントを登録しました。

        ログインID: %s
        初期パスワード: %s
        ログインページ: %s/#/login

        電子証明書の取得番号は別のメールでお知らせします。ログイン後、「アカウント」から必ずパスワードを変更してください。
        """.formatted(loginId, password, baseUrl));
  }

  static Mailer.Mail account(String to, String network, String baseUrl, User person, String password) {
    return new Mailer.Mail(to, "【" + network + "】アカウント登録のお知らせ", """
        %s 様

        %sに、あなたのアカウント（役割: %s）を登録しました。

        ログインID: %s
        初期パスワード: %s
        ログインページ: %s/#/login

        電子証明書の取得番号とパスワードは別のメールでお知らせします。証明書をこの端末にインストールしてから
        ログインし、「アカウント」から必ずパスワードを変更してください。
        """.formatted(person.displayName(), network, person.role().labelJa(), person.loginId(), password, baseUrl));
  }

  static Mailer.Mail rejection(String to, String network, String facilityName, String reason) {
    return new Mailer.Mail(to, "【" + network + "】施設登録申請についてのお知らせ", """
        %s 御中

        %sへの施設登録申請は、次の理由により承認されませんでした。

        理由: %s

        ご不明な点は市町村の担当窓口までお問い合わせください。
        """.formatted(facilityName, network, reason));
  }

  static Mailer.Mail withdrawalApproved(String to, String network, String facilityName) {
    return new Mailer.Mail(to, "【" + network + "】利用廃止申請承認のお知らせ", """
        %s 御中

        %sの利用廃止申請を承認しました。本日をもって貴施設のすべてのアカウントを停止し、
        電子証明書を失効させました。これまでのご協力に感謝いたします。

        ご不明な点は市町村の担当窓口までお問い合わせください。
        """.formatted(facilityName, network));
  }

  static Mailer.Mail withdrawalRejected(String to, String network, String facilityName, String reason) {
    return new Mailer.Mail(to, "【" + network + "】利用廃止申請についてのお知らせ", """
        %s 御中

        %sの利用廃止申請は、次の理由により承認されませんでした。引き続きご利用いただけます。

        理由: %s

        ご不明な点は市町村の担当窓口までお問い合わせください。
        """.formatted(facilityName, network, reason));
  }

  static String grouped(String digits) {
    return digits.replaceAll("(\\d{4})(?=\\d)", "$1-");
  }
}
