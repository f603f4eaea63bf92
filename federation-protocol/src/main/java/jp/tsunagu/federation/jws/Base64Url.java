package jp.tsunagu.federation.jws;

import java.util.Base64;

import jp.tsunagu.federation.ProtocolException;

/** Unpadded base64url (RFC 7515 section 2), decoded strictly. */
public final class Base64Url {
    private Base64Url() {
    }

    /** @return unpadded base64url of the bytes */
    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * @param text unpadded base64url
     * @param code error code when it is not
     * @return the bytes
     */
    public static byte[] decode(String text, String code) {
        if (text == null || text.indexOf('=') >= 0) {
            throw new ProtocolException(code, "not unpadded base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(code, "not base64url: " + e.getMessage(), e);
        }
    }
}
