package jp.tsunagu.node.teamsync;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.CareIds;

/**
 * Well-formed team events of every type the protocol has, made as a partner node would, and the
 * ways a hostile partner twists them: another board, an author of another node, a post of another
 * board, a post that does not exist. A test sends each twist and expects it refused.
 */
final class HostileEvents {

  /** One twist of an event of one type, and the code the receiving node must answer. */
  record Twisted(String type, String twist, Event event, String expectedCode) {}

  private final String origin;
  private final String home;
  private final String author;

  /** Events signed by {@code origin} for boards homed at {@code home}, written by {@code author}. */
  HostileEvents(String origin, String home, String author) {
    this.origin = origin;
    this.home = home;
    this.author = author;
  }

  /**
   * Every type, each twisted every way that applies to it.
   *
   * @param board the board the events are sent for
   * @param postOnBoard a post of that board
   * @param otherBoard another board of the receiving node
   * @param postOfOtherBoard a post of that other board
   * @param foreignAuthor a professional of a node other than the origin
   */
  List<Twisted> all(String board, String postOnBoard, String otherBoard, String postOfOtherBoard,
      String foreignAuthor) {
    List<Twisted> twisted = new ArrayList<>();
    for (String type : TeamEvents.TYPES) {
      twisted.add(new Twisted(type, "another board", valid(type, otherBoard, postOfOtherBoard, author),
          "envelope.id_mismatch"));
      twisted.add(new Twisted(type, "an author of another node", valid(type, board, postOnBoard, foreignAuthor),
          "sync.author_not_origin"));
      twisted.add(new Twisted(type, "a name with a right-to-left override", withHiddenText(valid(type, board,
          postOnBoard, author)), "sync.text_invalid"));
      if (namesPost(type)) {
        twisted.add(new Twisted(type, "a post of another board", valid(type, board, postOfOtherBoard, author),
            type.equals(TeamEvents.POST) ? "sync.object_exists" : "sync.object_not_on_board"));
        if (!type.equals(TeamEvents.POST)) {
          twisted.add(new Twisted(type, "an unknown post", valid(type, board, CareIds.next(), author),
              "sync.object_not_on_board"));
        }
      }
    }
    return twisted;
  }

  /** The well-formed event of a type: on {@code board}, about {@code postId} where the type names a post. */
  Event valid(String type, String board, String postId, String by) {
    JsonObject data = new JsonObject().put("author", HostilePartnerTest.profile(by, "南箕"));
    String newPost = type.equals(TeamEvents.POST) ? postId : CareIds.next();
    Optional<String> named = Optional.empty();
    String now = Instant.now().toString();
    switch (type) {
      case TeamEvents.OPENED, TeamEvents.PATIENT -> data.put("patient", new JsonObject().put("familyName", "偽")
          .put("givenName", "患者").put("familyKana", "ニセ").put("givenKana", "カンジャ").put("birthDate", "1940-01-01")
          .put("sex", "female").put("address", "").put("municipalityCode", "203858").put("phone", "")
          .put("familyDoctor", "").put("careLevel", "").put("emergencyContacts", "").put("acpNotes", "")
          .put("remarks", "").put("status", "active").put("updatedAt", now));
      case TeamEvents.INVITED -> data.put("member", HostilePartnerTest.profile("someone@" + origin, "誰か"))
          .put("teamRole", "訪問看護");
      case TeamEvents.MEMBER -> data.put("member", "someone@" + origin).put("status", "left").put("at", now);
      case TeamEvents.POST -> {
        data.put("post", new JsonObject().put("id", newPost).put("category", "申し送り").put("kind", "note")
            .put("body", "敵対的な投稿").put("createdAt", now).put("recipients", new JsonArray())
            .put("attachments", new JsonArray()));
        named = Optional.of(newPost);
      }
      case TeamEvents.EDITED -> {
        data.put("postId", postId).put("category", "申し送り").put("body", "書き換え").put("at", now);
        named = Optional.of(postId);
      }
      case TeamEvents.DELETED -> {
        data.put("postId", postId).put("at", now);
        named = Optional.of(postId);
      }
      case TeamEvents.COMMENT -> {
        data.put("comment", new JsonObject().put("id", CareIds.next()).put("postId", postId).put("body", "偽コメント")
            .put("createdAt", now));
        named = Optional.of(postId);
      }
      case TeamEvents.READ -> {
        data.put("postIds", new JsonArray().add(postId)).put("at", now);
        named = Optional.of(postId);
      }
      default -> throw new IllegalArgumentException(type);
    }
    List<String> targets = new ArrayList<>(List.of(board));
    named.ifPresent(targets::add);
    return new Event(UUID.randomUUID().toString(), type, origin, home, targets, Instant.now(),
        Json.parseObject(data.encode()));
  }

  /** The same event with the author's name holding U+202E, which shows text reversed. */
  private static Event withHiddenText(Event event) {
    JsonObject data = new JsonObject(event.data());
    data.getJsonObject("author").put("familyName", "南\u202E箕");
    return new Event(event.id(), event.type(), event.origin(), event.home(), event.targets(), event.issuedAt(),
        Json.parseObject(data.encode()));
  }

  static boolean namesPost(String type) {
    return List.of(TeamEvents.POST, TeamEvents.EDITED, TeamEvents.DELETED, TeamEvents.COMMENT, TeamEvents.READ)
        .contains(type);
  }
}
