package jp.tsunagu.node.meetings;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * A professional's 予定: her meetings across every team and group, by week (Monday to Sunday, Japan
 * time), and her personal iCalendar feed. The feed's address carries a secret (256 random bits) that
 * only its SHA-256 is kept of; making a new address revokes the old one, and a revoked address gets
 * {@code meetings.feed_revoked} (410) for good, so a calendar application says why it stopped.
 */
final class PersonalCalendar {

  /** How far the feed reaches back and ahead. */
  private static final int FEED_DAYS_BACK = 30;
  private static final int FEED_DAYS_AHEAD = 180;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final NodeServices services;
  private final AuditLog audit;
  private final MeetingAccess access;
  private final MeetingCalendar calendar;

  PersonalCalendar(NodeServices services, AuditLog audit, MeetingAccess access, MeetingCalendar calendar) {
    this.services = services;
    this.audit = audit;
    this.access = access;
    this.calendar = calendar;
  }

  /** The user's meetings of the week {@code offset} weeks from this one (0 this week, 1 next week). */
  Future<JsonObject> week(String userId, int offset) {
    LocalDate monday = LocalDate.now(services.clock().withZone(Meeting.JAPAN))
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(offset);
    Instant from = monday.atStartOfDay(Meeting.JAPAN).toInstant();
    Instant to = monday.plusWeeks(1).atStartOfDay(Meeting.JAPAN).toInstant();
    return services.database().read(c -> {
      JsonArray meetings = new JsonArray();
      for (Meeting m : MeetingSql.ofParticipant(c, userId, from, to)) {
        meetings.add(access.json(c, m, userId));
      }
      return new JsonObject().put("from", monday.toString()).put("to", monday.plusDays(6).toString())
          .put("offset", offset).put("meetings", meetings).put("feedActive", MeetingSql.hasActiveFeed(c, userId));
    }).compose(json -> audit.record(AuditEvent.success(userId, "meetings.calendar.read", "user:" + userId,
        new JsonObject().put("from", monday.toString()))).map(x -> json));
  }

  /** A new feed secret for the user (the old one revoked); answered once, never stored. */
  Future<JsonObject> newFeed(String userId) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String now = Instant.now(services.clock()).toString();
    return services.database().write(c -> {
      MeetingSql.revokeFeeds(c, userId, now);
      MeetingSql.insertFeed(c, sha256(secret), userId, now);
      audit.append(c, AuditEvent.success(userId, "meetings.feed.created", "user:" + userId, null));
      return new JsonObject().put("url", services.config().webUrl() + "/api/v1/calendar-feeds/" + secret + ".ics");
    });
  }

  Future<JsonObject> revoke(String userId) {
    String now = Instant.now(services.clock()).toString();
    return services.database().write(c -> {
      int revoked = MeetingSql.revokeFeeds(c, userId, now);
      audit.append(c, AuditEvent.success(userId, "meetings.feed.revoked", "user:" + userId, null));
      return new JsonObject().put("revoked", revoked);
    });
  }

  /** The feed of a secret: the owner's meetings as iCalendar; a revoked or unknown secret is refused. */
  Future<String> feed(String secret) {
    String hash = sha256(secret);
    Instant now = Instant.now(services.clock());
    return services.database().read(c -> {
      MeetingSql.Feed feed = MeetingSql.feed(c, hash).orElseThrow(() ->
          CodedException.notFound("meetings.feed_not_found", "このカレンダーのアドレスは見つかりません。"));
      if (!feed.active()) {
        throw CodedException.gone("meetings.feed_revoked",
            "このカレンダーのアドレスは無効にされました。つなぐの「予定」画面で新しいアドレスを発行してください。");
      }
      List<Meeting> meetings = MeetingSql.ofParticipant(c, feed.userId(), now.minus(java.time.Duration.ofDays(
          FEED_DAYS_BACK)), now.plus(java.time.Duration.ofDays(FEED_DAYS_AHEAD)));
      return new Fed(feed.userId(), calendar.feed(meetings, now));
    }).recover(refused -> audit.record(AuditEvent.refused("anonymous", "meetings.feed.read",
        "feed:" + hash.substring(0, 12), new JsonObject().put("reason", refused instanceof CodedException coded
            ? coded.code() : "error"))).transform(x -> Future.<Fed>failedFuture(refused)))
        .compose(fed -> audit.record(AuditEvent.success(fed.userId(), "meetings.feed.read", "user:" + fed.userId(),
            null)).map(x -> fed.ics()));
  }

  private record Fed(String userId, String ics) {}

  static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
