package jp.tsunagu.federation.crypto;

import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import jp.tsunagu.federation.ProtocolException;

/**
 * A Nimbus {@link JWSSigner} for {@code Ed25519} backed by Bouncy Castle (through {@link SigningKey}), for code that builds JWS objects
 * with Nimbus (Nimbus's own Ed25519 signer needs Google Tink).
 */
public final class Ed25519JwsSigner implements JWSSigner {
    private final SigningKey key;
    private final JCAContext jcaContext = new JCAContext();

    /** @param key the node's signing key */
    public Ed25519JwsSigner(SigningKey key) {
        this.key = key;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) {
        if (!JWSAlgorithm.Ed25519.equals(header.getAlgorithm())) {
            throw new ProtocolException("jws.alg_not_allowed", "this signer makes Ed25519 signatures only");
        }
        return Base64URL.encode(key.sign(signingInput));
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.Ed25519);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
