package jp.tsunagu.node.web;

/** The HTML face of an error, for a person who navigated to a page. */
final class ErrorPage {

  private ErrorPage() {}

  static String render(ApiException error, String requestId) {
    return """
        <!doctype html>
        <html lang="ja"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%d エラー | つなぐ</title><link rel="stylesheet" href="/assets/app.css"></head>
        <body><main class="error-page"><h1>%s</h1>
        <p>エラーコード: <code>%s</code></p><p>問い合わせ番号: <code>%s</code></p>
        <p><a href="/">ホームへ戻る</a></p></main></body></html>
        """.formatted(error.status(), Html.escape(error.getMessage()), Html.escape(error.code()), Html.escape(requestId));
  }
}
