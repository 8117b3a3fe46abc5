package dev.agentmesh.sessions.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One change to a {@link Row}, applied with an append's events ({@link Append#withRows}) or on its
 * own ({@link SessionStore#writeRows}). All writes of one request are applied together or not at
 * all: a write whose condition fails throws {@link RowConflictException} and nothing of the request
 * (events, summary, other rows) is stored.
 *
 * <pre>{@code
 * RowWrite.insert(claim);                                // once per key: fails if the key exists
 * RowWrite.upsert(pending);                              // insert or replace
 * RowWrite.delete("review.pending", "r-7");              // remove if present
 * RowWrite.deleteExisting("sessions.timer", "s-1/expiry").claimedBy("node-a"); // fire once
 * }</pre>
 *
 * <p>Immutable. One request may write each {@code (namespace, key)} at most once.
 */
public final class RowWrite {

  /** What a write does. */
  public enum Kind {
    /** Inserts the row; fails with {@link RowConflictException.Reason#EXISTS} if the key exists. */
    INSERT,
    /** Inserts the row or replaces the one with its key (value, session, due; its claim ends). */
    UPSERT,
    /** Deletes the row with the key, if there is one. */
    DELETE,
    /**
     * Deletes the row with the key; fails with {@link RowConflictException.Reason#ABSENT} if there
     * is none, or {@link RowConflictException.Reason#NOT_CLAIMED} if it must be claimed by an owner
     * that does not hold it.
     */
    DELETE_EXISTING
  }

  private final Kind kind;
  private final String namespace;
  private final String key;
  private final @Nullable Row row;
  private final @Nullable String claimOwner;

  private RowWrite(
      Kind kind, String namespace, String key, @Nullable Row row, @Nullable String claimOwner) {
    this.kind = kind;
    this.namespace = namespace;
    this.key = key;
    this.row = row;
    this.claimOwner = claimOwner;
  }

  /**
   * Inserts {@code row}, refusing the whole request if its {@code (namespace, key)} exists.
   *
   * @param row the row to insert
   * @return the write
   */
  public static RowWrite insert(Row row) {
    Objects.requireNonNull(row, "row");
    return new RowWrite(Kind.INSERT, row.namespace(), row.key(), row, null);
  }

  /**
   * Inserts {@code row} or replaces the row with its key; a replaced row's claim ends.
   *
   * @param row the row to write
   * @return the write
   */
  public static RowWrite upsert(Row row) {
    Objects.requireNonNull(row, "row");
    return new RowWrite(Kind.UPSERT, row.namespace(), row.key(), row, null);
  }

  /**
   * Deletes the row {@code (namespace, key)} if it exists; nothing happens if it does not.
   *
   * @param namespace the row's namespace
   * @param key the row's key
   * @return the write
   * @throws IllegalArgumentException if the namespace or key is malformed
   */
  public static RowWrite delete(String namespace, String key) {
    return new RowWrite(Kind.DELETE, Row.namespace(namespace), Row.key(namespace, key), null, null);
  }

  /**
   * Deletes the row {@code (namespace, key)}, refusing the whole request if it does not exist: of
   * two requests deleting one row, exactly one is stored (how a timer fires once).
   *
   * @param namespace the row's namespace
   * @param key the row's key
   * @return the write
   * @throws IllegalArgumentException if the namespace or key is malformed
   */
  public static RowWrite deleteExisting(String namespace, String key) {
    return new RowWrite(
        Kind.DELETE_EXISTING, Row.namespace(namespace), Row.key(namespace, key), null, null);
  }

  /**
   * This {@link #deleteExisting deleteExisting}, also refused unless {@code owner} holds the row's
   * current claim ({@link SessionStore#claimRows}): a claimant whose claim expired and passed on,
   * or whose row was replaced meanwhile, cannot delete it.
   *
   * @param owner the claim owner that must hold the row
   * @return a copy of this write with the condition
   * @throws IllegalStateException if this write is not a {@code deleteExisting}
   */
  public RowWrite claimedBy(String owner) {
    Objects.requireNonNull(owner, "owner");
    Text.requireNotBlank("Claim owner", owner);
    if (kind != Kind.DELETE_EXISTING) {
      throw new IllegalStateException(
          "claimedBy applies to RowWrite.deleteExisting only, but this "
              + "write is "
              + kind
              + " of row '"
              + namespace
              + "' / '"
              + Text.shorten(key)
              + "'");
    }
    return new RowWrite(kind, namespace, key, null, owner);
  }

  /**
   * What this write does.
   *
   * @return the kind of write
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The namespace of the written row.
   *
   * @return the namespace
   */
  public String namespace() {
    return namespace;
  }

  /**
   * The key of the written row.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * The row to insert or upsert; null for a delete.
   *
   * @return the row, or null
   */
  public @Nullable Row row() {
    return row;
  }

  /**
   * The owner whose claim a {@code deleteExisting} requires, or null for none.
   *
   * @return the required claim owner, or null
   */
  public @Nullable String claimOwner() {
    return claimOwner;
  }

  /**
   * A read-only copy of {@code writes}, checked: no nulls, each {@code (namespace, key)} once.
   *
   * @param writes the writes of one request
   * @return the writes, read-only
   * @throws IllegalArgumentException if a row is written twice
   */
  public static List<RowWrite> checked(List<RowWrite> writes) {
    Objects.requireNonNull(writes, "writes");
    if (writes.size() == 1) { // the common case (a trigger's claim): nothing to compare
      return List.of(Objects.requireNonNull(writes.get(0), "writes must not contain null"));
    }
    Set<List<String>> seen = new HashSet<>();
    for (RowWrite w : writes) {
      Objects.requireNonNull(w, "writes must not contain null");
      if (!seen.add(List.of(w.namespace, w.key))) {
        throw new IllegalArgumentException(
            "Row '"
                + w.namespace
                + "' / '"
                + Text.shorten(w.key)
                + "' is written twice in one request; write each row at most once per append");
      }
    }
    return List.copyOf(writes);
  }

  @Override
  public String toString() {
    return "RowWrite{"
        + kind
        + " "
        + namespace
        + "/"
        + Text.shorten(key)
        + (claimOwner == null ? "" : " claimedBy " + claimOwner)
        + "}";
  }
}
