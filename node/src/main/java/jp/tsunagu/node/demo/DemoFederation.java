package jp.tsunagu.node.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.vaccination.VaccinationFeature;
import jp.tsunagu.node.care.CareDemoTeams;
import jp.tsunagu.node.family.FamilyFeature;
import jp.tsunagu.node.meetings.MeetingsFeature;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.federation.DemoAgreement;
import jp.tsunagu.node.federation.FederationFeature;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.identity.IdentityFeature;
import jp.tsunagu.node.identity.Professionals;
import jp.tsunagu.node.review.ReviewFeature;

/**
 * The demo: the three nodes of the Kamiina pact (伊那市, 南箕輪村, 箕輪町, from the real network list)
 * on loopback, each with its own data directory under one demo folder. Ports start at a base
 * and move on to the next free port when one is taken.
 */
public final class DemoFederation implements AutoCloseable {

  static final String PACT = "kamiina";
  /** The title the Kamiina agreement carries (as in the admin CLI's examples). */
  static final String AGREEMENT_TITLE = "上伊那地域在宅医療・介護連携に関する広域連携協定";
  private static final String LOOPBACK = "127.0.0.1";

  private final List<TsunaguNode> nodes;
  private final AgreementReport agreement;
  private final DemoMailbox mailbox;
  private final List<ReviewerLogin> partnerReviewers;

  /** The partner node's 審査委員 on 伊那市's demo panel: her node, her login there and who she is. */
  public record ReviewerLogin(String node, String loginId, String who) {}

  /** The demo's partner reviewer: 南箕輪村's nurse on 伊那市's 第1合議体 (the wide-area union case). */
  static final String PARTNER_REVIEWER = "minamiminowa-kango";

  private DemoFederation(List<TsunaguNode> nodes, AgreementReport agreement, DemoMailbox mailbox,
      List<ReviewerLogin> partnerReviewers) {
    this.nodes = List.copyOf(nodes);
    this.agreement = agreement;
    this.mailbox = mailbox;
    this.partnerReviewers = List.copyOf(partnerReviewers);
  }

  /** Starts the demo's mail server, then the demo nodes and the mailbox page; on failure, stops what started. */
  public static DemoFederation start(Path demoDir, int basePort) {
    List<TsunaguNode> started = new ArrayList<>();
    DemoMailbox mailbox = DemoMailbox.startSmtp(LOOPBACK, freePort(basePort + 1000, Set.of()));
    try {
      int nextPort = basePort;
      for (ReferenceData.Network network : ReferenceData.get().networksOfPact(PACT)) {
        // A demo started before keeps its federation port: the agreement names that endpoint.
        Optional<Integer> kept = publishedFederationPort(demoDir, network);
        int web = freePort(kept.map(p -> p - 1).orElse(nextPort), kept.map(Set::of).orElse(Set.of()));
        int federation = kept.orElseGet(() -> freePort(web + 1, Set.of()));
        int admin = freePort(federation + 1, Set.of(web, federation));
        nextPort = Math.max(admin, federation) + 1;
        started.add(TsunaguNode.start(config(demoDir, network, web, federation, admin, mailbox.smtpPort())));
      }
      // Before the agreement, whose import makes each node pull its partners' resources at once.
      started.forEach(node -> node.features().forEach(NodeFeature::seedDemo));
      AgreementReport agreement = DemoAgreement.establish(started.stream()
          .map(node -> node.feature(FederationFeature.class).federation()).toList(), PACT, AGREEMENT_TITLE);
      CareDemoTeams.seed(teams(started));
      // A partner's nurse vaccinates a patient of the team she joined (recorded on her node, sent home).
      started.forEach(node -> node.feature(VaccinationFeature.class).seedPartnerDemo());
      // Meetings on the teams that now span two nodes; team sync carries them to the partners.
      started.forEach(node -> node.feature(MeetingsFeature.class).seedSharedTeams(node.vertx()));
      // The family notebook's 訪問予定: the home team's, and one the partner's nurse submits from her copy.
      started.forEach(node -> node.feature(FamilyFeature.class).seedSharedTeams());
      List<ReviewerLogin> reviewers = seatPartnerReviewer(started.get(0), started.get(1));
      mailbox.serve(started.get(0).vertx(), LOOPBACK, freePort(nextPort, Set.of(mailbox.smtpPort())));
      return new DemoFederation(started, agreement, mailbox, reviewers);
    } catch (RuntimeException e) {
      mailbox.close();
      started.forEach(TsunaguNode::close);
      throw e;
    }
  }

  /**
   * Teams that span two nodes: a 伊那市 patient with a 南箕輪村 visiting nurse, and a 南箕輪村 patient with
   * a 箕輪町 care manager, each partner's professional logged in to her own node.
   */
  private static List<CareDemoTeams.Team> teams(List<TsunaguNode> nodes) {
    CareFeature ina = nodes.get(0).feature(CareFeature.class);
    CareFeature minamiminowa = nodes.get(1).feature(CareFeature.class);
    CareFeature minowa = nodes.get(2).feature(CareFeature.class);
    return List.of(
        new CareDemoTeams.Team(ina, "竹松", minamiminowa, "minamiminowa-kango", "訪問看護", List.of(
            "南箕輪村の訪問看護ステーションから担当します。初回訪問。疼痛は NRS 3、表情穏やか。",
            "夜間の呼吸苦なし。ご家族へ緊急時の連絡先を再確認しました。")),
        new CareDemoTeams.Team(minamiminowa, "唐木", minowa, "minowa-caremane", "ケアマネジャー", List.of(
            "箕輪町の居宅介護支援事業所です。短期入所の空き状況を確認しています。")));
  }

  /**
   * A 南箕輪村 nurse takes the fifth seat of 伊那市's demo panel under the agreement's
   * {@code certification-review} scope, and the released session's package goes to her node now, so she
   * logs in there and sees her cases. A rerun finds her seated and sends only what is still undelivered.
   */
  private static List<ReviewerLogin> seatPartnerReviewer(TsunaguNode home, TsunaguNode partner) {
    String node = partner.services().config().node().name();
    Optional<Professionals.Professional> nurse = await(partner.feature(IdentityFeature.class).professionals()
        .findByLogin(PARTNER_REVIEWER));
    if (nurse.isEmpty()) {
      return List.of();
    }
    List<String> codes = home.feature(ReviewFeature.class).seedPartnerDemo(home.vertx(), node, nurse.get().userId(),
        nurse.get().displayName(), "nurse");
    if (codes.stream().anyMatch(code -> !code.equals("ok"))) {
      // The deletion job's run tries again within a quarter hour; the demo need not stop for it.
      org.slf4j.LoggerFactory.getLogger(DemoFederation.class).warn("the demo's review package to {} answered {}",
          node, codes);
    }
    String homeName = ReferenceData.get().municipality(home.services().config().node().municipalities().get(0))
        .map(ReferenceData.Municipality::nameJa).orElse(home.services().config().node().name());
    return List.of(new ReviewerLogin(node, PARTNER_REVIEWER, "審査委員 " + nurse.get().displayName() + "（" + homeName
        + " 第1合議体・連携先の委員）資料と事前審査: " + partner.services().config().webUrl() + "/#/review-partner"));
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the demo's partner reviewer was not found within 30 s", e);
    }
  }

  static NodeConfig config(Path demoDir, ReferenceData.Network network, int web, int federation, int admin,
      int smtpPort) {
    JsonObject json = new JsonObject()
        .put("node", new JsonObject()
            .put("name", network.node())
            .put("displayName", network.networkJa())
            .put("municipalities", new JsonArray(network.municipalityCodes())))
        .put("dataDir", network.node())
        // Each node its own host name (all loopback), so a browser keeps one session per node.
        .put("web", new JsonObject().put("host", LOOPBACK).put("port", web).put("publicUrl", publicUrl(network, web)))
        .put("federation", new JsonObject().put("host", LOOPBACK).put("port", federation))
        .put("admin", new JsonObject().put("host", LOOPBACK).put("port", admin))
        .put("mail", new JsonObject().put("host", LOOPBACK).put("port", smtpPort).put("startTls", "disabled")
            .put("from", "tsunagu@" + network.node() + ".demo.invalid"));
    return new ConfigLoader(name -> null).fromJson(json, demoDir).asDemo();
  }

  /** {@code https://ina.localhost:18443}: browsers resolve every {@code *.localhost} name to loopback. */
  static String publicUrl(ReferenceData.Network network, int web) {
    return "https://" + network.node() + ".localhost:" + web;
  }

  private static Optional<Integer> publishedFederationPort(Path demoDir, ReferenceData.Network network) {
    Path identity = demoDir.resolve(network.node()).resolve("identity");
    if (!NodeIdentity.exists(identity)) {
      return Optional.empty();
    }
    try {
      int port = NodeIdentity.load(identity).profile().federationEndpoint().getPort();
      return port > 0 ? Optional.of(port) : Optional.empty();
    } catch (ProtocolException e) {
      return Optional.empty(); // the node's start reports it
    }
  }

  private static int freePort(int from, Set<Integer> taken) {
    for (int port = from; port < from + 200 && port < 65_536; port++) {
      if (taken.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(LOOPBACK, port));
        return port;
      } catch (IOException e) {
        // taken: try the next one
      }
    }
    return 0;
  }

  public List<TsunaguNode> nodes() {
    return nodes;
  }

  /** The Kamiina agreement every demo node holds, as verified at start. */
  public AgreementReport agreement() {
    return agreement;
  }

  /** The partner nodes' reviewers on the demo's review panel, for the banner to name under their node. */
  public List<ReviewerLogin> partnerReviewers() {
    return partnerReviewers;
  }

  /** The demo's mailbox: the SMTP server the nodes send through and the page that shows the mails. */
  public DemoMailbox mailbox() {
    return mailbox;
  }

  @Override
  public void close() {
    mailbox.close();
    nodes.forEach(TsunaguNode::close);
  }
}
