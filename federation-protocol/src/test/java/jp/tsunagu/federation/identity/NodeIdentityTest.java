package jp.tsunagu.federation.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.Sha256;

class NodeIdentityTest {
    @TempDir
    Path temp;

    static NodeProfile ina() {
        return new NodeProfile("ina", "モバイルクリニック・いーな電子連絡帳",
                List.of(MunicipalityCode.parse("202096")), URI.create("https://ina.example.jp:8443"));
    }

    @Test
    void a_created_identity_loads_back_with_the_same_keys_and_certificate() {
        Path dir = temp.resolve("ina");
        NodeIdentity created = NodeIdentity.create(dir, ina());
        NodeIdentity loaded = NodeIdentity.load(dir);

        assertThat(loaded.profile()).isEqualTo(ina());
        assertThat(loaded.signingKeyId()).isEqualTo(created.signingKeyId());
        assertThat(loaded.tlsPin()).isEqualTo(created.tlsPin());
        assertThat(loaded.tlsCertificatePem()).isEqualTo(created.tlsCertificatePem());
        assertThat(loaded.tlsPrivateKey().getEncoded()).isEqualTo(created.tlsPrivateKey().getEncoded());
        byte[] message = "申し送り".getBytes(StandardCharsets.UTF_8);
        assertThat(created.signingKey().verificationKey().verify(message, loaded.sign(message))).isTrue();
    }

    @Test
    void creating_over_an_existing_identity_is_refused_and_leaves_it_untouched() throws Exception {
        Path dir = temp.resolve("ina");
        NodeIdentity first = NodeIdentity.create(dir, ina());
        String nodeFile = Files.readString(dir.resolve("node.json"));

        assertThatThrownBy(() -> NodeIdentity.create(dir, ina()))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo("identity.exists");
        assertThat(Files.readString(dir.resolve("node.json"))).isEqualTo(nodeFile);
        assertThat(NodeIdentity.load(dir).signingKeyId()).isEqualTo(first.signingKeyId());
    }

    @Test
    void load_or_create_reuses_an_existing_identity() {
        Path dir = temp.resolve("ina");
        NodeIdentity first = NodeIdentity.loadOrCreate(dir, ina());
        NodeIdentity second = NodeIdentity.loadOrCreate(dir, ina());
        assertThat(second.signingKeyId()).isEqualTo(first.signingKeyId());
        assertThat(second.tlsPin()).isEqualTo(first.tlsPin());
    }

    @Test
    void identity_files_are_readable_by_the_owner_only() throws Exception {
        Path dir = temp.resolve("ina");
        NodeIdentity.create(dir, ina());
        if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            return;
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.toList()) {
                String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as(path.toString()).isEqualTo(expected);
            }
        }
    }

    @Test
    void the_certificate_names_the_node_and_its_hosts_and_is_valid_for_two_years() throws Exception {
        NodeIdentity identity = NodeIdentity.create(temp.resolve("ina"), ina());
        X509Certificate certificate = identity.tlsCertificate();

        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=ina");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1", "ina.example.jp");
        Duration validity = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        assertThat(validity).isBetween(Duration.ofDays(730), Duration.ofDays(731));
        certificate.verify(certificate.getPublicKey());
    }

    @Test
    void the_pin_is_the_sha256_of_the_subject_public_key_info() {
        NodeIdentity identity = NodeIdentity.create(temp.resolve("ina"), ina());
        String expected = "sha256/" + java.util.Base64.getEncoder()
                .encodeToString(Sha256.digest(identity.tlsCertificate().getPublicKey().getEncoded()));
        assertThat(identity.tlsPin()).isEqualTo(expected);
        assertThat(NodeIdentity.pinOf(identity.tlsCertificate())).isEqualTo(expected);
    }

    @Test
    void the_private_key_pem_is_pkcs8() {
        NodeIdentity identity = NodeIdentity.create(temp.resolve("ina"), ina());
        assertThat(identity.tlsPrivateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(identity.tlsCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void a_rotated_key_signs_from_then_on_and_the_retired_key_still_verifies() {
        Path dir = temp.resolve("ina");
        NodeIdentity original = NodeIdentity.create(dir, ina());
        byte[] message = {1, 2, 3};
        byte[] oldSignature = original.sign(message);

        NodeIdentity rotated = original.rotateSigningKey();
        NodeIdentity reloaded = NodeIdentity.load(dir);

        assertThat(reloaded.signingKeyId()).isEqualTo(rotated.signingKeyId()).isNotEqualTo(original.signingKeyId());
        assertThat(reloaded.retiredSigningKeys()).extracting(k -> k.keyId()).containsExactly(original.signingKeyId());
        assertThat(reloaded.card().retiredSigningKeys().get(0).verify(message, oldSignature)).isTrue();
        assertThat(reloaded.card().signingKey().verify(message, oldSignature)).isFalse();
    }

    @Test
    void loading_a_directory_without_an_identity_fails_with_not_found() {
        assertThatThrownBy(() -> NodeIdentity.load(temp.resolve("nothing")))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo("identity.not_found");
    }

    @Test
    void a_damaged_identity_file_is_reported_as_corrupt() throws Exception {
        Path dir = temp.resolve("ina");
        NodeIdentity identity = NodeIdentity.create(dir, ina());
        Files.writeString(dir.resolve("signing/" + identity.signingKeyId() + ".jwk"), "{\"kty\":");
        assertThatThrownBy(() -> NodeIdentity.load(dir))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo("identity.corrupt");

        Files.writeString(dir.resolve("node.json"), "{\"format\":\"tsunagu-node-identity/1\"");
        assertThatThrownBy(() -> NodeIdentity.load(dir))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo("identity.corrupt");
    }

    @Test
    void the_public_card_round_trips_and_carries_no_private_key() {
        NodeIdentity identity = NodeIdentity.create(temp.resolve("ina"), ina());
        String json = identity.card().toPrettyJson();
        NodeCard card = NodeCard.parse(json);

        assertThat(card).isEqualTo(identity.card());
        assertThat(json).doesNotContain("\"d\"").doesNotContain("PRIVATE");
        assertThat(card.signingKey().keyId()).isEqualTo(identity.signingKeyId());
    }

    @Test
    void node_names_outside_the_allowed_alphabet_are_refused() {
        for (String bad : new String[] {"Ina", "i", "ina_town", "伊那", "a".repeat(41)}) {
            assertThatThrownBy(() -> new NodeProfile(bad, null, ina().municipalities(), ina().federationEndpoint()))
                    .extracting(e -> ((ProtocolException) e).code()).isEqualTo("identity.name_invalid");
        }
    }
}
