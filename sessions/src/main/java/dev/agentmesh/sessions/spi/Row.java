package dev.agentmesh.sessions.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A row another module keeps in the session store (a pending review, a trigger's occurrence claim,
 * a durable timer), unique by {@code (namespace, key)} and written in the same transaction as a
 * session's events ({@link Append#withRows}) or on its own ({@link SessionStore#writeRows}). Stores
 * keep the value as they keep event payloads (JSON object key order aside) and the due instant at
 * microsecond precision; they never interpret either.
 *
 * <pre>{@code
 * Row claim = Row.of("triggers.claim", "daily@2026-03-02T08:00:00Z", "s-1", json.readTree("{}"));
 * store.append(Append.of("s-1", 0, List.of(created), summary).withRows(RowWrite.insert(claim)));
 * Row timer = Row.of("review.expiry", "s-1/r-7", "s-1", payload).withDue(expiresAt);
 * }</pre>
 *
 * @param namespace the owning module's table, such as {@code review.pending}: lower-case letters,
 *     digits, '.', '_' and '-', starting with a letter, at most 64 characters
 * @param key the row's key within its namespace: non-blank, at most {@value #MAX_KEY} characters,
 *     without U+0000; rows of a namespace order by key in Unicode code point order
 * @param sessionId the session the row belongs to, or null for a row of no session
 * @param value the row's data, a JSON value without U+0000 in its strings
 * @param due when the row falls due, for rows claimed by time ({@link SessionStore#claimRows}), or
 *     null
 */
public record Row(
    String namespace,
    String key,
    @Nullable String sessionId,
    JsonNode value,
    @Nullable Instant due) {

  /** The longest key, in UTF-16 characters. */
  public static final int MAX_KEY = 512;

  /**
   * Checks the namespace's form, the key's length, and that no text holds U+0000; truncates {@code
   * due} to microseconds.
   *
   * @param namespace the owning module's table, such as {@code review.pending}
   * @param key the row's key within its namespace
   * @param sessionId the session the row belongs to, or null
   * @param value the row's data
   * @param due when the row falls due, or null
   */
  public Row {
    namespace(namespace);
    key(namespace, key);
    if (sessionId != null && (sessionId.isBlank() || sessionId.indexOf('\0') >= 0)) {
      Text.requireNotBlank("Session id of row '" + namespace + "'", sessionId); // throws
    }
    Objects.requireNonNull(value, "value");
    if (Text.hasNul(value)) {
      Text.requireNoNulIn("value of row '" + namespace + "'", "", value); // throws, naming where
    }
    due = due == null ? null : due.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * A row without a due instant.
   *
   * @param namespace the owning module's table, such as {@code review.pending}
   * @param key the row's key within its namespace
   * @param sessionId the session the row belongs to, or null for a row of no session
   * @param value the row's data
   * @return the row
   */
  public static Row of(String namespace, String key, @Nullable String sessionId, JsonNode value) {
    return new Row(namespace, key, sessionId, value, null);
  }

  /**
   * This row, falling due at {@code due}.
   *
   * @param due when the row falls due
   * @return a copy with the due instant set
   */
  public Row withDue(Instant due) {
    return new Row(namespace, key, sessionId, value, Objects.requireNonNull(due, "due"));
  }

  static String namespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (!wellFormed(namespace)) {
      throw new IllegalArgumentException(
          "Row namespace must be lower-case letters, digits, '.', "
              + "'_' or '-', start with a letter and be at most 64 characters (like 'review.pending')"
              + " but was '"
              + Text.shorten(namespace.replace("\0", "\\u0000"))
              + "'");
    }
    return namespace;
  }

  /**
   * Whether {@code namespace} matches {@code [a-z][a-z0-9._-]{0,63}}: checked by hand, as every row
   * a tick writes checks it (a regular expression cost more than the rest of the row).
   */
  private static boolean wellFormed(String namespace) {
    int n = namespace.length();
    if (n == 0 || n > 64 || namespace.charAt(0) < 'a' || namespace.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = namespace.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String key(String namespace, String key) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank() || key.indexOf('\0') >= 0) {
      Text.requireNotBlank("Key of a row in '" + namespace + "'", key); // throws
    }
    if (key.length() > MAX_KEY) {
      throw new IllegalArgumentException(
          "Key of a row in '"
              + namespace
              + "' must be at most "
              + MAX_KEY
              + " characters but had "
              + key.length()
              + " ('"
              + Text.shorten(key)
              + "'); hash long natural keys");
    }
    return key;
  }
}
