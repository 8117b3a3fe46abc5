package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.LeaseLostException;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionDecodeException;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Transactions over one connection, with failures turned into the SPI's exceptions. */
final class Jdbc {

  /** Work on a connection that may throw {@link SQLException}. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** How a database writes and reads an instant column (a timestamp, or ISO text). */
  interface Instants {
    void set(PreparedStatement ps, int index, Instant at) throws SQLException;

    Instant get(ResultSet rs, int column) throws SQLException;
  }

  private Jdbc() {}

  /**
   * Inserts events as versions {@code expected + 1, ...} with {@code insert}, a statement taking
   * session_id, version, type, type_version, payload (JSON text) and at, in that order.
   */
  static void insertEvents(
      Connection c,
      String insert,
      String sessionId,
      long expected,
      List<NewEvent> batch,
      JsonMapper json,
      Instants instants)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      addEvents(ps, sessionId, expected, batch, json, instants);
      ps.executeBatch();
    }
  }

  /**
   * Adds to {@code ps}'s batch one row per event, as versions {@code expected + 1, ...}, in the
   * parameter order of {@link #insertEvents}.
   */
  static void addEvents(
      PreparedStatement ps,
      String sessionId,
      long expected,
      List<NewEvent> batch,
      JsonMapper json,
      Instants instants)
      throws SQLException {
    long version = expected;
    for (NewEvent e : batch) {
      ps.setString(1, sessionId);
      ps.setLong(2, ++version);
      ps.setString(3, e.type());
      ps.setInt(4, e.typeVersion());
      ps.setString(5, json.writeValueAsString(e.payload()));
      instants.set(ps, 6, e.at());
      ps.addBatch();
    }
  }

  /**
   * Queues, in {@code c}'s transaction, one PostgreSQL change notice per append ({@code
   * <session>:<version>} on {@code channel}) with one statement: sent, together, on commit.
   */
  static void notifyChanges(Connection c, String channel, List<Append> appends)
      throws SQLException {
    String[] notices = new String[appends.size()];
    for (int i = 0; i < notices.length; i++) {
      notices[i] = appends.get(i).sessionId() + ":" + appends.get(i).newVersion();
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT count(pg_notify(?, x)) FROM unnest(?::text[]) AS x")) {
      ps.setString(1, channel);
      ps.setArray(2, c.createArrayOf("text", notices));
      ps.executeQuery().close();
    }
  }

  /**
   * Loads events after a version with {@code select}, a query taking session_id, the version and a
   * limit, and returning version, type, type_version, payload (JSON text) and at.
   */
  static List<StoredEvent> loadEvents(
      Connection c,
      String select,
      String sessionId,
      long afterVersion,
      int limit,
      JsonMapper json,
      Instants instants)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, sessionId);
      ps.setLong(2, afterVersion);
      ps.setLong(3, limit);
      List<StoredEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long version = rs.getLong(1);
          String type = rs.getString(2);
          int typeVersion = rs.getInt(3);
          JsonNode payload = payload(json, rs.getString(4), sessionId, version, type, typeVersion);
          out.add(
              new StoredEvent(sessionId, version, type, typeVersion, payload, instants.get(rs, 5)));
        }
      }
      return List.copyOf(out);
    }
  }

  /** Parses a stored payload; text that is not JSON is a {@link SessionDecodeException}. */
  static JsonNode payload(
      JsonMapper json, String text, String sessionId, long version, String type, int typeVersion) {
    try {
      return json.readTree(text);
    } catch (JacksonException e) {
      throw new SessionDecodeException(
          sessionId,
          version,
          type,
          typeVersion,
          "its payload is not valid JSON (" + e.getOriginalMessage() + ")",
          "Repair the row in agentmesh_events, then retry the session (Sessions.retryQuarantined(\""
              + sessionId
              + "\"))",
          null);
    }
  }

  /**
   * Why a checked append was refused, given the session's row: the lease passed to another holder
   * (checked first: retrying cannot help), or the version moved.
   */
  static RuntimeException refusal(Append append, long version, long epoch, @Nullable String owner) {
    Lease lease = append.lease();
    if (lease != null && lease.epoch() != epoch) {
      return new LeaseLostException(append.sessionId(), lease.owner(), lease.epoch(), epoch, owner);
    }
    return new VersionConflictException(append.sessionId(), append.expectedVersion(), version);
  }

  /**
   * Takes or renews the lease of a session in {@code table} when it is free, expired at {@code now}
   * or already {@code owner}'s, keeping the epoch for its holder and growing it for anyone else;
   * the new epoch, or null when another owner holds a live lease (or no such row).
   */
  static @Nullable Long takeLease(
      Connection c,
      String table,
      String sessionId,
      String owner,
      Instant now,
      Instant expiresAt,
      Instants instants)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET lease_epoch = "
                + "CASE WHEN lease_owner = ? THEN lease_epoch ELSE lease_epoch + 1 END, "
                + "lease_owner = ?, lease_expires_at = ? WHERE id = ? AND (lease_owner IS NULL"
                + " OR lease_owner = ? OR lease_expires_at <= ?) RETURNING lease_epoch")) {
      ps.setString(1, owner);
      ps.setString(2, owner);
      instants.set(ps, 3, expiresAt);
      ps.setString(4, sessionId);
      ps.setString(5, owner);
      instants.set(ps, 6, now);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** Adds {@code AND condition} with its argument to a query when the filter is set. */
  static void filter(
      StringBuilder sql, List<Object> args, String condition, @Nullable Object value) {
    if (value != null) {
      sql.append(" AND ").append(condition);
      args.add(value);
    }
  }

  /** Runs {@code work} in a transaction on {@code c}, committing on success. */
  static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      rollbackQuietly(c, e);
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** The longest server message a failure repeats. */
  static final int MAX_MESSAGE = 200;

  /**
   * A store failure naming the SQLState and only the server's primary message, cut to {@value
   * #MAX_MESSAGE} characters: a driver's detail (PostgreSQL's "Failing row contains (...)") can
   * hold a whole row, prompts included. The cause is a copy of {@code e} (state, vendor code and
   * stack trace) with that message, so logged stack traces stay clean too.
   */
  static SessionStoreException failure(String store, String what, SQLException e) {
    // A batch's own message repeats the statement with its values; the server's error is next.
    boolean batch = e instanceof BatchUpdateException;
    SQLException source = batch && e.getNextException() != null ? e.getNextException() : e;
    String primary =
        source == e && batch ? "a batch of statements failed" : primaryMessage(source.getMessage());
    String state = source.getSQLState() != null ? source.getSQLState() : e.getSQLState();
    SQLException redacted = new SQLException(primary, state, source.getErrorCode());
    redacted.setStackTrace(e.getStackTrace());
    return new SessionStoreException(
        store
            + " failed to "
            + what
            + ": "
            + primary
            + " (SQLState "
            + state
            + "); "
            + advice(store, state),
        redacted);
  }

  /** What to do about a failure with this SQLState. */
  private static String advice(String store, @Nullable String state) {
    if ("42P01".equals(state) || "42703".equals(state)) {
      String what =
          "42P01".equals(state)
              ? "the agentmesh tables do not exist"
              : "the agentmesh tables are older than this release";
      return what
          + ": build the store with "
          + store
          + ".builder(dataSource).build() (it "
          + "migrates unless migrate(false) is set), or have your Flyway apply "
          + "classpath:db/agentmesh/postgresql to this schema";
    }
    return "check the database is reachable and migrated, then retry";
  }

  /** The first line of a driver's message, before any detail, at most {@link #MAX_MESSAGE} long. */
  static String primaryMessage(@Nullable String message) {
    if (message == null) {
      return "no message";
    }
    String primary = message.strip();
    for (String cut : new String[] {"\n", "\r", "Detail:", "Failing row"}) {
      int at = primary.indexOf(cut);
      if (at >= 0) {
        primary = primary.substring(0, at);
      }
    }
    primary = primary.strip();
    return primary.length() <= MAX_MESSAGE ? primary : primary.substring(0, MAX_MESSAGE) + "...";
  }
}
