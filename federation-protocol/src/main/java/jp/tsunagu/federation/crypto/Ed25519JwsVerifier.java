package jp.tsunagu.federation.crypto;

import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

/**
 * A Nimbus {@link JWSVerifier} for {@code Ed25519} backed by Bouncy Castle (through {@link VerificationKey}). It accepts one algorithm only
 * and never looks at keys named in the header: the caller picks the key from its trust store.
 */
public final class Ed25519JwsVerifier implements JWSVerifier {
    private final VerificationKey key;
    private final JCAContext jcaContext = new JCAContext();

    /** @param key the key chosen from the local trust store */
    public Ed25519JwsVerifier(VerificationKey key) {
        this.key = key;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
        return JWSAlgorithm.Ed25519.equals(header.getAlgorithm()) && key.verify(signingInput, signature.decode());
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
