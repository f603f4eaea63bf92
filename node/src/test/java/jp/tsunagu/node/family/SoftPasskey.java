package jp.tsunagu.node.family;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A passkey made in the test itself (a P-256 key, "none" attestation, CBOR written by hand), to send
 * the node answers a browser would never send: a passkey another account holds, an answer replayed,
 * signed for another site, by another key or without the person verified. The browser tests use
 * Chromium's own authenticator instead.
 */
final class SoftPasskey {

  private static final int USER_PRESENT = 0x01;
  private static final int USER_VERIFIED = 0x04;
  private static final int ATTESTED = 0x40;

  final byte[] credentialId;
  private final KeyPair keys;
  private int counter;

  SoftPasskey() {
    this(random(16));
  }

  /** Another key under the same credential id: its signatures are not the registered key's. */
  SoftPasskey(byte[] credentialId) {
    this.credentialId = credentialId;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  String id() {
    return b64(credentialId);
  }

  /** The answer to registration options, as {@code {"credential": …}}. */
  JsonObject registration(String challenge, String origin, String rpId) {
    byte[] clientData = clientData("webauthn.create", challenge, origin);
    ByteArrayOutputStream authData = new ByteArrayOutputStream();
    authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
    authData.write(USER_PRESENT | USER_VERIFIED | ATTESTED);
    authData.writeBytes(ByteBuffer.allocate(4).putInt(counter).array());
    authData.writeBytes(new byte[16]);
    authData.writeBytes(ByteBuffer.allocate(2).putShort((short) credentialId.length).array());
    authData.writeBytes(credentialId);
    authData.writeBytes(coseKey());
    ByteArrayOutputStream attestation = new ByteArrayOutputStream();
    attestation.write(0xa3);
    text(attestation, "fmt");
    text(attestation, "none");
    text(attestation, "attStmt");
    attestation.write(0xa0);
    text(attestation, "authData");
    bytes(attestation, authData.toByteArray());
    return answer(new JsonObject().put("clientDataJSON", b64(clientData))
        .put("attestationObject", b64(attestation.toByteArray())));
  }

  /** The answer to login options, signed by this key. */
  JsonObject assertion(String challenge, String origin, String rpId, boolean verified) {
    counter++;
    byte[] clientData = clientData("webauthn.get", challenge, origin);
    ByteArrayOutputStream authData = new ByteArrayOutputStream();
    authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
    authData.write(USER_PRESENT | (verified ? USER_VERIFIED : 0));
    authData.writeBytes(ByteBuffer.allocate(4).putInt(counter).array());
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(authData.toByteArray());
      signer.update(sha256(clientData));
      return answer(new JsonObject().put("clientDataJSON", b64(clientData))
          .put("authenticatorData", b64(authData.toByteArray())).put("signature", b64(signer.sign())));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private JsonObject answer(JsonObject response) {
    return new JsonObject().put("credential", new JsonObject().put("id", id()).put("rawId", id())
        .put("type", "public-key").put("response", response));
  }

  private static byte[] clientData(String type, String challenge, String origin) {
    return new JsonObject().put("type", type).put("challenge", challenge).put("origin", origin)
        .put("crossOrigin", false).encode().getBytes(StandardCharsets.UTF_8);
  }

  /** The public key as COSE (EC2, ES256, P-256). */
  private byte[] coseKey() {
    ECPublicKey key = (ECPublicKey) keys.getPublic();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xa5);
    out.write(0x01);
    out.write(0x02);
    out.write(0x03);
    out.write(0x26);
    out.write(0x20);
    out.write(0x01);
    out.write(0x21);
    bytes(out, coordinate(key.getW().getAffineX()));
    out.write(0x22);
    bytes(out, coordinate(key.getW().getAffineY()));
    return out.toByteArray();
  }

  private static byte[] coordinate(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
    return fixed;
  }

  private static void text(ByteArrayOutputStream out, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.write(0x60 | utf8.length);
    out.writeBytes(utf8);
  }

  private static void bytes(ByteArrayOutputStream out, byte[] value) {
    if (value.length < 24) {
      out.write(0x40 | value.length);
    } else if (value.length < 256) {
      out.write(0x58);
      out.write(value.length);
    } else {
      out.write(0x59);
      out.writeBytes(ByteBuffer.allocate(2).putShort((short) value.length).array());
    }
    out.writeBytes(value);
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return Arrays.copyOf(bytes, length);
  }
}
