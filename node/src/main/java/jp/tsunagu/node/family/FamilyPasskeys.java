package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.webauthn4j.Attestation;
import io.vertx.ext.auth.webauthn4j.Authenticator;
import io.vertx.ext.auth.webauthn4j.CredentialStorage;
import io.vertx.ext.auth.webauthn4j.RelyingParty;
import io.vertx.ext.auth.webauthn4j.ResidentKey;
import io.vertx.ext.auth.webauthn4j.UserVerification;
import io.vertx.ext.auth.webauthn4j.WebAuthn4J;
import io.vertx.ext.auth.webauthn4j.WebAuthn4JCredentials;
import io.vertx.ext.auth.webauthn4j.WebAuthn4JOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;

/**
 * Passkeys (WebAuthn) of family accounts, checked by webauthn4j through Vert.x's provider.
 *
 * <p>A passkey is a login of its own, not a second factor after the password: the phone signs the
 * challenge only after its screen lock (fingerprint, face or PIN) has verified the person
 * ({@code userVerification: required}), so one passkey already joins something the family has (the
 * phone) with something it is or knows, and it cannot be phished to another site. Password and TOTP
 * stay as the door for phones that cannot keep a passkey. The passkey is discoverable (kept on the
 * phone with the account's name): the login asks for no login id, so the door tells nobody which ids exist.
 *
 * <p>The relying party is the host people reach the node at ({@code web.publicUrl}). Browsers take no
 * IP address as a relying party; a node bound to loopback without a public URL (a node on one machine,
 * as in tests and demos) is reached as {@code localhost}, the loopback name the node also serves.
 */
final class FamilyPasskeys implements CredentialStorage {

  static final Duration CHALLENGE_FOR = Duration.ofMinutes(5);
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{16,1400}");

  private final FamilyContext family;
  private final String relyingPartyId;
  private final String origin;
  private volatile WebAuthn4J webauthn;

  FamilyPasskeys(FamilyContext family) {
    this.family = family;
    URI web = URI.create(family.services().config().webUrl());
    this.relyingPartyId = relyingPartyId(web.getHost());
    this.origin = web.getScheme() + "://" + relyingPartyId + (web.getPort() < 0 ? "" : ":" + web.getPort());
  }

  /** The host, or {@code localhost} for a loopback address (a browser takes no IP address as a relying party). */
  static String relyingPartyId(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (bare.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      try {
        if (InetAddress.getByName(bare).isLoopbackAddress()) {
          return "localhost";
        }
      } catch (UnknownHostException e) {
        return bare;
      }
    }
    return bare;
  }

  String relyingPartyId() {
    return relyingPartyId;
  }

  String origin() {
    return origin;
  }

  /** The provider, made on first use on the Vert.x instance that serves the request. */
  WebAuthn4J webauthn(Vertx vertx) {
    WebAuthn4J made = webauthn;
    if (made == null) {
      synchronized (this) {
        if (webauthn == null) {
          webauthn = WebAuthn4J.create(vertx, new WebAuthn4JOptions()
              .setRelyingParty(new RelyingParty().setId(relyingPartyId).setName("ここのーと"))
              .setUserVerification(UserVerification.REQUIRED)
              .setResidentKey(ResidentKey.REQUIRED)
              .setAttestation(Attestation.NONE)
              .setTimeoutInMilliseconds(CHALLENGE_FOR.toMillis()))
              .credentialStorage(this);
        }
        made = webauthn;
      }
    }
    return made;
  }

  /**
   * Checks a browser's answer against a challenge this node handed out: a registration (with the
   * account's login id, which then stores the passkey) or a login ({@code loginId} null). Any
   * failure of the check is {@code family.passkey_invalid}; a refusal of ours passes through.
   */
  Future<JsonObject> verify(Vertx vertx, JsonObject credential, String challenge, String loginId) {
    WebAuthn4JCredentials answer = new WebAuthn4JCredentials().setWebauthn(credential).setChallenge(challenge)
        .setOrigin(origin).setDomain(relyingPartyId).setUsername(loginId);
    Future<JsonObject> checked;
    try {
      checked = webauthn(vertx).authenticate(answer).map(user -> user.principal());
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    return checked.recover(e -> Future.failedFuture(e instanceof CodedException coded ? coded
        : FamilyErrors.passkeyInvalid()));
  }

  /** The challenge the browser signed, read from the answer's client data; empty when the answer is malformed. */
  static Optional<String> challengeOf(JsonObject credential) {
    try {
      JsonObject response = credential.getJsonObject("response");
      String clientData = response == null ? null : response.getString("clientDataJSON");
      if (clientData == null || clientData.length() > 4096 || !(credential.getValue("id") instanceof String id)
          || !BASE64URL.matcher(id).matches()) {
        return Optional.empty();
      }
      JsonObject data = new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(clientData)));
      return Optional.ofNullable(data.getString("challenge")).filter(c -> BASE64URL.matcher(c).matches());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public Future<List<Authenticator>> find(String loginId, String credentialId) {
    return family.services().database().read(c -> {
      if (credentialId != null) {
        return PasskeySql.byCredential(c, credentialId)
            .filter(p -> loginId == null || loginId.equals(p.loginId())).map(p -> List.of(authenticator(p)))
            .orElse(List.of());
      }
      return loginId == null ? List.<Authenticator>of()
          : PasskeySql.ofLoginId(c, loginId).stream().map(FamilyPasskeys::authenticator).toList();
    });
  }

  /** A new passkey of the account: refused when another account already holds that credential. */
  @Override
  public Future<Void> storeCredential(Authenticator key) {
    String now = family.now().toString();
    return family.services().database().write(c -> {
      if (PasskeySql.byCredential(c, key.getCredID()).isPresent()) {
        throw FamilyErrors.passkeyTaken();
      }
      FamilyAccount account = FamilySql.byLoginId(c, key.getUsername()).orElseThrow(FamilyErrors::notFound);
      PasskeySql.insert(c, jp.tsunagu.node.care.TimelineNotices.newId(), key.getCredID(), account.id(),
          key.getPublicKey(), key.getCounter(), key.getAaguid(), key.getFmt(), key.getFlags(), now);
      return null;
    });
  }

  @Override
  public Future<Void> updateCounter(Authenticator key) {
    String now = family.now().toString();
    return family.services().database().write(c -> {
      PasskeySql.used(c, key.getCredID(), key.getCounter(), now);
      return null;
    });
  }

  private static Authenticator authenticator(PasskeySql.Passkey p) {
    return new Authenticator().setUsername(p.loginId()).setCredID(p.credentialId()).setPublicKey(p.publicKey())
        .setCounter(p.signCount()).setAaguid(p.aaguid()).setFmt(p.format()).setFlags(p.flags()).setType("public-key");
  }
}
