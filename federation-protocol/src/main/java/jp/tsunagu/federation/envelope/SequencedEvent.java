package jp.tsunagu.federation.envelope;

import java.time.Instant;

/**
 * An event accepted, sequenced and countersigned by the patient's home node.
 *
 * @param origin     the author's event, verified against the origin node's key
 * @param sequence   the home node's sequence number for the team
 * @param acceptedAt when the home node accepted it
 * @param homeKeyId  the home node key that countersigned
 * @param compact    the countersigned envelope, to store and fan out unchanged
 */
public record SequencedEvent(VerifiedEvent origin, long sequence, Instant acceptedAt, String homeKeyId, String compact) {
}
