package jp.tsunagu.node.care;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import jp.tsunagu.node.reference.ReferenceData;
import org.sqlite.SQLiteConfig;

/**
 * A node-sized care data set written straight into a stopped node's database file with plain SQL:
 * facilities, professionals, patients with care teams of 3 to 8 members, and a timeline history
 * whose posts grow denser toward the present, with read receipts, comments, direct posts and
 * attachment metadata in the proportions of daily use. Deterministic for a given seed and scale;
 * {@code scale} 1.0 is the whole real service (19,000 professionals, 31,000 patients, 3,000,000
 * posts), 0.01 a quick run.
 *
 * <p>The file is loaded without a journal and without fsync (it is rebuilt if the load fails) and
 * put back into WAL mode at the end; the node then opens it as it would any database.
 */
public final class CareDataSet {

  /** People who already exist (made through the node, with device certificates) and join teams like everyone else. */
  public record ExistingUser(String id, String profession, String displayName, String facilityName) {}

  /** What was loaded: counts, and the boards each existing user is an active member of. */
  public record Loaded(int professionals, int patients, long posts, long reads, List<List<String>> boardsOfExisting) {}

  static final int FULL_PROFESSIONALS = 19_000;
  static final int FULL_PATIENTS = 31_000;
  static final long FULL_POSTS = 3_000_000;
  private static final Duration HISTORY = Duration.ofDays(5 * 365);
  private static final int BOARD_BITS = 20;

  private static final String[][] FAMILY = {{"田中", "タナカ"}, {"鈴木", "スズキ"}, {"佐藤", "サトウ"}, {"高橋", "タカハシ"},
      {"伊藤", "イトウ"}, {"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"}, {"小林", "コバヤシ"},
      {"加藤", "カトウ"}, {"吉田", "ヨシダ"}, {"山田", "ヤマダ"}, {"松本", "マツモト"}, {"井上", "イノウエ"},
      {"木村", "キムラ"}, {"林", "ハヤシ"}, {"清水", "シミズ"}, {"近藤", "コンドウ"}, {"河合", "カワイ"},
      {"杉浦", "スギウラ"}, {"鈴村", "スズムラ"}, {"夏目", "ナツメ"}, {"牧野", "マキノ"}, {"神谷", "カミヤ"}};
  private static final String[][] GIVEN = {{"トメ", "トメ"}, {"正夫", "マサオ"}, {"ハル", "ハル"}, {"清", "キヨシ"},
      {"和子", "カズコ"}, {"茂", "シゲル"}, {"幸子", "サチコ"}, {"勇", "イサム"}, {"節子", "セツコ"}, {"博", "ヒロシ"},
      {"美智子", "ミチコ"}, {"実", "ミノル"}, {"久子", "ヒサコ"}, {"進", "ススム"}, {"陽子", "ヨウコ"},
      {"健一", "ケンイチ"}, {"恵子", "ケイコ"}, {"大輔", "ダイスケ"}, {"彩", "アヤ"}, {"翔太", "ショウタ"}};
  private static final String[] CARE_LEVELS = {"要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"};
  /** Categories with their share of posts in daily use. */
  private static final String[] CATEGORIES = {"申し送り", "申し送り", "申し送り", "連絡", "連絡", "バイタル", "バイタル",
      "服薬", "食事", "排泄", "睡眠", "リハビリ", "受診", "相談"};
  private static final String[] OPENINGS = {"訪問時、表情良好。", "本日訪問しました。", "定期訪問。", "ご家族より連絡あり。",
      "朝の訪問で確認しました。", "夕方の訪問時、", "デイサービスから戻られた後、", "訪問診療。"};
  private static final String[] FINDINGS = {"昼食は7割摂取。", "血圧 132/78、脈拍 72、体温 36.4℃、SpO2 97%。",
      "仙骨部に発赤なし。", "2日間排便なし。腹部膨満軽度。", "夜間3回覚醒あり、日中の傾眠傾向。", "歩行器で居室内を往復3回。ふらつきなし。",
      "内服は現行どおり継続。", "水分摂取量が少なめ（約800ml）。", "右下肢に軽度の浮腫あり。", "服薬カレンダーの飲み忘れなし。",
      "入浴介助を実施。皮膚トラブルなし。", "咳嗽・喀痰なし。呼吸音清明。"};
  private static final String[] CLOSINGS = {"引き続き経過をみます。", "水分摂取を促しました。", "次回訪問時に再評価します。",
      "ご家族に報告済みです。", "主治医に報告しました。", "ケアマネジャーへ共有します。", ""};
  private static final String[] COMMENTS = {"承知しました。", "ありがとうございます。次回訪問時に確認します。",
      "主治医に相談します。", "ご家族にもお伝えします。"};
  /** A care team's roles, with the professions that fill them; the first three every team has. */
  private static final String[][] TEAM = {{"主治医", "doctor"}, {"訪問看護", "visiting_nurse"},
      {"ケアマネジャー", "care_manager"}, {"訪問介護", "home_helper"}, {"薬剤師", "pharmacist"},
      {"訪問リハビリ", "pt"}, {"訪問介護", "home_helper"}, {"歯科医師", "dentist"}, {"訪問リハビリ", "ot"},
      {"管理栄養士", "dietitian"}, {"福祉用具", "welfare_equipment"}};
  /** The professions of the node's professionals, with their share (per 1,000). */
  private static final String[][] PROFESSIONS = {{"doctor", "130"}, {"visiting_nurse", "200"}, {"nurse", "50"},
      {"care_manager", "160"}, {"home_helper", "250"}, {"pharmacist", "80"}, {"pt", "40"}, {"ot", "25"},
      {"dentist", "25"}, {"dietitian", "10"}, {"welfare_equipment", "10"}, {"social_worker", "20"}};
  private static final String[][] FACILITY_OF = {{"doctor", "clinic", "在宅クリニック"}, {"nurse", "clinic", "在宅クリニック"},
      {"visiting_nurse", "home_nursing", "訪問看護ステーション"}, {"care_manager", "care_management", "居宅介護支援事業所"},
      {"home_helper", "home_care", "ヘルパーステーション"}, {"pharmacist", "pharmacy", "調剤薬局"},
      {"pt", "home_nursing", "訪問看護ステーション"}, {"ot", "home_nursing", "訪問看護ステーション"},
      {"dentist", "dental", "歯科クリニック"}, {"dietitian", "clinic", "在宅クリニック"},
      {"welfare_equipment", "other", "福祉用具センター"}, {"social_worker", "community_support", "地域包括支援センター"}};

  private final Random random;
  private final double scale;
  private final List<String> municipalities;
  private final Instant now;
  private final String passwordHash;

  public CareDataSet(long seed, double scale, List<String> municipalities, Instant now, String passwordHash) {
    this.random = new Random(seed);
    this.scale = scale;
    this.municipalities = municipalities;
    this.now = now;
    this.passwordHash = passwordHash;
  }

  private record Person(String id, String profession, String name, String facility) {}

  private record Board(String id, int[] members, int patientIndex) {}

  public Loaded load(Path database, List<ExistingUser> existing) throws SQLException {
    try (Connection c = bulkConnection(database)) {
      List<String> indexes = dropIndexes(c);
      c.setAutoCommit(false);
      List<Person> people = professionals(c, existing);
      List<Board> boards = patients(c, people);
      long[] counts = posts(c, people, boards);
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        for (String index : indexes) {
          s.execute(index);
        }
        s.execute("pragma journal_mode = wal");
      }
      List<List<String>> boardsOfExisting = new ArrayList<>();
      for (int e = 0; e < existing.size(); e++) {
        List<String> mine = new ArrayList<>();
        for (Board b : boards) {
          for (int m : b.members()) {
            if (m == e) {
              mine.add(b.id());
            }
          }
        }
        boardsOfExisting.add(mine);
      }
      return new Loaded(people.size(), boards.size(), counts[0], counts[1], boardsOfExisting);
    }
  }

  /**
   * Drops the secondary indexes of the tables loaded here and returns their SQL: building an index
   * once over sorted rows is many times faster than inserting millions of rows into it one by one.
   */
  private static List<String> dropIndexes(Connection c) throws SQLException {
    List<String[]> found = new ArrayList<>();
    try (Statement s = c.createStatement(); var rs = s.executeQuery("select name, sql from sqlite_master"
        + " where type = 'index' and sql is not null and tbl_name in ('users', 'facilities', 'care_boards', 'patients',"
        + " 'board_members', 'posts', 'post_versions', 'post_recipients', 'post_reads', 'comments', 'attachments')")) {
      while (rs.next()) {
        found.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    List<String> sql = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      for (String[] index : found) {
        s.execute("drop index " + index[0]);
        sql.add(index[1]);
      }
    }
    return sql;
  }

  private static Connection bulkConnection(Path database) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setGetGeneratedKeys(false);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath(), config.toProperties());
    try (Statement s = c.createStatement()) {
      s.execute("pragma journal_mode = off");
      s.execute("pragma synchronous = off");
      s.execute("pragma foreign_keys = off");
      s.execute("pragma cache_size = -1000000");
      s.execute("pragma locking_mode = exclusive");
    }
    return c;
  }

  /** Facilities of 1 to 12 people each; the existing users come first, so their index is their position. */
  private List<Person> professionals(Connection c, List<ExistingUser> existing) throws SQLException {
    int total = Math.max((int) Math.round(FULL_PROFESSIONALS * scale), existing.size() + TEAM.length * 4);
    List<Person> people = new ArrayList<>(total);
    for (ExistingUser e : existing) {
      people.add(new Person(e.id(), e.profession(), e.displayName(), e.facilityName()));
    }
    String at = now.minus(HISTORY).toString();
    try (PreparedStatement facility = c.prepareStatement("insert into facilities (id, name, prefecture,"
        + " municipality_code, category, status, created_at) values (?, ?, ?, ?, ?, 'active', ?)");
        PreparedStatement user = c.prepareStatement("insert into users (id, facility_id, login_id, email, family_name,"
            + " given_name, family_kana, given_kana, profession, role, password_hash, status, created_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'professional', ?, 'active', ?)")) {
      int facilities = 0;
      while (people.size() < total) {
        // one facility of each profession first, so that every role of a team can be filled at any scale
        String profession = facilities < PROFESSIONS.length ? PROFESSIONS[facilities][0] : weighted(PROFESSIONS);
        String[] kind = Arrays.stream(FACILITY_OF).filter(f -> f[0].equals(profession)).findFirst().orElseThrow();
        String code = municipalities.get(random.nextInt(municipalities.size()));
        String facilityId = uuid();
        String facilityName = ReferenceData.get().municipality(code).map(m -> m.nameJa()).orElse("") + "第"
            + (++facilities) + kind[2];
        bind(facility, facilityId, facilityName, ReferenceData.get().municipality(code).map(m -> m.prefecture())
            .orElse(""), code, kind[1], at);
        facility.executeUpdate();
        int staff = 1 + random.nextInt(12);
        for (int s = 0; s < staff && people.size() < total; s++) {
          String[] family = FAMILY[random.nextInt(FAMILY.length)];
          String[] given = GIVEN[random.nextInt(GIVEN.length)];
          String id = uuid();
          String login = "bench" + people.size();
          bind(user, id, facilityId, login, login + "@example.jp", family[0], given[0], family[1], given[1], profession,
              passwordHash, at);
          user.executeUpdate();
          people.add(new Person(id, profession, family[0] + " " + given[0], facilityName));
        }
      }
    }
    return people;
  }

  /** Patients, each a board with an active team of 3 to 8 members drawn from the professions their role needs. */
  private List<Board> patients(Connection c, List<Person> people) throws SQLException {
    int total = Math.max((int) Math.round(FULL_PATIENTS * scale), 10);
    List<String> professions = Arrays.stream(PROFESSIONS).map(p -> p[0]).toList();
    int[][] byProfession = professions.stream().map(p -> indexesOf(people, p)).toArray(int[][]::new);
    List<Board> boards = new ArrayList<>(total);
    try (PreparedStatement board = c.prepareStatement("insert into care_boards (id, kind, created_at)"
        + " values (?, 'patient', ?)");
        PreparedStatement patient = c.prepareStatement("insert into patients (id, family_name, given_name, family_kana,"
            + " given_kana, birth_date, sex, address, municipality_code, phone, family_doctor, care_level,"
            + " emergency_contacts, acp_notes, remarks, status, created_by, created_at, updated_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)");
        PreparedStatement member = c.prepareStatement("insert or ignore into board_members (board_id, user_id,"
            + " team_role, status, invited_by, invited_at, changed_at) values (?, ?, ?, 'active', ?, ?, ?)")) {
      for (int p = 0; p < total; p++) {
        int size = 3 + random.nextInt(6);
        int[] members = new int[size];
        String[] roles = new String[size];
        for (int m = 0; m < size; m++) {
          String[] slot = TEAM[m < 3 ? m : 3 + random.nextInt(TEAM.length - 3)];
          int[] pool = byProfession[professions.indexOf(slot[1])];
          members[m] = pool[random.nextInt(pool.length)];
          roles[m] = slot[0];
        }
        String id = timeOrderedId(now.minus(HISTORY).toEpochMilli() + (long) (random.nextDouble() * HISTORY.toMillis()));
        String at = now.minus(HISTORY).toString();
        String[] family = FAMILY[random.nextInt(FAMILY.length)];
        String[] given = GIVEN[random.nextInt(GIVEN.length)];
        String code = municipalities.get(random.nextInt(municipalities.size()));
        Person doctor = people.get(members[0]);
        bind(board, id, at);
        board.executeUpdate();
        bind(patient, id, family[0], given[0], family[1], given[1],
            LocalDate.of(1925 + random.nextInt(30), 1 + random.nextInt(12), 1 + random.nextInt(28)).toString(),
            random.nextBoolean() ? "female" : "male", ReferenceData.get().municipality(code).map(m -> m.nameJa())
                .orElse("") + "中央" + (1 + random.nextInt(9)) + "-" + (1 + random.nextInt(30)), code,
            "0532-00-" + String.format("%04d", random.nextInt(10_000)), doctor.name() + "（" + doctor.facility() + "）",
            CARE_LEVELS[random.nextInt(CARE_LEVELS.length)], "長女 090-0000-" + String.format("%04d", random.nextInt(10_000)),
            "自宅での療養を希望。", "", doctor.id(), at, at);
        patient.executeUpdate();
        for (int m = 0; m < size; m++) {
          bind(member, id, people.get(members[m]).id(), roles[m], doctor.id(), at, at);
          member.executeUpdate();
        }
        boards.add(new Board(id, members, p));
      }
    }
    return boards;
  }

  /**
   * The posts, in the order they were written: each board gets a share of the history drawn from
   * a long-tailed distribution (a few patients have thousands of posts, most a few dozen), and a
   * post's age is drawn so that the recent months hold most of them, as a growing service has.
   */
  private long[] posts(Connection c, List<Person> people, List<Board> boards) throws SQLException {
    long total = Math.max(Math.round(FULL_POSTS * scale), boards.size());
    double[] weights = new double[boards.size()];
    double sum = 0;
    for (int b = 0; b < weights.length; b++) {
      weights[b] = Math.exp(random.nextGaussian());
      sum += weights[b];
    }
    long[] packed = new long[(int) total];
    int n = 0;
    long historyMillis = HISTORY.toMillis();
    for (int b = 0; b < weights.length && n < total; b++) {
      int share = (int) Math.max(1, Math.round(weights[b] / sum * total));
      for (int i = 0; i < share && n < total; i++) {
        double u = random.nextDouble();
        long age = (long) (u * u * historyMillis);
        packed[n++] = ((historyMillis - age) << BOARD_BITS) | b;
      }
    }
    while (n < total) {
      long age = (long) (Math.pow(random.nextDouble(), 2) * historyMillis);
      packed[n++] = ((historyMillis - age) << BOARD_BITS) | random.nextInt(boards.size());
    }
    Arrays.sort(packed);
    long start = now.toEpochMilli() - historyMillis;
    int[] seq = new int[boards.size()];
    long reads = 0;
    try (PostStatements s = new PostStatements(c)) {
      for (int i = 0; i < packed.length; i++) {
        long at = start + (packed[i] >>> BOARD_BITS);
        Board board = boards.get((int) (packed[i] & ((1 << BOARD_BITS) - 1)));
        reads += post(s, people, board, ++seq[board.patientIndex()], at);
        if (i % 100_000 == 99_999) {
          c.commit();
        }
      }
    }
    return new long[] {total, reads};
  }

  /** One post with what hangs off it; returns the number of read receipts written. */
  private int post(PostStatements s, List<Person> people, Board board, int seq, long at) throws SQLException {
    int[] members = board.members();
    int authorIndex = members[random.nextInt(members.length)];
    Person author = people.get(authorIndex);
    String id = timeOrderedId(at);
    String when = Instant.ofEpochMilli(at).toString();
    String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
    String body = body();
    boolean direct = random.nextInt(50) == 0;
    bind(s.post, id, board.id(), seq, author.id(), author.name(), profession(author.profession()), author.facility(),
        category, body, direct ? 1 : 0, when);
    s.post.executeUpdate();
    bind(s.version, id, category, body, when);
    s.version.executeUpdate();
    int[] recipients = direct ? new int[] {authorIndex, members[random.nextInt(members.length)]} : new int[0];
    for (int r : recipients) {
      bind(s.recipient, id, people.get(r).id());
      s.recipient.executeUpdate();
    }
    if (random.nextInt(25) == 0) {
      bind(s.attachment, uuid(), HexFormat.of().formatHex(bytes(32)), "IMG_" + (1000 + random.nextInt(9000)) + ".jpg",
          "image/jpeg", 200_000 + random.nextInt(2_000_000), author.id(), when, id);
      s.attachment.executeUpdate();
    }
    if (random.nextInt(12) == 0) {
      Person commenter = people.get(members[random.nextInt(members.length)]);
      bind(s.comment, timeOrderedId(at + 3_600_000), id, commenter.id(), commenter.name(),
          profession(commenter.profession()), commenter.facility(), COMMENTS[random.nextInt(COMMENTS.length)],
          Instant.ofEpochMilli(at + 3_600_000).toString());
      s.comment.executeUpdate();
    }
    // Older posts have been read by most of the team; the last days' by fewer so far.
    double readShare = now.toEpochMilli() - at > Duration.ofDays(3).toMillis() ? 0.85 : 0.4;
    int reads = 0;
    for (int m : members) {
      if (m != authorIndex && (!direct || Arrays.stream(recipients).anyMatch(r -> r == m))
          && random.nextDouble() < readShare) {
        bind(s.read, id, people.get(m).id(), Instant.ofEpochMilli(at + 1 + random.nextInt(86_400_000)).toString());
        reads += s.read.executeUpdate();
      }
    }
    return reads;
  }

  private static final class PostStatements implements AutoCloseable {
    final PreparedStatement post;
    final PreparedStatement version;
    final PreparedStatement recipient;
    final PreparedStatement attachment;
    final PreparedStatement comment;
    final PreparedStatement read;

    PostStatements(Connection c) throws SQLException {
      post = c.prepareStatement("insert into posts (id, board_id, seq, author_id, author_name, author_profession,"
          + " author_facility, category, kind, body, direct, status, version, created_at)"
          + " values (?, ?, ?, ?, ?, ?, ?, ?, 'note', ?, ?, 'active', 1, ?)");
      version = c.prepareStatement("insert into post_versions (post_id, version, category, body, written_at)"
          + " values (?, 1, ?, ?, ?)");
      recipient = c.prepareStatement("insert or ignore into post_recipients (post_id, user_id) values (?, ?)");
      attachment = c.prepareStatement("insert into attachments (id, sha256, file_name, media_type, size, thumbnail,"
          + " uploaded_by, uploaded_at, post_id) values (?, ?, ?, ?, ?, 1, ?, ?, ?)");
      comment = c.prepareStatement("insert into comments (id, post_id, author_id, author_name, author_profession,"
          + " author_facility, body, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)");
      read = c.prepareStatement("insert or ignore into post_reads (post_id, user_id, read_at) values (?, ?, ?)");
    }

    @Override
    public void close() throws SQLException {
      for (PreparedStatement s : List.of(post, version, recipient, attachment, comment, read)) {
        s.close();
      }
    }
  }

  private String body() {
    StringBuilder text = new StringBuilder(OPENINGS[random.nextInt(OPENINGS.length)]);
    int findings = 1 + random.nextInt(4);
    for (int f = 0; f < findings; f++) {
      text.append(FINDINGS[random.nextInt(FINDINGS.length)]);
    }
    return text.append(CLOSINGS[random.nextInt(CLOSINGS.length)]).toString();
  }

  private String weighted(String[][] shares) {
    int pick = random.nextInt(Arrays.stream(shares).mapToInt(s -> Integer.parseInt(s[1])).sum());
    for (String[] share : shares) {
      pick -= Integer.parseInt(share[1]);
      if (pick < 0) {
        return share[0];
      }
    }
    return shares[0][0];
  }

  private static int[] indexesOf(List<Person> people, String profession) {
    return java.util.stream.IntStream.range(0, people.size())
        .filter(i -> people.get(i).profession().equals(profession)).toArray();
  }

  private static String profession(String code) {
    return ReferenceData.get().profession(code).map(ReferenceData.Profession::nameJa).orElse(code);
  }

  /** The shape of {@link CareIds}: milliseconds first, then 64 random bits. */
  private String timeOrderedId(long millis) {
    return String.format("%012x", millis) + HexFormat.of().formatHex(bytes(8));
  }

  private String uuid() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void bind(PreparedStatement s, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      s.setObject(i + 1, values[i]);
    }
  }
}
