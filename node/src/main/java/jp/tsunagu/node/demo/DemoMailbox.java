package jp.tsunagu.node.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import jp.tsunagu.node.errors.CodedException;

/**
 * The demo's mail: a real SMTP server in the JVM (GreenMail) that every demo node sends through, and
 * the デモ用メールボックス, a page on its own small loopback listener where every mail the nodes sent
 * can be read (approval notices, retrieval numbers, initial passwords). Only the demo starts it: a
 * {@code serve} node has neither. Mails live in memory, for the run of the demo.
 */
public final class DemoMailbox implements AutoCloseable {

  /** The host name the mailbox is opened at (any {@code *.localhost} is loopback in browsers). */
  public static final String HOST = "mailbox.localhost";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneId.of("Asia/Tokyo"));

  /** One received mail as the page shows it. */
  public record Mail(String to, String from, String subject, Instant receivedAt, String body) {}

  private final GreenMail smtp;
  private final int smtpPort;
  private HttpServer server;

  private DemoMailbox(GreenMail smtp, int smtpPort) {
    this.smtp = smtp;
    this.smtpPort = smtpPort;
  }

  /** Starts the SMTP server on a loopback port. */
  static DemoMailbox startSmtp(String loopback, int port) {
    GreenMail smtp = new GreenMail(new ServerSetup(port, loopback, ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    return new DemoMailbox(smtp, smtp.getSmtp().getPort());
  }

  int smtpPort() {
    return smtpPort;
  }

  /** Serves the mailbox page on {@code loopback:port}; answers only to loopback host names. */
  void serve(Vertx vertx, String loopback, int port) {
    Set<String> hosts = Set.of(HOST, "localhost", "127.0.0.1");
    server = vertx.createHttpServer().requestHandler(request -> {
      HostAndPort authority = request.authority();
      if (authority == null || !hosts.contains(authority.host().toLowerCase(Locale.ROOT))) {
        request.response().setStatusCode(421).end();
      } else if (!request.path().equals("/")) {
        request.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
            .end("見つかりません。");
      } else {
        page(request);
      }
    });
    server.listen(port, loopback).await();
  }

  /** The page's address. */
  public URI url() {
    return URI.create("http://" + HOST + ":" + server.actualPort() + "/");
  }

  /** Every mail received so far, newest first. */
  public List<Mail> mails() {
    return Arrays.stream(smtp.getReceivedMessages()).map(DemoMailbox::mail)
        .sorted(Comparator.comparing(Mail::receivedAt).reversed()).toList();
  }

  private void page(HttpServerRequest request) {
    List<Mail> mails = mails();
    StringBuilder html = new StringBuilder("""
        <!doctype html><html lang="ja"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>デモ用メールボックス — つなぐ</title>
        <style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;line-height:1.6}
        article{border:1px solid #ccc;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
        pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:.5rem}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1rem;margin:0}dt{font-weight:bold}</style>
        </head><body><h1>デモ用メールボックス</h1>
        <p>デモのノードが送ったメールをすべて表示します（このデモを止めると消えます）。本番のノードにはこのページはありません。
        <a href="/">再読み込み</a></p>
        """);
    html.append("<p id=\"count\">").append(mails.size()).append("通</p>");
    if (mails.isEmpty()) {
      html.append("<p id=\"empty\">まだメールはありません。</p>");
    }
    html.append("<div id=\"mails\">");
    for (Mail mail : mails) {
      html.append("<article class=\"mail\"><dl><dt>宛先</dt><dd class=\"to\">").append(escape(mail.to()))
          .append("</dd><dt>差出人</dt><dd>").append(escape(mail.from()))
          .append("</dd><dt>件名</dt><dd class=\"subject\">").append(escape(mail.subject()))
          .append("</dd><dt>受信日時</dt><dd>").append(TIME.format(mail.receivedAt()))
          .append("</dd></dl><pre class=\"body\">").append(escape(mail.body())).append("</pre></article>");
    }
    html.append("</div></body></html>");
    request.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .putHeader("X-Content-Type-Options", "nosniff").end(html.toString());
  }

  private static Mail mail(MimeMessage message) {
    try {
      Instant received = message.getReceivedDate() != null ? message.getReceivedDate().toInstant()
          : message.getSentDate() != null ? message.getSentDate().toInstant() : Instant.EPOCH;
      Object content = message.getContent();
      return new Mail(addresses(message.getAllRecipients()), addresses(message.getFrom()),
          message.getSubject() == null ? "" : message.getSubject(), received,
          content instanceof String text ? text : "（本文を表示できません）");
    } catch (MessagingException | IOException e) {
      throw CodedException.internal("demo.mail_unreadable", "メールを読み取れませんでした。");
    }
  }

  private static String addresses(Address[] addresses) {
    return addresses == null ? "" : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    smtp.stop();
  }
}
