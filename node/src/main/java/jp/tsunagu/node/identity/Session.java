package jp.tsunagu.node.identity;

import java.time.Instant;
import java.util.Optional;

/** A logged-in web session. The cookie holds a random id; the database holds only its SHA-256. */
public record Session(String idHash, String userId, Optional<String> certificateId, String csrfToken,
    Instant createdAt, Instant lastSeenAt) {}
