package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** Argument checks every store applies alike, so they fail the same way. */
final class StoreArgs {

  /** createdAt, then id in code point order: the order of SQL's byte-wise text comparison. */
  static final Comparator<SessionSummary> QUERY_ORDER =
      Comparator.comparing(SessionSummary::createdAt)
          .thenComparing(SessionSummary::id, StoreArgs::compareCodePoints);

  private StoreArgs() {}

  /** The arguments of {@code SessionStore.quarantine}, checked alike by every store. */
  static void quarantine(String sessionId, String reason) {
    sessionId(sessionId);
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException(
          "The quarantine reason of session '"
              + sessionId
              + "' must not be blank; say what cannot be read");
    }
  }

  /** {@code reason} without U+0000 (which PostgreSQL cannot store) and at most 2,000 chars. */
  static String reason(String reason) {
    String clean = reason.replace('\0', '?');
    return clean.length() <= 2000 ? clean : clean.substring(0, 2000) + "...";
  }

  static String sessionId(String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    if (sessionId.isBlank() || sessionId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "Session id must be non-blank text without U+0000 but was '" + sessionId + "'");
    }
    return sessionId;
  }

  static void load(String sessionId, long afterVersion, int limit) {
    sessionId(sessionId);
    if (afterVersion < 0) {
      throw new IllegalArgumentException(
          "afterVersion must not be negative but was "
              + afterVersion
              + "; use 0 for the whole log");
    }
    limit(limit);
  }

  static void lease(String sessionId, String owner, Duration ttl) {
    sessionId(sessionId);
    owner(owner);
    ttl(ttl);
  }

  /** The arguments of {@code SessionStore.claim}, checked alike by every store. */
  static void claim(String owner, java.time.Instant now, Duration ttl, int limit) {
    owner(owner);
    Objects.requireNonNull(now, "now");
    ttl(ttl);
    limit(limit);
  }

  static Duration ttl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("Lease ttl must be positive but was " + ttl);
    }
    return ttl;
  }

  static String owner(String owner) {
    Objects.requireNonNull(owner, "owner");
    if (owner.isBlank() || owner.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "Lease owner must be non-blank text without U+0000 but was '" + owner + "'");
    }
    return owner;
  }

  static int limit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    return limit;
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  // ---- other modules' rows -------------------------------------------------------------------

  /** Rows to claim: earliest due first, then by key in code point order. */
  static final Comparator<Row> DUE_ORDER =
      Comparator.comparing((Row r) -> Objects.requireNonNull(r.due()))
          .thenComparing(Row::key, RowQuery::compareKeys);

  /** A row's namespace and key, checked as the SPI's values check them. */
  static void row(String namespace, String key) {
    RowWrite.delete(namespace, key);
  }

  /** The arguments of {@code SessionStore.claimRows}, checked alike by every store. */
  static void claimRows(String namespace, String owner, Instant now, Duration ttl, int limit) {
    RowQuery.builder(namespace);
    claim(owner, now, ttl, limit);
  }

  /** The arguments of {@code SessionStore.existingKeys}, checked alike by every store. */
  static void existingKeys(String namespace, java.util.Collection<String> keys) {
    java.util.Objects.requireNonNull(keys, "keys");
    for (String key : keys) {
      row(namespace, key);
    }
  }

  /** The arguments of {@code SessionStore.lastRows}, checked alike by every store. */
  static void lastRows(String namespace, java.util.Collection<String> prefixes) {
    RowQuery.builder(namespace);
    java.util.Objects.requireNonNull(prefixes, "keyPrefixes");
    for (String prefix : prefixes) {
      RowQuery.builder(namespace).keyPrefix(prefix);
    }
  }
}
