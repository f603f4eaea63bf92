package jp.tsunagu.federation.crypto;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.tsunagu.federation.ProtocolException;

/** PEM (RFC 7468) encoding of DER structures such as certificates and PKCS#8 keys. */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private Pem() {
    }

    /**
     * @param label PEM label such as {@code CERTIFICATE} or {@code PRIVATE KEY}
     * @param der   the DER bytes
     * @return PEM text with 64-character lines, ending with a newline
     */
    public static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /**
     * Decodes the first PEM block with the given label.
     *
     * @param label expected label
     * @param pem   PEM text
     * @return the DER bytes
     * @throws ProtocolException {@code pem.malformed} when no such block is found
     */
    public static byte[] decode(String label, String pem) {
        Matcher m = BLOCK.matcher(pem == null ? "" : pem);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException("pem.malformed", "bad base64 in PEM block " + label, e);
                }
            }
        }
        throw new ProtocolException("pem.malformed", "no PEM block labelled " + label);
    }
}
