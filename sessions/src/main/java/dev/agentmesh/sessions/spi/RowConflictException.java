package dev.agentmesh.sessions.spi;

import dev.agentmesh.core.AgentMeshException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RowWrite} found its row in a state it does not accept: an insert found the key taken, or
 * a delete of an existing row found none (or found it claimed by another owner). Nothing of the
 * request was stored: neither its events nor its summary nor any of its rows.
 *
 * <pre>{@code
 * try {
 *   store.append(Append.of(id, 0, List.of(created), summary).withRows(RowWrite.insert(once)));
 * } catch (RowConflictException e) {
 *   String existing = e.existingSessionId(); // the session that took the key first
 * }
 * }</pre>
 */
public final class RowConflictException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** Why a row write was refused. */
  public enum Reason {
    /** An insert found a row with its key. */
    EXISTS,
    /** A delete of an existing row found none. */
    ABSENT,
    /** A delete that requires a claim owner found the row claimed by another, or unclaimed. */
    NOT_CLAIMED
  }

  /** The namespace of the refused row. */
  private final String namespace;

  /** The key of the refused row. */
  private final String key;

  /** Why it was refused. */
  private final Reason reason;

  /** The session of the row that exists, for {@link Reason#EXISTS}. */
  private final @Nullable String existingSessionId;

  /**
   * A row write refused for {@code reason}.
   *
   * @param namespace the row's namespace
   * @param key the row's key
   * @param reason why it was refused
   * @param existingSessionId the session of the existing row (for {@link Reason#EXISTS}), or null
   */
  public RowConflictException(
      String namespace, String key, Reason reason, @Nullable String existingSessionId) {
    super(message(namespace, key, reason, existingSessionId));
    this.namespace = namespace;
    this.key = key;
    this.reason = reason;
    this.existingSessionId = existingSessionId;
  }

  private static String message(
      String namespace, String key, Reason reason, @Nullable String session) {
    String row = "Row '" + namespace + "' / '" + Text.shorten(key) + "'";
    return switch (reason) {
      case EXISTS ->
          row
              + " already exists"
              + (session == null ? "" : " (session '" + session + "')")
              + ", so the request inserting it was refused and nothing of it was stored; read "
              + "it with findRow, or write it with RowWrite.upsert to replace it";
      case ABSENT ->
          row
              + " does not exist, so the request deleting it with deleteExisting was "
              + "refused and nothing of it was stored; another writer deleted it first";
      case NOT_CLAIMED ->
          row
              + " is not claimed by the owner the delete requires, so the request"
              + " was refused and nothing of it was stored; its claim expired and passed on, or the "
              + "row was replaced: claim it again";
    };
  }

  /**
   * The namespace of the refused row.
   *
   * @return the namespace
   */
  public String namespace() {
    return namespace;
  }

  /**
   * The key of the refused row.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * Why the write was refused.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The session of the row that was already there, for {@link Reason#EXISTS}: with
   * create-once-per-key, the session created first.
   *
   * @return the existing row's session id, or null
   */
  public @Nullable String existingSessionId() {
    return existingSessionId;
  }
}
