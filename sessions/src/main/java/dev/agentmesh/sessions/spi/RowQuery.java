package dev.agentmesh.sessions.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which rows of one namespace to list ({@link SessionStore#queryRows}). Filters combine with AND;
 * results are ordered by key in Unicode code point order (the byte order of UTF-8) and paged by
 * keyset: pass the last key of a page to {@link Builder#afterKey(String)}.
 *
 * <pre>{@code
 * RowQuery mine = RowQuery.builder("review.pending").sessionId("s-1").limit(20).build();
 * List<Row> page = store.queryRows(mine);
 * String last = page.get(page.size() - 1).key();
 * List<Row> next = store.queryRows(mine.newBuilder().afterKey(last).build());
 * }</pre>
 */
public final class RowQuery {

  /** The most rows one page may hold. */
  public static final int MAX_LIMIT = 1000;

  private final String namespace;
  private final @Nullable String sessionId;
  private final @Nullable String keyPrefix;
  private final @Nullable Instant dueBefore;
  private final @Nullable String afterKey;
  private final int limit;

  private RowQuery(Builder b) {
    this.namespace = b.namespace;
    this.sessionId = b.sessionId;
    this.keyPrefix = b.keyPrefix;
    this.dueBefore = b.dueBefore;
    this.afterKey = b.afterKey;
    this.limit = b.limit;
  }

  /**
   * A query of every row of {@code namespace}, first page of 100.
   *
   * @param namespace the namespace to list
   * @return a new builder
   * @throws IllegalArgumentException if the namespace is malformed
   */
  public static Builder builder(String namespace) {
    return new Builder(Row.namespace(namespace));
  }

  /**
   * A builder holding this query's settings.
   *
   * @return a new builder
   */
  public Builder newBuilder() {
    Builder b = new Builder(namespace);
    b.sessionId = sessionId;
    b.keyPrefix = keyPrefix;
    b.dueBefore = dueBefore;
    b.afterKey = afterKey;
    b.limit = limit;
    return b;
  }

  /**
   * The namespace listed.
   *
   * @return the namespace
   */
  public String namespace() {
    return namespace;
  }

  /**
   * Only rows of this session, or null for any.
   *
   * @return the session filter, or null
   */
  public @Nullable String sessionId() {
    return sessionId;
  }

  /**
   * Only rows whose key starts with this text, or null for any.
   *
   * @return the key prefix, or null
   */
  public @Nullable String keyPrefix() {
    return keyPrefix;
  }

  /**
   * Only rows due strictly before this instant (rows without a due instant never match), or null.
   *
   * @return the due bound, or null
   */
  public @Nullable Instant dueBefore() {
    return dueBefore;
  }

  /**
   * Only rows whose key sorts after this one, or null for the first page.
   *
   * @return the key the page starts after, or null
   */
  public @Nullable String afterKey() {
    return afterKey;
  }

  /**
   * The most rows to return.
   *
   * @return the page size
   */
  public int limit() {
    return limit;
  }

  /**
   * Whether {@code row} passes the filters (namespace, session, prefix, due, after-key); the limit
   * aside. For stores that filter in memory.
   *
   * @param row a stored row
   * @return true if the query lists it
   */
  public boolean matches(Row row) {
    return namespace.equals(row.namespace())
        && (sessionId == null || sessionId.equals(row.sessionId()))
        && (keyPrefix == null || row.key().startsWith(keyPrefix))
        && (dueBefore == null || (row.due() != null && row.due().isBefore(dueBefore)))
        && (afterKey == null || compareKeys(row.key(), afterKey) > 0);
  }

  /**
   * Compares keys in Unicode code point order, the order of every store.
   *
   * @param a a key
   * @param b another key
   * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
   */
  public static int compareKeys(String a, String b) {
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

  @Override
  public String toString() {
    return "RowQuery{namespace="
        + namespace
        + ", sessionId="
        + sessionId
        + ", keyPrefix="
        + (keyPrefix == null ? null : Text.shorten(keyPrefix))
        + ", dueBefore="
        + dueBefore
        + ", limit="
        + limit
        + "}";
  }

  /** Sets a {@link RowQuery}'s filters; reusable, not thread-safe. */
  public static final class Builder {
    private final String namespace;
    private @Nullable String sessionId;
    private @Nullable String keyPrefix;
    private @Nullable Instant dueBefore;
    private @Nullable String afterKey;
    private int limit = 100;

    private Builder(String namespace) {
      this.namespace = namespace;
    }

    /**
     * Only rows of this session.
     *
     * @param sessionId the session's id
     * @return this builder
     */
    public Builder sessionId(String sessionId) {
      this.sessionId = Text.requireNotBlank("sessionId", Objects.requireNonNull(sessionId));
      return this;
    }

    /**
     * Only rows whose key starts with {@code prefix}.
     *
     * @param prefix the start of the keys to list; not empty
     * @return this builder
     */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.isEmpty()) {
        throw new IllegalArgumentException("keyPrefix must not be empty; leave it unset for all");
      }
      this.keyPrefix = Text.requireNoNul("keyPrefix", prefix);
      return this;
    }

    /**
     * Only rows due strictly before {@code instant}.
     *
     * @param instant the bound, truncated to microseconds
     * @return this builder
     */
    public Builder dueBefore(Instant instant) {
      this.dueBefore = Objects.requireNonNull(instant, "instant").truncatedTo(ChronoUnit.MICROS);
      return this;
    }

    /**
     * The page after the row with this key (the previous page's last key).
     *
     * @param key the last key of the previous page
     * @return this builder
     */
    public Builder afterKey(String key) {
      this.afterKey = Text.requireNoNul("afterKey", Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * The most rows to return, 1 to {@value RowQuery#MAX_LIMIT}.
     *
     * @param limit the page size
     * @return this builder
     */
    public Builder limit(int limit) {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException(
            "limit must be between 1 and " + MAX_LIMIT + " but was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /**
     * The query.
     *
     * @return a new query with the filters set
     */
    public RowQuery build() {
      return new RowQuery(this);
    }
  }
}
