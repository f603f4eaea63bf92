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
import jp.tsunagu.node.web.Templates;

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

  /** The mailbox page ({@code demo/mailbox.jte}): every mail, newest first, with its time as shown. */
  record Page(List<Mail> mails) {

    static String received(Mail mail) {
      return TIME.format(mail.receivedAt());
    }
  }

  private void page(HttpServerRequest request) {
    request.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .putHeader("X-Content-Type-Options", "nosniff").end(Templates.render("demo/mailbox.jte", new Page(mails())));
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

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    smtp.stop();
  }
}
