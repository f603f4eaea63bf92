package jp.tsunagu.node.care.replication;

import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.PostDetailsSql;
import jp.tsunagu.node.care.timeline.Post;
import jp.tsunagu.node.care.teams.TeamRoles;
import jp.tsunagu.node.care.teams.Member;
import jp.tsunagu.node.care.teams.FederatedUsers;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.patients.Patient;
import jp.tsunagu.node.care.live.LiveEvents;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareErrors;

/**
 * What team replication may read and write of the care data, and nothing more: the care feature's
 * published service for the team sync feature, which imports none of care's SQL or routes. Every
 * method runs inside the caller's transaction ({@code c}) unless it says otherwise.
 */
public final class TeamData {

  /** A read receipt of a post: who read it, when. */
  public record Read(String userId, String readAt) {}

  private final FederatedUsers users;
  private final AttachmentFiles files;
  private final TeamEvents events;
  private final TeamApply apply;
  private final LiveEvents live;

  private TeamData(FederatedUsers users, AttachmentFiles files, TeamEvents events, TeamApply apply, LiveEvents live) {
    this.users = users;
    this.files = files;
    this.events = events;
    this.apply = apply;
    this.live = live;
  }

  /**
   * The node's care data as team replication sees it; built before both the care feature (which
   * shares its people, files and event drafts) and team replication.
   *
   * @param careTeamPartner whether a node may take part in care teams with this one now
   */
  public static TeamData create(NodeServices services, Predicate<String> careTeamPartner) {
    FederatedUsers users = new FederatedUsers(services.config().node().name());
    AttachmentFiles files = new AttachmentFiles(services.config().dataDir());
    return new TeamData(users, files, new TeamEvents(users), new TeamApply(users, files, careTeamPartner),
        LiveEvents.keptBy(services.database(), services.clock()));
  }

  /** The boards' live events, which what replication applies tells too. */
  public LiveEvents live() {
    return live;
  }

  public AttachmentFiles files() {
    return files;
  }

  /** The people of team events: federated ids, shadows of partners' professionals. */
  public FederatedUsers users() {
    return users;
  }

  /** The drafts of the events a board's history is made of. */
  public TeamEvents events() {
    return events;
  }

  /** The care feature's team event types (also declared through its feature contract). */
  public List<TeamEventType> eventTypes() {
    return apply.types();
  }

  // ----- boards and members --------------------------------------------------------------------------

  public Optional<Member> member(Connection c, String boardId, String userId) throws SQLException {
    return BoardSql.member(c, boardId, userId);
  }

  public List<Member> members(Connection c, String boardId) throws SQLException {
    return BoardSql.members(c, boardId);
  }

  /** Invites (or re-invites) a user, as the home node's invitation says. */
  public void upsertMember(Connection c, String boardId, String userId, String teamRole, String status,
      String invitedBy, String now) throws SQLException {
    BoardSql.upsertMember(c, boardId, userId, teamRole, status, invitedBy, now);
  }

  /** Moves a membership from one status to another; false when it was not in {@code from}. */
  public boolean changeMemberStatus(Connection c, String boardId, String userId, String from, String to, String now)
      throws SQLException {
    return BoardSql.changeStatus(c, boardId, userId, from, to, now);
  }

  /** Whether the user is a professional who may be invited to a team now. */
  public boolean invitable(Connection c, String userId) throws SQLException {
    return BoardSql.invitable(c, userId);
  }

  /** Whether a team role is one of a patient team's. */
  public boolean patientTeamRole(String teamRole) {
    return TeamRoles.PATIENT.contains(teamRole);
  }

  // ----- patients --------------------------------------------------------------------------------------

  /** What an invitee needs to recognise the patient, and nothing of the record itself. */
  public JsonObject patientSummary(Connection c, String boardId) throws SQLException {
    Patient.Details d = PatientSql.byId(c, boardId).orElseThrow(CareErrors::notFound).details();
    return new JsonObject().put("familyName", d.familyName()).put("givenName", d.givenName())
        .put("familyKana", d.familyKana()).put("givenKana", d.givenKana()).put("birthDate", d.birthDate().toString())
        .put("sex", d.sex()).put("municipalityCode", d.municipalityCode());
  }

  /**
   * The copy of a partner's patient board one of this node's professionals is invited to, before
   * any history arrives: the board homed at {@code home} and the patient's summary from the invitation.
   */
  public void openInvitedReplica(Connection c, String boardId, String home, JsonObject summary, String inviter,
      String now) throws SQLException {
    Patient.Details patient = invitedPatient(summary);
    try (PreparedStatement s = c.prepareStatement("insert into care_boards (id, kind, created_at, home_node,"
        + " replica_state) values (?, 'patient', ?, ?, 'live')")) {
      s.setString(1, boardId);
      s.setString(2, now);
      s.setString(3, home);
      s.executeUpdate();
    }
    PatientSql.insertReplica(c, boardId, patient, "active", inviter, now);
  }

  private static Patient.Details invitedPatient(JsonObject p) {
    String sex = requireText(p, "sex");
    if (!List.of("male", "female", "other").contains(sex)) {
      throw SyncRejection.malformed("sex " + sex);
    }
    try {
      return new Patient.Details(CareInput.checkedText(requireText(p, "familyName"), "姓", 40),
          CareInput.checkedText(requireText(p, "givenName"), "名", 40),
          CareInput.checkedText(requireText(p, "familyKana"), "セイ", 40),
          CareInput.checkedText(requireText(p, "givenKana"), "メイ", 40),
          LocalDate.parse(requireText(p, "birthDate")), sex, "",
          CareInput.checkedText(requireText(p, "municipalityCode"), "市町村", 6), "", "", "", "", "", "");
    } catch (java.time.format.DateTimeParseException e) {
      throw SyncRejection.malformed("birth date");
    } catch (SyncRejection e) {
      throw e;
    } catch (jp.tsunagu.node.errors.CodedException e) {
      throw SyncRejection.malformed("patient: " + e.getMessage());
    }
  }

  // ----- posts -------------------------------------------------------------------------------------

  public Optional<Post> post(Connection c, String postId) throws SQLException {
    return PostSql.exists(c, postId) ? Optional.of(PostSql.byId(c, postId)) : Optional.empty();
  }

  /** Up to {@code limit} posts of the board after {@code seq}, in the board's order. */
  public List<Post> postsAfter(Connection c, String boardId, long seq, int limit) throws SQLException {
    return PostSql.after(c, boardId, seq, limit);
  }

  public List<String> commentIds(Connection c, String postId) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select id from comments where post_id = ? order by created_at, id")) {
      s.setString(1, postId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  public List<Read> reads(Connection c, String postId) throws SQLException {
    List<Read> reads = new ArrayList<>();
    PostDetailsSql.query(c, "select user_id, read_at from post_reads where post_id = ? order by read_at",
        List.of(postId), rs -> reads.add(new Read(rs.getString(1), rs.getString(2))));
    return reads;
  }

  /** A post written here on a replica, waiting for its home node (送信待ち). */
  public void markPostPending(Connection c, String postId, String boardId) throws SQLException {
    PostSql.markPending(c, postId, boardId);
  }

  /** The home node accepted the post. */
  public void settlePost(Connection c, String postId, String boardId) throws SQLException {
    PostSql.settle(c, postId, boardId);
  }

  /** The home node refused the post. */
  public void markPostRejected(Connection c, String postId) throws SQLException {
    PostSql.markRejected(c, postId);
  }

  // ----- attachments ---------------------------------------------------------------------------------

  /** The boards with a post that carries the file. */
  public List<String> boardsHoldingFile(Connection c, String sha256) throws SQLException {
    List<String> boards = new ArrayList<>();
    PostDetailsSql.query(c, "select distinct p.board_id from attachments a join posts p on p.id = a.post_id"
        + " where a.sha256 = ?", List.of(sha256), rs -> boards.add(rs.getString(1)));
    PostDetailsSql.query(c, "select board_id from board_files where sha256 = ?", List.of(sha256), rs -> {
      if (!boards.contains(rs.getString(1))) {
        boards.add(rs.getString(1));
      }
    });
    return boards;
  }

  public Path attachmentFile(String sha256) {
    return files.file(sha256);
  }

  /** The files the events name that this node does not hold yet. */
  public List<String> missingFiles(List<Event> events) {
    List<String> missing = new ArrayList<>();
    for (Event event : events) {
      // A feature's event names the files it carries in {@code files} (hashes), fetched as a post's are.
      for (Object item : new JsonObject(event.data()).getJsonArray("files", new io.vertx.core.json.JsonArray())) {
        String sha = item instanceof String h ? h : "";
        if (sha.matches("[0-9a-f]{64}") && !Files.exists(files.file(sha)) && !missing.contains(sha)) {
          missing.add(sha);
        }
      }
      if (!event.type().equals(TeamEvents.POST)) {
        continue;
      }
      JsonObject post = new JsonObject(event.data()).getJsonObject("post", new JsonObject());
      for (Object item : post.getJsonArray("attachments", new io.vertx.core.json.JsonArray())) {
        String sha = item instanceof JsonObject a ? a.getString("sha256", "") : "";
        if (sha.matches("[0-9a-f]{64}") && !Files.exists(files.file(sha)) && !missing.contains(sha)) {
          missing.add(sha);
        }
      }
    }
    return missing;
  }

  /** Stores a file that arrived from a partner, after checking it is what its hash says. Blocking. */
  public void storeArrived(String sha256, byte[] content) {
    if (!AttachmentFiles.sha256(content).equals(sha256)) {
      throw new SyncRejection("sync.attachment_hash_mismatch", "the file received is not " + sha256);
    }
    AttachmentType type = AttachmentType.detect(content).orElseThrow(() -> new SyncRejection(
        "care.attachment_unsupported", "file " + sha256 + " is of a type that is not accepted"));
    files.store(sha256, content, type);
  }

  /** Deletes a file no row names any more (the caller checked). Blocking. */
  public void deleteFile(String sha256) {
    files.delete(sha256);
  }

  // ----- live streams --------------------------------------------------------------------------------

  /**
   * Keeps the notices' live events in the transaction that applied them: the board's streams (on
   * every instance of this node) hear of them once it is committed.
   */
  public void keepLive(java.sql.Connection c, List<LiveNotice> notices) throws java.sql.SQLException {
    for (LiveNotice notice : notices) {
      live.record(c, notice.boardId(), notice.event());
    }
  }
}
