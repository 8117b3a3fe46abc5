package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link PostgresSessionStore#append} in one statement, so one round trip is the whole commit (in
 * autocommit mode the statement is its own transaction): the summary's insert or version-checked
 * (and, for a driver, lease-fenced) update, the events' insert from arrays, which runs only if the
 * summary's write matched, and the change notice, queued only then; all three commit or none.
 *
 * <pre>
 * WITH s AS (UPDATE agentmesh_sessions SET ... WHERE id = ? AND version = ? [AND lease_epoch = ?]
 *            RETURNING id),
 *      e AS (INSERT INTO agentmesh_events (...) SELECT s.id, ? + x.n, ... FROM s,
 *            unnest(?::text[], ?::int[], ?::text[], ?::text[]) WITH ORDINALITY AS x(...))
 * SELECT count(pg_notify(?, ?)) FROM s
 * </pre>
 *
 * An append with rows of other modules keeps the transaction of several statements (a row's
 * condition must be able to refuse the append). Instants go as ISO text, exact to the microsecond
 * {@link NewEvent} keeps; an event dated before year 1 (which that text cannot say) takes the other
 * path too.
 */
final class PostgresAppends {

  /** An instant as PostgreSQL reads a timestamptz: years past 9999 without a sign. */
  private static final DateTimeFormatter TEXT =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL)
          .appendPattern("-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
          .toFormatter();

  private final String sessions;
  private final String events;
  private final JsonMapper json;
  private final @Nullable String channel;

  PostgresAppends(String sessions, String events, JsonMapper json, @Nullable String channel) {
    this.sessions = sessions;
    this.events = events;
    this.json = json;
    this.channel = channel;
  }

  /** Whether {@code append} can be one statement: no rows of other modules, every instant said. */
  static boolean fits(Append append) {
    if (!append.rows().isEmpty()) {
      return false;
    }
    for (NewEvent e : append.events()) {
      if (e.at().atOffset(ZoneOffset.UTC).getYear() < 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * Stores {@code append} with one statement on {@code c} (committing it when {@code c} is not in
   * autocommit mode): false, with nothing stored, when the summary's version (or lease, or for a
   * creation the id) did not match.
   */
  boolean append(Connection c, Append append) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql(append))) {
      int next = bindSummary(c, ps, append);
      next = bindEvents(c, ps, next, append);
      if (channel != null) {
        ps.setString(next, channel);
        ps.setString(next + 1, append.sessionId() + ":" + append.newVersion());
      }
      boolean stored;
      try (ResultSet rs = ps.executeQuery()) {
        stored = rs.next() && rs.getLong(1) == 1;
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return stored;
    } catch (SQLException | RuntimeException e) {
      if (!c.getAutoCommit()) {
        Jdbc.rollbackQuietly(c, e);
      }
      throw e;
    }
  }

  private String sql(Append append) {
    return "WITH s AS ("
        + summarySql(append)
        + " RETURNING id), e AS (INSERT INTO "
        + events
        + " (session_id, version, type, type_version, payload, at)"
        + " SELECT s.id, ? + x.n, x.type, x.type_version, x.payload::jsonb, x.at::timestamptz"
        + " FROM s, unnest(?::text[], ?::int[], ?::text[], ?::text[]) WITH ORDINALITY"
        + " AS x(type, type_version, payload, at, n)) SELECT "
        + (channel == null ? "count(*)" : "count(pg_notify(?, ?))")
        + " FROM s";
  }

  private String summarySql(Append append) {
    if (append.expectedVersion() == 0) {
      boolean leased = append.grantedLease() != null;
      return "INSERT INTO "
          + sessions
          + " (id, agent, status, runnable, trigger, participants, parent_id, created_at,"
          + " updated_at, version"
          + (leased ? ", lease_owner, lease_expires_at, lease_epoch" : "")
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
          + (leased ? ", ?, ?, 1" : "")
          + ") ON CONFLICT (id) DO NOTHING";
    }
    return "UPDATE "
        + sessions
        + " SET agent = ?, status = ?, runnable = ?, trigger = ?, participants = ?,"
        + " updated_at = ?, version = ?"
        + (append.releasesLease() ? ", lease_owner = NULL, lease_expires_at = NULL" : "")
        + " WHERE id = ? AND version = ?"
        + (append.lease() == null ? "" : " AND lease_epoch = ?");
  }

  /** Binds the summary's insert or update; returns the next parameter's index. */
  private static int bindSummary(Connection c, PreparedStatement ps, Append append)
      throws SQLException {
    SessionSummary s = append.summary().withVersion(append.newVersion());
    if (append.expectedVersion() == 0) {
      ps.setString(1, s.id());
      int next = mutable(c, ps, 2, s);
      ps.setString(next, s.forkedFrom());
      ps.setObject(next + 1, timestamp(s.createdAt()));
      ps.setObject(next + 2, timestamp(s.updatedAt()));
      ps.setLong(next + 3, s.version());
      Lease granted = append.grantedLease();
      if (granted == null) {
        return next + 4;
      }
      ps.setString(next + 4, granted.owner());
      ps.setObject(next + 5, timestamp(granted.expiresAt()));
      return next + 6;
    }
    int next = mutable(c, ps, 1, s);
    ps.setObject(next, timestamp(s.updatedAt()));
    ps.setLong(next + 1, s.version());
    ps.setString(next + 2, s.id());
    ps.setLong(next + 3, append.expectedVersion());
    Lease lease = append.lease();
    if (lease == null) {
      return next + 4;
    }
    ps.setLong(next + 4, lease.epoch());
    return next + 5;
  }

  /** Sets agent, status, runnable, trigger, participants from {@code first}; returns the next. */
  private static int mutable(Connection c, PreparedStatement ps, int first, SessionSummary s)
      throws SQLException {
    ps.setString(first, s.agent());
    ps.setString(first + 1, s.status());
    ps.setBoolean(first + 2, s.runnable());
    ps.setString(first + 3, s.origin());
    ps.setArray(first + 4, c.createArrayOf("text", s.participants().toArray()));
    return first + 5;
  }

  /** Binds the expected version and the events' columns as arrays; returns the next index. */
  private int bindEvents(Connection c, PreparedStatement ps, int first, Append append)
      throws SQLException {
    List<NewEvent> batch = append.events();
    String[] types = new String[batch.size()];
    Integer[] typeVersions = new Integer[batch.size()];
    String[] payloads = new String[batch.size()];
    String[] ats = new String[batch.size()];
    for (int i = 0; i < types.length; i++) {
      NewEvent e = batch.get(i);
      types[i] = e.type();
      typeVersions[i] = e.typeVersion();
      payloads[i] = json.writeValueAsString(e.payload());
      ats[i] = text(e.at());
    }
    ps.setLong(first, append.expectedVersion());
    ps.setArray(first + 1, c.createArrayOf("text", types));
    ps.setArray(first + 2, c.createArrayOf("int4", typeVersions));
    ps.setArray(first + 3, c.createArrayOf("text", payloads));
    ps.setArray(first + 4, c.createArrayOf("text", ats));
    return first + 5;
  }

  /** {@code at} as timestamptz text, to the microsecond (a {@link NewEvent}'s precision). */
  static String text(Instant at) {
    return TEXT.format(at.atOffset(ZoneOffset.UTC));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
