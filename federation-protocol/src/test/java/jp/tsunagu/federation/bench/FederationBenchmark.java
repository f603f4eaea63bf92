package jp.tsunagu.federation.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import jp.tsunagu.federation.agreement.Agreement;
import jp.tsunagu.federation.crypto.Ed25519;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AgreementVerifier;
import jp.tsunagu.federation.agreement.AmendmentRule;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.ReferenceData;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * On-demand benchmark ({@code mvn -pl federation-protocol -am -Pbench -DskipTests verify}), never
 * part of the tests: envelope sign/verify rates as ratios of the raw signature primitive measured
 * in the same run, ES256 against Ed25519 for the algorithm choice, and the full verification time
 * of a 49-party agreement, and our RFC 8785 canonicalizer against the maintained Java one.
 */
public final class FederationBenchmark {
    private static final long WINDOW_NANOS = 2_000_000_000L;

    private FederationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path temp = Files.createTempDirectory("tsunagu-bench");
        NodeIdentity origin = identity(temp, "minamiminowa", "203858");
        NodeIdentity home = identity(temp, "ina", "202096");
        TrustStore trust = TrustStore.of(List.of(origin.card(), home.card()));
        Event event = new Event("evt-bench-1", "care.post.created", "minamiminowa", "ina",
                List.of("patient:p-17@ina", "team:t-3@ina"), Instant.parse("2025-04-01T09:00:00Z"),
                Map.of("text", "訪問看護。血圧 128/76、食欲あり。夜間の不眠の訴えあり、主治医へ報告予定。".repeat(4), "profession", "nurse"));
        String compact = EventEnvelope.sign(event, origin);
        byte[] signingInput = compact.substring(0, compact.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        byte[] rawSignature = origin.sign(signingInput);
        var publicKey = origin.card().signingKey();

        System.out.printf("event envelope: %d bytes compact, %d bytes signing input%n", compact.length(), signingInput.length);
        byte[] x = origin.signingKey().privateJwk().getX().decode();
        byte[] d = origin.signingKey().privateJwk().getD().decode();
        java.security.PublicKey jdkPublic = Ed25519.publicKey(origin.signingKey().privateJwk());
        java.security.PrivateKey jdkPrivate = Ed25519.privateKey(origin.signingKey().privateJwk());
        // The machine is shared, so each pair is measured in alternating short slices: both sides
        // see the same background load and the ratio stays meaningful even when rates wander.
        double[] primitives = interleaved(() -> Ed25519.verify(jdkPublic, signingInput, rawSignature),
                () -> org.bouncycastle.math.ec.rfc8032.Ed25519.verify(rawSignature, 0, x, 0, signingInput, 0, signingInput.length));
        System.out.printf("Ed25519 verify: JDK %6.0f/s  Bouncy Castle raw %6.0f/s  ratio BC/JDK %.2f%n",
                primitives[0], primitives[1], primitives[1] / primitives[0]);
        double[] signs = interleaved(() -> Ed25519.sign(jdkPrivate, signingInput).length == 64,
                () -> bcSign(d, x, signingInput).length == 64);
        System.out.printf("Ed25519 sign:   JDK %6.0f/s  Bouncy Castle raw %6.0f/s  ratio BC/JDK %.2f%n",
                signs[0], signs[1], signs[1] / signs[0]);
        double[] sign = interleaved(() -> bcSign(d, x, signingInput).length == 64, () -> EventEnvelope.sign(event, origin).length() > 0);
        double[] verify = interleaved(() -> org.bouncycastle.math.ec.rfc8032.Ed25519.verify(rawSignature, 0, x, 0, signingInput, 0, signingInput.length),
                () -> EventEnvelope.verify(compact, trust).event() != null);
        System.out.printf("BC raw sign   %6.0f/s  envelope sign   %6.0f/s  ratio %.2f%n", sign[0], sign[1], sign[1] / sign[0]);
        System.out.printf("BC raw verify %6.0f/s  envelope verify %6.0f/s  ratio %.2f (target >= 0.7)%n",
                verify[0], verify[1], verify[1] / verify[0]);
        catchUp(origin, home, trust, x, signingInput, rawSignature);
        compareAlgorithms(signingInput);
        String agreement = agreementOf49(temp);
        compareCanonicalizers("event payload", Json.write(event.toJson()));
        compareCanonicalizers("49-party agreement", agreement);
        Object payload = AgreementDocument.parse(agreement).toJson();
        double[] values = interleaved(() -> erdtman(Json.write(payload)).length() > 0,
                () -> CanonicalJson.write(payload).length() > 0);
        System.out.printf("RFC 8785 agreement as Java values, as the protocol signs: erdtman (after writing the text) %6.0f/s"
                + "  ours %6.0f/s  ratio ours/erdtman %.2f%n", values[0], values[1], values[1] / values[0]);
    }

    private static byte[] bcSign(byte[] d, byte[] x, byte[] message) {
        byte[] signature = new byte[64];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(d, 0, x, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /**
     * A replica catching up: 100,000 distinct countersigned events (two signatures each) verified one
     * after another on one thread, counted per signature against Bouncy Castle's raw verification
     * measured just before and after (the node spreads a page over worker threads; this is per core).
     */
    private static void catchUp(NodeIdentity origin, NodeIdentity home, TrustStore trust, byte[] x, byte[] input, byte[] signature) {
        int count = Integer.getInteger("bench.catchup", 100_000);
        List<String> envelopes = new ArrayList<>(count);
        Instant at = Instant.parse("2025-04-01T09:00:00Z");
        for (int i = 0; i < count; i++) {
            Event event = new Event("evt-catchup-" + i, "care.post.created", "minamiminowa", "ina",
                    List.of("patient:p-17@ina", "team:t-3@ina"), at.plusSeconds(i),
                    Map.of("text", "訪問看護。血圧 128/76、食欲あり。記録 " + i, "profession", "nurse"));
            var verified = EventEnvelope.verify(EventEnvelope.sign(event, origin), trust);
            envelopes.add(EventEnvelope.countersign(verified, i + 1, at.plusSeconds(i), home));
        }
        double before = rate(() -> org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, x, 0, input, 0, input.length));
        long t0 = System.nanoTime();
        long sequence = 0;
        for (String envelope : envelopes) {
            sequence += EventEnvelope.verifyCountersigned(envelope, trust).sequence();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double after = rate(() -> org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, x, 0, input, 0, input.length));
        if (sequence != (long) count * (count + 1) / 2) {
            throw new IllegalStateException("catch-up verified other sequences than it was given");
        }
        double perSignature = 2 * count / seconds;
        double raw = (before + after) / 2;
        System.out.printf("catch-up of %,d countersigned events: %.1f s, %,.0f events/s, %,.0f signatures/s;"
                + " BC raw %,.0f/s; ratio per signature %.2f (target >= 0.5)%n", count, seconds, count / seconds,
                perSignature, raw, perSignature / raw);
    }

    /**
     * RFC 8785: this module's canonicalizer against the maintained Java implementation
     * (io.github.erdtman:java-json-canonicalization), both parsing the same text and writing its
     * canonical form, so whether to keep ours is decided by a figure of this machine.
     */
    private static void compareCanonicalizers(String what, String json) {
        if (!CanonicalJson.canonicalize(json).equals(erdtman(json))) {
            throw new IllegalStateException("the two canonicalizers disagree on the " + what);
        }
        double[] rates = interleaved(() -> erdtman(json).length() > 0, () -> CanonicalJson.canonicalize(json).length() > 0);
        System.out.printf("RFC 8785 %s (%d bytes): erdtman %8.0f/s  ours %8.0f/s  ratio ours/erdtman %.2f%n", what,
                json.length(), rates[0], rates[1], rates[1] / rates[0]);
    }

    private static void compareAlgorithms(byte[] message) throws Exception {
        for (String[] algorithm : new String[][] {{"Ed25519", "Ed25519"}, {"EC", "SHA256withECDSAinP1363Format"}}) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm[0]);
            if (algorithm[0].equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            KeyPair pair = generator.generateKeyPair();
            Signature signer = Signature.getInstance(algorithm[1]);
            signer.initSign(pair.getPrivate());
            signer.update(message);
            byte[] signature = signer.sign();
            double sign = rate(() -> {
                try {
                    Signature s = Signature.getInstance(algorithm[1]);
                    s.initSign(pair.getPrivate());
                    s.update(message);
                    return s.sign().length > 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            double verify = rate(() -> {
                try {
                    Signature s = Signature.getInstance(algorithm[1]);
                    s.initVerify(pair.getPublic());
                    s.update(message);
                    return s.verify(signature);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            System.out.printf("JDK %-7s sign %8.0f/s  verify %8.0f/s%n", algorithm[0].equals("EC") ? "ES256" : "Ed25519", sign, verify);
        }
    }

    private static String erdtman(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String agreementOf49(Path temp) {
        List<NodeIdentity> parties = new ArrayList<>();
        List<ReferenceData.Municipality> municipalities = ReferenceData.municipalities();
        for (int i = 0; i < 49; i++) {
            ReferenceData.Municipality m = municipalities.get(i);
            parties.add(identity(temp, m.nameEn().toLowerCase().replaceAll("[^a-z0-9]+", "-"), m.code()));
        }
        Instant start = Instant.parse("2025-04-01T00:00:00Z");
        Agreement agreement = new Agreement("aichi-wide-area", 1, "愛知県在宅医療・介護連携広域連携協定",
                parties.stream().map(NodeIdentity::card).toList(), List.of(Scopes.CARE_TEAM), start,
                start.plus(365, ChronoUnit.DAYS), AmendmentRule.parse("threshold:25"), Optional.empty(), 180);
        AgreementDocument document = AgreementDocument.draft(agreement);
        for (NodeIdentity party : parties) {
            document = document.sign(party);
        }
        String text = document.toPrettyJson();
        Instant now = start.plus(30, ChronoUnit.DAYS);
        long[] millis = new long[30];
        for (int i = 0; i < millis.length + 10; i++) {
            long t0 = System.nanoTime();
            boolean active = AgreementVerifier.verify(AgreementDocument.parse(text), now).isActive();
            long elapsed = System.nanoTime() - t0;
            if (!active) {
                throw new IllegalStateException("benchmark agreement does not verify");
            }
            if (i >= 10) {
                millis[i - 10] = elapsed / 1000;
            }
        }
        Arrays.sort(millis);
        System.out.printf("49-party agreement (%d bytes): parse + full verification median %.1f ms, min %.1f ms (%d runs after warm-up)%n",
                text.length(), millis[millis.length / 2] / 1000.0, millis[0] / 1000.0, millis.length);
        System.out.printf("canonical JSON of the payload: %d bytes%n", CanonicalJson.bytes(agreement.toJson()).length);
        return text;
    }

    private static NodeIdentity identity(Path temp, String name, String code) {
        return NodeIdentity.create(temp.resolve(name), new NodeProfile(name, name, List.of(MunicipalityCode.parse(code)),
                URI.create("https://" + name + ".tsunagu.test:8443")));
    }

    /** Rates of two operations measured in 40 alternating 100 ms slices each, after a warm-up. */
    private static double[] interleaved(BooleanSupplier baseline, BooleanSupplier candidate) {
        rate(baseline);
        rate(candidate);
        long[] counts = new long[2];
        long[] nanos = new long[2];
        BooleanSupplier[] operations = {baseline, candidate};
        for (int slice = 0; slice < 80; slice++) {
            int which = slice % 2;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 100_000_000L) {
                if (!operations[which].getAsBoolean()) {
                    throw new IllegalStateException("benchmark operation failed");
                }
                counts[which]++;
            }
            nanos[which] += System.nanoTime() - start;
        }
        return new double[] {counts[0] / (nanos[0] / 1e9), counts[1] / (nanos[1] / 1e9)};
    }

    /** Operations per second over a fixed window, after a warm-up window. */
    private static double rate(BooleanSupplier operation) {
        for (int pass = 0; pass < 2; pass++) {
            long start = System.nanoTime();
            long count = 0;
            while (System.nanoTime() - start < WINDOW_NANOS) {
                if (!operation.getAsBoolean()) {
                    throw new IllegalStateException("benchmark operation failed");
                }
                count++;
            }
            if (pass == 1) {
                return count / ((System.nanoTime() - start) / 1e9);
            }
        }
        throw new AssertionError();
    }
}
