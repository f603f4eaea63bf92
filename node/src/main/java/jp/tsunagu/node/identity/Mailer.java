package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.List;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the node's mails over the configured SMTP server. Mail bodies can hold a certificate
 * password, so they are never logged: failures are logged by recipient domain and subject only.
 */
public final class Mailer {

  private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);
  private static final String POOL = "tsunagu-mail";

  /**
   * One mail: a recipient, a subject and a plain-text body in Japanese, and files attached (an
   * invitation's iCalendar file, for one).
   */
  public record Mail(String to, String subject, String body, List<Attached> attachments) {
    public Mail {
      attachments = List.copyOf(attachments);
    }

    public Mail(String to, String subject, String body) {
      this(to, subject, body, List.of());
    }
  }

  /** A file attached to a mail; {@code contentType} with its parameters, e.g. {@code text/calendar; method=REQUEST}. */
  public record Attached(String name, String contentType, byte[] content) {}

  private final NodeConfig.Mail config;

  public Mailer(NodeConfig.Mail config) {
    this.config = config;
  }

  public boolean configured() {
    return config.host().isPresent();
  }

  /** Sends the mails in order; the future fails with {@code mail.not_sent} if any could not be sent. */
  public Future<Void> send(Vertx vertx, List<Mail> mails) {
    if (!configured()) {
      return Future.failedFuture(CodedException.unavailable("mail.not_configured", "メール送信が設定されていません。"));
    }
    MailClient client = MailClient.createShared(vertx, mailConfig(), POOL);
    Future<Void> chain = Future.succeededFuture();
    for (Mail mail : mails) {
      chain = chain.compose(v -> client.sendMail(message(mail)).<Void>mapEmpty()
          .recover(error -> {
            LOG.warn("mail '{}' to a recipient at {} not sent: {}", mail.subject(), domainOf(mail.to()),
                error.getMessage());
            return Future.failedFuture(CodedException.upstreamFailed("mail.not_sent", "メールを送信できませんでした。"));
          }));
    }
    return chain;
  }

  private MailConfig mailConfig() {
    MailConfig mail = new MailConfig()
        .setHostname(config.host().orElseThrow())
        .setPort(config.port())
        .setStarttls(switch (config.startTls()) {
          case "disabled" -> StartTLSOptions.DISABLED;
          case "optional" -> StartTLSOptions.OPTIONAL;
          default -> StartTLSOptions.REQUIRED;
        })
        .setKeepAlive(false);
    if (config.username().isPresent()) {
      mail.setLogin(LoginOption.REQUIRED).setUsername(config.username().get())
          .setPassword(config.password().orElseThrow());
    } else {
      mail.setLogin(LoginOption.DISABLED);
    }
    return mail;
  }

  private MailMessage message(Mail mail) {
    MailMessage message = new MailMessage().setFrom(config.from()).setTo(mail.to()).setSubject(mail.subject())
        .setText(mail.body());
    if (!mail.attachments().isEmpty()) {
      message.setAttachment(mail.attachments().stream().map(a -> MailAttachment.create().setName(a.name())
          .setContentType(a.contentType()).setData(Buffer.buffer(a.content()))).toList());
    }
    return message;
  }

  private static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? "?" : address.substring(at + 1);
  }
}
