package jp.tsunagu.node.web;

/**
 * The HTML face of an error, for a person who navigated to a page: the message in plain Japanese,
 * what to do next and the number to quote to support. The dotted code is not shown to people; it
 * is in the log under the request id (and in a data attribute for support tools).
 */
final class ErrorPage {

  private ErrorPage() {}

  static String render(ErrorHandler.Answer error, String requestId, String path) {
    boolean portal = path != null && (path.equals("/resources") || path.startsWith("/resources/"));
    String home = portal ? "/resources" : "/";
    String homeLabel = portal ? "地域資源さがしのトップへ戻る" : "ホームへ戻る";
    return """
        <!doctype html>
        <html lang="ja"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%d エラー | つなぐ</title><link rel="stylesheet" href="/assets/app.css"></head>
        <body><main class="error-page" data-error-code="%s"><h1>%s</h1>
        <p>%s</p>
        <p><a href="%s">%s</a></p>
        <p class="support-id"><small>お問い合わせ用番号: <code>%s</code></small></p></main></body></html>
        """.formatted(error.status(), Html.escape(error.code()), Html.escape(error.message()),
        nextStep(error.status()), home, homeLabel, Html.escape(requestId));
  }

  private static String nextStep(int status) {
    if (status == 404) {
      return "アドレスが変わったか、公開が終わった可能性があります。トップから探し直してください。";
    }
    if (status >= 500) {
      return "時間をおいてもう一度お試しください。続く場合は、下の番号を添えて担当窓口にお問い合わせください。";
    }
    return "入力内容やアドレスをご確認のうえ、もう一度お試しください。";
  }
}
