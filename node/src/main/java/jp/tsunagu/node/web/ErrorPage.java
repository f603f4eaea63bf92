package jp.tsunagu.node.web;

/**
 * The HTML face of an error, for a person who navigated to a page: the message in plain Japanese,
 * what to do next and the number to quote to support. The dotted code is not shown to people; it
 * is in the log under the request id (and in a data attribute for support tools).
 */
final class ErrorPage {

  /** What {@code web/errorPage.jte} shows. */
  record View(int status, String code, String message, String nextStep, String home, String homeLabel,
      String requestId) {}

  private ErrorPage() {}

  static String render(ErrorHandler.Answer error, String requestId, String path) {
    boolean portal = path != null && (path.equals("/resources") || path.startsWith("/resources/"));
    return Templates.render("web/errorPage.jte", new View(error.status(), error.code(), error.message(),
        nextStep(error.status()), portal ? "/resources" : "/", portal ? "地域資源さがしのトップへ戻る" : "ホームへ戻る",
        requestId));
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
