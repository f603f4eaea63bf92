package jp.tsunagu.federation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import jp.tsunagu.federation.Fixtures;

/**
 * Signatures made through Bouncy Castle are the JDK's, byte for byte: Ed25519 is deterministic, so a
 * partner still on the JDK's provider (or any other RFC 8032 implementation) verifies ours and we its.
 */
class Ed25519InteropTest {
    private static final List<byte[]> MESSAGES = List.of(new byte[0], "a".getBytes(StandardCharsets.US_ASCII),
            "eyJhbGciOiJFZDI1NTE5In0.訪問看護。血圧 128/76".getBytes(StandardCharsets.UTF_8), new byte[70_000]);

    /** The group order L of RFC 8032, little-endian as signatures carry S. */
    private static final BigInteger ORDER = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

    @Test
    void bouncy_castle_and_the_jdk_make_the_same_signature_and_each_verifies_the_others() {
        for (int k = 0; k < 8; k++) {
            SigningKey key = SigningKey.generate();
            PrivateKey jdkPrivate = Ed25519.privateKey(key.privateJwk());
            PublicKey jdkPublic = Ed25519.publicKey(key.privateJwk());
            for (byte[] message : MESSAGES) {
                byte[] ours = key.sign(message);
                byte[] jdk = Ed25519.sign(jdkPrivate, message);
                assertThat(ours).hasSize(64).isEqualTo(jdk);
                assertThat(Ed25519.verify(jdkPublic, message, ours)).isTrue();
                assertThat(key.verificationKey().verify(message, jdk)).isTrue();
            }
        }
    }

    @Test
    void the_rfc_8032_test_vector_signs_and_verifies_to_the_published_bytes() {
        // RFC 8032 section 7.1, TEST 2 (one-byte message 0x72)
        HexFormat hex = HexFormat.of();
        byte[] d = hex.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        byte[] x = hex.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        byte[] expected = hex.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        SigningKey key = SigningKey.fromPrivateJwk(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
                .d(Base64URL.encode(d)).build());
        byte[] message = {0x72};
        assertThat(key.sign(message)).isEqualTo(expected);
        assertThat(key.verificationKey().verify(message, expected)).isTrue();
        assertThat(Ed25519.verify(key.verificationKey().publicKey(), message, expected)).isTrue();
    }

    @Test
    void a_tampered_message_or_signature_fails_on_both_implementations() {
        SigningKey key = SigningKey.generate();
        PublicKey jdkPublic = Ed25519.publicKey(key.privateJwk());
        byte[] message = MESSAGES.get(2);
        byte[] signature = key.sign(message);
        for (int i = 0; i < signature.length; i += 7) {
            byte[] bad = signature.clone();
            bad[i] ^= 0x01;
            assertThat(key.verificationKey().verify(message, bad)).isFalse();
            assertThat(Ed25519.verify(jdkPublic, message, bad)).isFalse();
        }
        byte[] other = message.clone();
        other[0] ^= 0x01;
        assertThat(key.verificationKey().verify(other, signature)).isFalse();
        assertThat(key.verificationKey().verify(message, Arrays.copyOf(signature, 63))).isFalse();
        assertThat(key.verificationKey().verify(message, Arrays.copyOf(signature, 65))).isFalse();
        assertThat(SigningKey.generate().verificationKey().verify(message, signature)).isFalse();
    }

    @Test
    void a_malleated_signature_with_s_plus_the_group_order_is_refused_by_both() {
        SigningKey key = SigningKey.generate();
        PublicKey jdkPublic = Ed25519.publicKey(key.privateJwk());
        byte[] message = MESSAGES.get(1);
        byte[] signature = key.sign(message);
        BigInteger s = new BigInteger(1, reverse(Arrays.copyOfRange(signature, 32, 64)));
        byte[] malleated = signature.clone();
        byte[] sPlusL = reverse(leftPad(s.add(ORDER).toByteArray(), 32));
        System.arraycopy(sPlusL, 0, malleated, 32, 32);
        assertThat(key.verificationKey().verify(message, malleated)).isFalse();
        assertThat(Ed25519.verify(jdkPublic, message, malleated)).isFalse();
    }

    @Test
    void a_private_jwk_whose_x_is_not_the_public_key_of_its_d_is_refused() {
        OctetKeyPair a = SigningKey.generate().privateJwk();
        OctetKeyPair b = SigningKey.generate().privateJwk();
        OctetKeyPair mixed = new OctetKeyPair.Builder(Curve.Ed25519, b.getX()).d(a.getD()).build();
        assertThatThrownBy(() -> SigningKey.fromPrivateJwk(mixed)).extracting(Fixtures::codeOf).isEqualTo("key.invalid");
    }

    @Test
    void a_public_jwk_whose_x_is_not_a_curve_point_is_refused() {
        // y = 2 has no x on the curve (2 is not a square's image under the curve equation)
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2;
        OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(notAPoint)).build();
        assertThatThrownBy(() -> VerificationKey.fromJwk(jwk)).extracting(Fixtures::codeOf).isEqualTo("key.invalid");
    }

    @Test
    void a_cached_key_id_never_lends_its_point_to_other_key_bytes() {
        SigningKey honest = SigningKey.generate();
        SigningKey other = SigningKey.generate();
        byte[] message = MESSAGES.get(1);
        byte[] byOther = other.sign(message);
        byte[] honestX = honest.privateJwk().getX().decode();
        byte[] otherX = other.privateJwk().getX().decode();
        assertThat(Ed25519.verify(honest.keyId(), honestX, message, honest.sign(message))).isTrue();
        // the other key's bytes under the honest key's id: verified with the other key, not the cached point
        assertThat(Ed25519.verify(honest.keyId(), otherX, message, byOther)).isTrue();
        assertThat(Ed25519.verify(honest.keyId(), honestX, message, byOther)).isFalse();
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }

    private static byte[] leftPad(byte[] bigEndian, int length) {
        byte[] out = new byte[length];
        int copy = Math.min(length, bigEndian.length);
        System.arraycopy(bigEndian, bigEndian.length - copy, out, length - copy, copy);
        return out;
    }
}
