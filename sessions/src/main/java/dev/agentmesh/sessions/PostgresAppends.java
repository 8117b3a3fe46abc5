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
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
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
 *            ROWS FROM (unnest(?::text[]), unnest(?::int[]), jsonb_array_elements(?::jsonb),
 *            unnest(?::text[])) WITH ORDINALITY AS x(...))
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

  /** The statement for each shape of append ({@link #shape}), written once. */
  private final String[] statements = new String[6];

  PostgresAppends(String sessions, String events, JsonMapper json, @Nullable String channel) {
    this.sessions = sessions;
    this.events = events;
    this.json = json;
    this.channel = channel;
    for (int shape = 0; shape < statements.length; shape++) {
      statements[shape] = sql(shape);
    }
  }

  /**
   * Which statement {@code append} takes: 0 and 1 create a session (1 with a lease granted), 2 to 5
   * update one (plus 1 when fenced by a lease, plus 2 when releasing it).
   */
  private static int shape(Append append) {
    if (append.expectedVersion() == 0) {
      return append.grantedLease() != null ? 1 : 0;
    }
    return 2 + (append.lease() != null ? 1 : 0) + (append.releasesLease() ? 2 : 0);
  }

  /** Whether {@code append} can be one statement: no rows of other modules, every instant said. */
  static boolean fits(Append append) {
    if (!append.rows().isEmpty()) {
      return false;
    }
    for (NewEvent e : append.events()) {
      if (e.at().getEpochSecond() < YEAR_1) {
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
    try (PreparedStatement ps = c.prepareStatement(statements[shape(append)])) {
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

  private String sql(int shape) {
    return "WITH s AS ("
        + summarySql(shape)
        + " RETURNING id), e AS (INSERT INTO "
        + events
        + " (session_id, version, type, type_version, payload, at)"
        + " SELECT s.id, ? + x.n, x.type, x.type_version, x.payload, x.at::timestamptz"
        + " FROM s, ROWS FROM (unnest(?::text[]), unnest(?::int[]),"
        + " jsonb_array_elements(?::jsonb), unnest(?::text[])) WITH ORDINALITY"
        + " AS x(type, type_version, payload, at, n)) SELECT "
        + (channel == null ? "count(*)" : "count(pg_notify(?, ?))")
        + " FROM s";
  }

  private String summarySql(int shape) {
    if (shape < 2) {
      boolean leased = shape == 1;
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
        + (shape >= 4 ? ", lease_owner = NULL, lease_expires_at = NULL" : "")
        + " WHERE id = ? AND version = ?"
        + (shape % 2 == 1 ? " AND lease_epoch = ?" : "");
  }

  /** Binds the summary's insert or update; returns the next parameter's index. */
  private static int bindSummary(Connection c, PreparedStatement ps, Append append)
      throws SQLException {
    SessionSummary s = append.summary().withVersion(append.newVersion());
    if (append.expectedVersion() == 0) {
      ps.setString(1, s.id());
      int next = PostgresSessionStore.setMutable(c, ps, 2, s);
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
    int next = PostgresSessionStore.setMutable(c, ps, 1, s);
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

  /** Binds the expected version and the events' columns as arrays; returns the next index. */
  private int bindEvents(Connection c, PreparedStatement ps, int first, Append append)
      throws SQLException {
    List<NewEvent> batch = append.events();
    String[] types = new String[batch.size()];
    Integer[] typeVersions = new Integer[batch.size()];
    List<JsonNode> payloads = new ArrayList<>(batch.size());
    String[] ats = new String[batch.size()];
    for (int i = 0; i < types.length; i++) {
      NewEvent e = batch.get(i);
      types[i] = e.type();
      typeVersions[i] = e.typeVersion();
      payloads.add(e.payload());
      ats[i] = text(e.at());
    }
    ps.setLong(first, append.expectedVersion());
    ps.setArray(first + 1, c.createArrayOf("text", types));
    ps.setArray(first + 2, c.createArrayOf("int4", typeVersions));
    ps.setString(first + 3, json.writeValueAsString(payloads)); // one JSON array: one generator
    ps.setArray(first + 4, c.createArrayOf("text", ats));
    return first + 5;
  }

  /** The first instant of year 1, the earliest a timestamptz's ISO text here can say. */
  private static final long YEAR_1 = -62_135_596_800L;

  /** The first instant of year 10000, from where a year takes more than four digits. */
  private static final long YEAR_10000 = 253_402_300_800L;

  /**
   * {@code at} as timestamptz text, to the microsecond (a {@link NewEvent}'s precision): written
   * digit by digit for years 1 to 9999 ({@link #TEXT} costs a tenth of an append's CPU), else by
   * {@link #TEXT}.
   */
  static String text(Instant at) {
    long second = at.getEpochSecond();
    if (second < YEAR_1 || second >= YEAR_10000) {
      return TEXT.format(at.atOffset(ZoneOffset.UTC));
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
    char[] c = "0000-00-00T00:00:00.000000Z".toCharArray();
    digits(c, 4, t.getYear());
    digits(c, 7, t.getMonthValue());
    digits(c, 10, t.getDayOfMonth());
    digits(c, 13, t.getHour());
    digits(c, 16, t.getMinute());
    digits(c, 19, t.getSecond());
    digits(c, 26, at.getNano() / 1000);
    return new String(c);
  }

  /** Writes {@code value}'s decimal digits right-aligned, ending before index {@code end}. */
  private static void digits(char[] into, int end, int value) {
    for (int i = end - 1, v = value; v > 0; i--, v /= 10) {
      into[i] = (char) ('0' + v % 10);
    }
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
