package jp.tsunagu.federation.envelope;

import java.util.List;

import jp.tsunagu.federation.ProtocolException;

/**
 * An event whose signature verified against a trusted key of its origin node.
 *
 * @param event   the signed body
 * @param keyId   the key that signed it
 * @param compact the envelope as received, to store and relay unchanged
 */
public record VerifiedEvent(Event event, String keyId, String compact) {

    /**
     * Checks that the ids a request carried outside the signature (path, query) are the signed ones.
     *
     * @param eventId the event id from the request path
     * @param targets target ids from the request path, each of which must be signed
     * @return this event
     * @throws ProtocolException {@code envelope.id_mismatch}
     */
    public VerifiedEvent requireIds(String eventId, List<String> targets) {
        if (!event.id().equals(eventId)) {
            throw new ProtocolException("envelope.id_mismatch", "request names event " + eventId + " but the signed body is " + event.id());
        }
        for (String target : targets) {
            if (!event.targets().contains(target)) {
                throw new ProtocolException("envelope.id_mismatch", "target " + target + " is not in the signed body of " + event.id());
            }
        }
        return this;
    }
}
