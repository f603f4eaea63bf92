package jp.tsunagu.federation.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.federation.jws.JwsPolicy;
import jp.tsunagu.federation.jws.JwsSignature;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.jws.TrustedKey;

/**
 * The certification review's exchange (scope {@code certification-review}) between the node that holds a
 * session (the home: its 審査会事務局) and the node of a partner professional on its panel.
 *
 * <ul>
 *   <li>{@link MaterialsPackage}: the home sends the released materials of a session to the reviewer's
 *       node, for her only; cases under labels, never who the applicant is.</li>
 *   <li>{@link Opinion}: her node sends her 事前審査 opinion on a case back to the home.</li>
 *   <li>{@link OpinionsView}: the home sends a reviewer's node the session's opinions as she may see them
 *       there (her own; the others' only on the cases she has given hers, or all as they come when she
 *       chairs the panel), in its answer to her opinion and again whenever an opinion on the session
 *       changes; each view replaces the one before.</li>
 *   <li>{@link Deletion}: the home tells her node that the session's materials and opinions are deleted,
 *       so its copies go too.</li>
 * </ul>
 * Each is signed by the sending node; the receiver checks the signer is the calling partner, the scope,
 * {@code issuedAt} within {@link #MAX_SKEW} and the message's own rules (panel membership, deadline).
 */
public final class ReviewExchange {

    public static final String PACKAGE_TYP = "tsunagu-review-package+jws";
    public static final String OPINION_TYP = "tsunagu-review-opinion+jws";
    public static final String DELETION_TYP = "tsunagu-review-deletion+jws";
    public static final String OPINIONS_TYP = "tsunagu-review-opinions+jws";
    /** {@code POST} a signed package to the reviewer's node. */
    public static final String PACKAGE_PATH = FederationV1.BASE_PATH + "/review/packages";
    /** {@code POST} a signed opinion to the session's node. */
    public static final String OPINION_PATH = FederationV1.BASE_PATH + "/review/opinions";
    /** {@code POST} a signed deletion to the reviewer's node. */
    public static final String DELETION_PATH = FederationV1.BASE_PATH + "/review/deletions";
    /** {@code POST} a signed view of a session's opinions to the reviewer's node. */
    public static final String OPINIONS_PATH = FederationV1.BASE_PATH + "/review/opinion-views";
    /** How far {@code issuedAt} may be from the receiver's clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final JwsPolicy PACKAGE_POLICY = new JwsPolicy(PACKAGE_TYP, "review_package");
    private static final JwsPolicy OPINION_POLICY = new JwsPolicy(OPINION_TYP, "review_opinion");
    private static final JwsPolicy DELETION_POLICY = new JwsPolicy(DELETION_TYP, "review_deletion");
    private static final JwsPolicy OPINIONS_POLICY = new JwsPolicy(OPINIONS_TYP, "review_opinions");

    private ReviewExchange() {
    }

    /** A material of a case, with its bytes (a PDF). */
    public record Material(String id, String kind, String title, byte[] content) {
    }

    /** A case as a reviewer sees it: its label, the 一次判定, the special notes, the materials. */
    public record Case(String id, String label, String firstLevel, String specialNotes, List<Material> materials) {
    }

    /**
     * The released materials of a session for one reviewer of a partner node.
     *
     * @param node     the home, which signs
     * @param partner  the reviewer's node
     * @param reviewer her user id on her node
     * @param title    the session as she sees it (第3合議体 12/10)
     * @param deadline the 事前審査 deadline
     * @param endsAt   when the session ends (null from a sender that does not say)
     * @param videoUrl the session's video meeting ("" when not given): her node mails it to her
     */
    public record MaterialsPackage(String node, String partner, String reviewer, String sessionId, String title,
            Instant startsAt, Instant deadline, List<Case> cases, Instant issuedAt, Instant endsAt, String videoUrl) {

        /** A package without the meeting's end and link. */
        public MaterialsPackage(String node, String partner, String reviewer, String sessionId, String title,
                Instant startsAt, Instant deadline, List<Case> cases, Instant issuedAt) {
            this(node, partner, reviewer, sessionId, title, startsAt, deadline, cases, issuedAt, null, "");
        }

        public String sign(NodeIdentity identity) {
            requireSigner(identity, node, "review_package");
            Map<String, Object> json = header(node, issuedAt);
            json.put("partner", partner);
            json.put("reviewer", reviewer);
            json.put("sessionId", sessionId);
            json.put("title", title);
            json.put("startsAt", startsAt.toString());
            json.put("deadline", deadline.toString());
            if (endsAt != null) {
                json.put("endsAt", endsAt.toString());
            }
            json.put("videoUrl", videoUrl == null ? "" : videoUrl);
            List<Object> cs = new ArrayList<>();
            for (Case c : cases) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("id", c.id());
                k.put("label", c.label());
                k.put("firstLevel", c.firstLevel());
                k.put("specialNotes", c.specialNotes());
                List<Object> ms = new ArrayList<>();
                for (Material m : c.materials()) {
                    ms.add(Map.of("id", m.id(), "kind", m.kind(), "title", m.title(),
                            "content", Base64Url.encode(m.content())));
                }
                k.put("materials", ms);
                cs.add(k);
            }
            json.put("cases", cs);
            return compact(identity, PACKAGE_TYP, json);
        }

        public static MaterialsPackage verify(String compact, TrustStore trust) {
            Verified v = verified(compact, trust, PACKAGE_POLICY, "review_package");
            JsonFields f = v.fields();
            List<Case> cases = new ArrayList<>();
            for (Object o : f.array("cases")) {
                JsonFields k = JsonFields.of(o, "review_package.malformed", "case");
                List<Material> materials = new ArrayList<>();
                for (Object m : k.array("materials")) {
                    JsonFields mf = JsonFields.of(m, "review_package.malformed", "material");
                    materials.add(new Material(mf.string("id"), mf.string("kind"), mf.string("title"),
                            Base64Url.decode(mf.string("content"), "review_package.malformed")));
                }
                cases.add(new Case(k.string("id"), k.string("label"), k.string("firstLevel"), k.string("specialNotes"),
                        List.copyOf(materials)));
            }
            MaterialsPackage p = new MaterialsPackage(f.string("node"), f.string("partner"), f.string("reviewer"),
                    f.string("sessionId"), f.string("title"), instant(f, "startsAt", "review_package"),
                    instant(f, "deadline", "review_package"), List.copyOf(cases), instant(f, "issuedAt", "review_package"),
                    f.has("endsAt") ? instant(f, "endsAt", "review_package") : null,
                    f.has("videoUrl") ? f.string("videoUrl") : "");
            requireSigned(v, p.node(), "review_package");
            return p;
        }
    }

    /**
     * A partner reviewer's 事前審査 opinion on a case of the home's session.
     *
     * @param node     the reviewer's node, which signs
     * @param home     the session's node
     * @param reviewer her user id on her node
     */
    public record Opinion(String node, String home, String reviewer, String sessionId, String caseId, boolean agrees,
            String level, String reason, long months, String comment, Instant issuedAt) {

        public String sign(NodeIdentity identity) {
            requireSigner(identity, node, "review_opinion");
            Map<String, Object> json = header(node, issuedAt);
            json.put("home", home);
            json.put("reviewer", reviewer);
            json.put("sessionId", sessionId);
            json.put("caseId", caseId);
            json.put("agrees", agrees);
            json.put("level", level);
            json.put("reason", reason);
            json.put("months", months);
            json.put("comment", comment);
            return compact(identity, OPINION_TYP, json);
        }

        public static Opinion verify(String compact, TrustStore trust) {
            Verified v = verified(compact, trust, OPINION_POLICY, "review_opinion");
            JsonFields f = v.fields();
            if (!(f.object().get("agrees") instanceof Boolean agrees)) {
                throw new ProtocolException("review_opinion.malformed", "agrees is a boolean");
            }
            Opinion o = new Opinion(f.string("node"), f.string("home"), f.string("reviewer"), f.string("sessionId"),
                    f.string("caseId"), agrees, f.string("level"), f.string("reason"), f.integer("months"),
                    f.string("comment"), instant(f, "issuedAt", "review_opinion"));
            requireSigned(v, o.node(), "review_opinion");
            return o;
        }
    }

    /** An opinion as a reviewer sees it: who gave it (her name as the home shows it) and what it says. */
    public record OpinionEntry(String reviewerName, boolean agrees, String level, String reason, long months,
            String comment, String submittedAt) {
    }

    /**
     * The opinions of one case as she may see them: her own (null before she gives it) and, when
     * {@code othersVisible}, the others'.
     */
    public record CaseOpinions(String caseId, OpinionEntry mine, boolean othersVisible, List<OpinionEntry> others) {
    }

    /**
     * A session's opinions for one reviewer of a partner node, as the home's rule lets her see them. Her
     * node keeps the latest by {@code issuedAt} and deletes it with the session's copies.
     *
     * @param node    the home, which signs
     * @param partner the reviewer's node
     */
    public record OpinionsView(String node, String partner, String reviewer, String sessionId,
            List<CaseOpinions> cases, Instant issuedAt) {

        public String sign(NodeIdentity identity) {
            requireSigner(identity, node, "review_opinions");
            Map<String, Object> json = header(node, issuedAt);
            json.put("partner", partner);
            json.put("reviewer", reviewer);
            json.put("sessionId", sessionId);
            List<Object> cs = new ArrayList<>();
            for (CaseOpinions c : cases) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("caseId", c.caseId());
                if (c.mine() != null) {
                    k.put("mine", entry(c.mine()));
                }
                k.put("othersVisible", c.othersVisible());
                List<Object> others = new ArrayList<>();
                c.others().forEach(o -> others.add(entry(o)));
                k.put("others", others);
                cs.add(k);
            }
            json.put("cases", cs);
            return compact(identity, OPINIONS_TYP, json);
        }

        public static OpinionsView verify(String compact, TrustStore trust) {
            Verified v = verified(compact, trust, OPINIONS_POLICY, "review_opinions");
            JsonFields f = v.fields();
            List<CaseOpinions> cases = new ArrayList<>();
            for (Object o : f.array("cases")) {
                JsonFields k = JsonFields.of(o, "review_opinions.malformed", "case");
                List<OpinionEntry> others = new ArrayList<>();
                for (Object e : k.array("others")) {
                    others.add(entry(JsonFields.of(e, "review_opinions.malformed", "opinion")));
                }
                cases.add(new CaseOpinions(k.string("caseId"), k.has("mine") ? entry(k.object("mine")) : null,
                        bool(k, "othersVisible"), List.copyOf(others)));
            }
            OpinionsView view = new OpinionsView(f.string("node"), f.string("partner"), f.string("reviewer"),
                    f.string("sessionId"), List.copyOf(cases), instant(f, "issuedAt", "review_opinions"));
            requireSigned(v, view.node(), "review_opinions");
            return view;
        }

        private static Map<String, Object> entry(OpinionEntry o) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("reviewerName", o.reviewerName());
            e.put("agrees", o.agrees());
            e.put("level", o.level());
            e.put("reason", o.reason());
            e.put("months", o.months());
            e.put("comment", o.comment());
            e.put("submittedAt", o.submittedAt());
            return e;
        }

        private static OpinionEntry entry(JsonFields e) {
            return new OpinionEntry(e.string("reviewerName"), bool(e, "agrees"), e.string("level"), e.string("reason"),
                    e.integer("months"), e.string("comment"), e.string("submittedAt"));
        }

        private static boolean bool(JsonFields f, String name) {
            if (!(f.object().get(name) instanceof Boolean b)) {
                throw new ProtocolException("review_opinions.malformed", name + " is a boolean");
            }
            return b;
        }
    }

    /** The home deleted a session's materials and opinions; the reviewer's node deletes its copies. */
    public record Deletion(String node, String partner, String sessionId, Instant issuedAt) {

        public String sign(NodeIdentity identity) {
            requireSigner(identity, node, "review_deletion");
            Map<String, Object> json = header(node, issuedAt);
            json.put("partner", partner);
            json.put("sessionId", sessionId);
            return compact(identity, DELETION_TYP, json);
        }

        public static Deletion verify(String compact, TrustStore trust) {
            Verified v = verified(compact, trust, DELETION_POLICY, "review_deletion");
            JsonFields f = v.fields();
            Deletion d = new Deletion(f.string("node"), f.string("partner"), f.string("sessionId"),
                    instant(f, "issuedAt", "review_deletion"));
            requireSigned(v, d.node(), "review_deletion");
            return d;
        }
    }

    private record Verified(String signer, JsonFields fields) {
    }

    private static void requireSigner(NodeIdentity identity, String node, String prefix) {
        if (!identity.name().equals(node)) {
            throw new ProtocolException(prefix + ".node_mismatch", identity.name() + " cannot sign for " + node);
        }
    }

    private static void requireSigned(Verified v, String node, String prefix) {
        if (!node.equals(v.signer())) {
            throw new ProtocolException(prefix + ".node_mismatch", "signed by " + v.signer());
        }
    }

    private static Map<String, Object> header(String node, Instant issuedAt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("v", 1L);
        json.put("node", node);
        json.put("issuedAt", issuedAt.toString());
        return json;
    }

    private static Instant instant(JsonFields f, String name, String prefix) {
        try {
            return Instant.parse(f.string(name));
        } catch (DateTimeParseException e) {
            throw new ProtocolException(prefix + ".malformed", name + " is not an ISO-8601 instant", e);
        }
    }

    private static String compact(NodeIdentity identity, String typ, Map<String, Object> json) {
        String payloadB64 = Base64Url.encode(CanonicalJson.bytes(json));
        JwsSignature signature = JwsSignature.sign(identity.signingKey(), typ, Map.of(), payloadB64);
        return signature.protectedHeader() + "." + payloadB64 + "." + signature.signature();
    }

    private static Verified verified(String compact, TrustStore trust, JwsPolicy policy, String prefix) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new ProtocolException(prefix + ".malformed", "a compact JWS has three parts");
        }
        TrustedKey signer = policy.resolve(policy.check(parts[0]), trust);
        new JwsSignature(parts[0], parts[2]).verify(signer.key(), parts[1], prefix + ".signature_invalid");
        String body = new String(Base64Url.decode(parts[1], prefix + ".malformed"), StandardCharsets.UTF_8);
        JsonFields fields = JsonFields.of(Json.parse(body), prefix + ".malformed", prefix);
        if (fields.integer("v") != 1) {
            throw new ProtocolException(prefix + ".version_unsupported", "version " + fields.integer("v"));
        }
        return new Verified(signer.node(), fields);
    }
}
