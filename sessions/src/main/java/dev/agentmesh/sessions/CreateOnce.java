package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Create once per key: an idempotency key is a row of {@value #NAMESPACE} inserted with the
 * session's first event, so a second start under the key fails in the store and finds the session
 * of the first.
 */
final class CreateOnce {

  /** The store namespace of idempotency keys. */
  static final String NAMESPACE = "sessions.once";

  private CreateOnce() {}

  static String checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank() || key.length() > Row.MAX_KEY || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "An idempotency key must be non-blank text of at most "
              + Row.MAX_KEY
              + " characters without U+0000 but had "
              + key.length()
              + " characters"
              + (key.isBlank() ? " (blank)" : "")
              + "; hash long natural keys (say, SHA-256 in hex)");
    }
    return key;
  }

  /** The session started under {@code key}, if any. */
  static Optional<String> find(SessionStore store, String key) {
    return store.findRow(NAMESPACE, key).map(row -> Objects.requireNonNull(row.sessionId()));
  }

  /** The row write that claims {@code key} for the new session {@code sessionId}. */
  static RowWrite claim(String key, String sessionId, String agent, Instant at) {
    return RowWrite.insert(
        Row.of(
            NAMESPACE,
            key,
            sessionId,
            JsonNodeFactory.instance.objectNode().put("agent", agent).put("at", at.toString())));
  }

  /** The session that took {@code key} first; rethrows a conflict that is not about it. */
  static String winner(RowConflictException conflict, @Nullable String key) {
    if (key == null
        || !NAMESPACE.equals(conflict.namespace())
        || !key.equals(conflict.key())
        || conflict.existingSessionId() == null) {
      throw conflict;
    }
    return conflict.existingSessionId();
  }
}
