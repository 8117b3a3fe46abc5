package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.AppendOutcome;
import dev.agentmesh.sessions.spi.CreateBatch;
import dev.agentmesh.sessions.spi.CreateOutcome;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link SessionStore} in PostgreSQL over a host's {@link DataSource}, for many nodes sharing
 * sessions: payloads are JSONB, queries are indexed, the version check is a conditional update
 * backed by the unique key {@code (session_id, version)}, and {@link #claim claim} uses {@code FOR
 * UPDATE SKIP LOCKED} so concurrent nodes never claim one session twice.
 *
 * <pre>{@code
 * SessionStore store = PostgresSessionStore.builder(dataSource).schema("agentmesh").build(); // migrates
 * }</pre>
 *
 * <p>Each method borrows one connection and returns it; use a pooled {@code DataSource}. The schema
 * files ({@code db/agentmesh/postgresql/V1__sessions.sql}, ...) can be applied by this store (the
 * default, see {@link Builder#migrate(boolean)}) or by the host's Flyway.
 *
 * <p>The change feed ({@link #subscribe}) is PostgreSQL's {@code LISTEN/NOTIFY}: each append
 * notifies channel {@code agentmesh_changes_<schema>} in its own transaction, so a change is
 * delivered when, and only if, the append commits; while anyone subscribes, the store holds one
 * connection of the {@code DataSource} (or of {@link Builder#listenWith}) that listens, on a daemon
 * thread, and reconnects with a growing pause when it is lost. See {@link
 * Builder#changeFeed(boolean)} to turn it off.
 */
public final class PostgresSessionStore implements SessionStore {

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String COLUMNS =
      "id, agent, status, runnable, trigger, participants, "
          + "parent_id, created_at, updated_at, version, quarantine";

  private final DataSource dataSource;
  private final @Nullable String schema;

  /**
   * The participant filter of {@link #query}: it repeats the predicate of the partial GIN index
   * that serves it ({@code cardinality(participants) > 0}, schema version 5), so PostgreSQL knows
   * the index holds every session that can match.
   */
  static final String PARTICIPANT_FILTER =
      "cardinality(participants) > 0 AND participants @> ARRAY[?]::text[]";

  private final boolean migrate;
  private final Clock clock;
  private final String sessions;
  private final String events;
  private final JsonMapper json = JsonMapper.builder().build();
  private final @Nullable PostgresNotifications notifications;
  private final String channel;
  private final boolean changeFeed;

  /** timestamptz columns. */
  private static final Jdbc.Instants INSTANTS =
      new Jdbc.Instants() {
        @Override
        public void set(PreparedStatement ps, int index, Instant at) throws SQLException {
          ps.setObject(index, timestamp(at));
        }

        @Override
        public Instant get(ResultSet rs, int column) throws SQLException {
          return instant(rs, column);
        }
      };

  private PostgresSessionStore(Builder b) {
    this.dataSource = b.dataSource;
    this.schema = b.schema;
    this.migrate = b.migrate;
    this.clock = b.clock;
    String prefix = schema == null ? "" : "\"" + schema + "\".";
    this.sessions = prefix + "agentmesh_sessions";
    this.events = prefix + "agentmesh_events";
    this.rows =
        new JdbcRows(
            prefix + "agentmesh_rows",
            "?::jsonb",
            "value::text",
            " FOR UPDATE SKIP LOCKED",
            INSTANTS,
            json,
            true);
    this.channel = channel(schema);
    this.changeFeed = b.changeFeed;
    this.creates = new PostgresCreates(sessions, events, rows, json, b.changeFeed ? channel : null);
    this.appends = new PostgresAppends(sessions, events, json, b.changeFeed ? channel : null);
    this.batches =
        new PostgresBatches(sessions, events, rows, json, INSTANTS, b.changeFeed ? channel : null);
    this.notifications = b.changeFeed ? listener(b) : null;
  }

  /** The listening side, or null without the PostgreSQL driver (no feed; appends still notify). */
  private @Nullable PostgresNotifications listener(Builder b) {
    try {
      return new PostgresNotifications(
          b.listenWith != null ? b.listenWith : b.dataSource,
          channel,
          b.maxReconnectPause,
          toString());
    } catch (LinkageError noDriver) {
      LoggerFactory.getLogger(PostgresSessionStore.class)
          .warn(
              "{} has no change feed: it needs "
                  + "the PostgreSQL JDBC driver (org.postgresql) on the class path",
              this,
              noDriver);
      return null;
    }
  }

  /** The notification channel for tables in {@code schema} (null: the search_path's). */
  static String channel(@Nullable String schema) {
    String name = schema == null ? "agentmesh_changes" : "agentmesh_changes_" + schema;
    return name.length() <= 63 ? name : name.substring(0, 63); // PostgreSQL's identifier limit
  }

  /** Queues the change notice of an append in its transaction on {@code tx}: sent on commit. */
  private void notifyChange(Connection tx, String sessionId, long version) throws SQLException {
    try (PreparedStatement ps = tx.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, channel);
      ps.setString(2, sessionId + ":" + version);
      ps.executeQuery().close();
    }
  }

  /**
   * A store over {@code dataSource} in the connection's default schema, applying missing schema
   * files first (under an advisory lock, so nodes starting together are safe): works on an empty
   * database. Same as {@code builder(dataSource).build()}.
   *
   * @param dataSource where connections come from; the store does not close it
   * @return a store ready to use
   * @throws dev.agentmesh.sessions.spi.SessionStoreException if the database cannot be reached or
   *     migrated
   */
  public static PostgresSessionStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * A builder of a store over {@code dataSource}, to choose its schema, migration and clock.
   *
   * @param dataSource where connections come from; the store does not close it
   * @return a new builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * A builder with this store's data source, schema, migration and clock, to make another store
   * like it (say, over another schema).
   *
   * @return a new builder with this store's settings
   */
  public Builder newBuilder() {
    Builder b = builder(dataSource).migrate(migrate).clock(clock);
    if (schema != null) {
      b.schema(schema);
    }
    return b;
  }

  @Override
  public long append(Append append) {
    Objects.requireNonNull(append, "append");
    String sessionId = append.sessionId();
    long expectedVersion = append.expectedVersion();
    try (Connection c = dataSource.getConnection()) {
      if (PostgresAppends.fits(append)) {
        if (!appends.append(c, append)) {
          throw refusal(c, append);
        }
        return append.newVersion();
      }
      Optional<RuntimeException> refused =
          Jdbc.inTransaction(
              c,
              tx -> {
                if (!writeSummary(tx, append)) {
                  tx.rollback();
                  return Optional.of(refusal(tx, append));
                }
                insertEvents(tx, sessionId, expectedVersion, append.events());
                rows.apply(tx, append.rows());
                if (changeFeed) {
                  notifyChange(tx, sessionId, append.newVersion());
                }
                return Optional.empty();
              });
      if (refused.isPresent()) {
        throw refused.get();
      }
      return append.newVersion();
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw new VersionConflictException(sessionId, expectedVersion, versionAfterRace(sessionId));
      }
      throw Jdbc.failure("PostgresSessionStore", "append to session '" + sessionId + "'", e);
    }
  }

  /** Why the summary row did not match: the lease passed on, or the version moved. */
  private RuntimeException refusal(Connection c, Append append) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, lease_epoch, lease_owner FROM " + sessions + " WHERE id = ?")) {
      ps.setString(1, append.sessionId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new VersionConflictException(append.sessionId(), append.expectedVersion(), 0);
        }
        return Jdbc.refusal(append, rs.getLong(1), rs.getLong(2), rs.getString(3));
      }
    }
  }

  /**
   * Inserts the summary row (a new session) or updates it where the version, and for a fenced
   * append the lease epoch, are still the expected ones: the row lock this takes orders the append
   * after any concurrent claim of the session.
   */
  private boolean writeSummary(Connection c, Append append) throws SQLException {
    SessionSummary s = append.summary().withVersion(append.newVersion());
    if (append.expectedVersion() == 0) {
      Lease granted = append.grantedLease();
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + sessions
                  + " (id, agent, "
                  + "status, runnable, trigger, participants, parent_id, created_at, updated_at, version"
                  + (granted == null ? "" : ", lease_owner, lease_expires_at, lease_epoch")
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                  + (granted == null ? "" : ", ?, ?, 1")
                  + ") ON CONFLICT (id) DO NOTHING")) {
        ps.setString(1, s.id());
        int next = setMutable(c, ps, 2, s);
        ps.setString(next, s.forkedFrom());
        ps.setObject(next + 1, timestamp(s.createdAt()));
        ps.setObject(next + 2, timestamp(s.updatedAt()));
        ps.setLong(next + 3, s.version());
        if (granted != null) {
          ps.setString(next + 4, granted.owner());
          ps.setObject(next + 5, timestamp(granted.expiresAt()));
        }
        return ps.executeUpdate() == 1;
      }
    }
    Lease lease = append.lease();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + sessions
                + " SET agent = ?, "
                + "status = ?, runnable = ?, trigger = ?, participants = ?, updated_at = ?, version = ? "
                + (append.releasesLease() ? ", lease_owner = NULL, lease_expires_at = NULL " : "")
                + "WHERE id = ? AND version = ?"
                + (lease == null ? "" : " AND lease_epoch = ?"))) {
      int next = setMutable(c, ps, 1, s);
      ps.setObject(next, timestamp(s.updatedAt()));
      ps.setLong(next + 1, s.version());
      ps.setString(next + 2, s.id());
      ps.setLong(next + 3, append.expectedVersion());
      if (lease != null) {
        ps.setLong(next + 4, lease.epoch());
      }
      return ps.executeUpdate() == 1;
    }
  }

  /** Sets agent, status, runnable, trigger, participants from {@code first}; returns the next. */
  static int setMutable(Connection c, PreparedStatement ps, int first, SessionSummary s)
      throws SQLException {
    ps.setString(first, s.agent());
    ps.setString(first + 1, s.status());
    ps.setBoolean(first + 2, s.runnable());
    ps.setString(first + 3, s.origin());
    ps.setArray(first + 4, c.createArrayOf("text", s.participants().toArray()));
    return first + 5;
  }

  private void insertEvents(Connection c, String sessionId, long expected, List<NewEvent> batch)
      throws SQLException {
    Jdbc.insertEvents(
        c,
        "INSERT INTO "
            + events
            + " (session_id, version, type, type_version, payload, at)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?)",
        sessionId,
        expected,
        batch,
        json,
        INSTANTS);
  }

  private long currentVersion(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT version FROM " + sessions + " WHERE id = ?")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private long versionAfterRace(String sessionId) {
    try (Connection c = dataSource.getConnection()) {
      return currentVersion(c, sessionId);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "read the version of '" + sessionId + "'", e);
    }
  }

  @Override
  public List<StoredEvent> load(String sessionId, long afterVersion, int limit) {
    StoreArgs.load(sessionId, afterVersion, limit);
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.loadEvents(
          c,
          "SELECT version, type, type_version, payload::text, at FROM "
              + events
              + " WHERE session_id = ? AND version > ? ORDER BY version LIMIT ?",
          sessionId,
          afterVersion,
          limit,
          json,
          INSTANTS);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "load session '" + sessionId + "'", e);
    }
  }

  @Override
  public Optional<SessionSummary> find(String sessionId) {
    StoreArgs.sessionId(sessionId);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM " + sessions + " WHERE id = ?")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "find session '" + sessionId + "'", e);
    }
  }

  @Override
  public SessionPage query(SessionQuery q) {
    Objects.requireNonNull(q, "query");
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM " + sessions + " WHERE true");
    List<Object> args = new ArrayList<>();
    Jdbc.filter(sql, args, "status = ?", q.status());
    Jdbc.filter(sql, args, "agent = ?", q.agent());
    Jdbc.filter(sql, args, "trigger = ?", q.origin());
    Jdbc.filter(sql, args, PARTICIPANT_FILTER, q.participant());
    if (q.quarantined() != null) {
      sql.append(q.quarantined() ? " AND quarantine IS NOT NULL" : " AND quarantine IS NULL");
    }
    Jdbc.filter(
        sql, args, "created_at >= ?", q.createdFrom() == null ? null : timestamp(q.createdFrom()));
    Jdbc.filter(
        sql,
        args,
        "created_at < ?",
        q.createdBefore() == null ? null : timestamp(q.createdBefore()));
    SessionQuery.Position after = q.after();
    if (after != null) {
      sql.append(" AND (created_at, id) > (?, ?)");
      args.add(timestamp(after.createdAt()));
      args.add(after.id());
    }
    sql.append(" ORDER BY created_at, id LIMIT ").append(q.limit() + 1);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<SessionSummary> fetched = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fetched.add(summary(rs));
        }
      }
      return SessionPage.of(q, fetched);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "query " + q, e);
    }
  }

  @Override
  public Optional<Lease> tryAcquireLease(
      String sessionId, String owner, Instant now, Duration ttl) {
    StoreArgs.lease(sessionId, owner, ttl);
    Objects.requireNonNull(now, "now");
    Instant expiresAt = now.plus(ttl);
    try (Connection c = dataSource.getConnection()) {
      Long epoch = Jdbc.takeLease(c, sessions, sessionId, owner, now, expiresAt, INSTANTS);
      if (epoch != null) {
        return Optional.of(new Lease(sessionId, owner, epoch, expiresAt));
      }
      if (currentVersion(c, sessionId) == 0) {
        throw new SessionNotFoundException(sessionId);
      }
      return Optional.empty();
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "lease session '" + sessionId + "'", e);
    }
  }

  @Override
  public boolean releaseLease(String sessionId, String owner) {
    StoreArgs.sessionId(sessionId);
    StoreArgs.owner(owner);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + sessions
                    + " SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?")) {
      ps.setString(1, sessionId);
      ps.setString(2, owner);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "release the lease of '" + sessionId + "'", e);
    }
  }

  @Override
  public List<String> claim(String owner, Instant now, Duration ttl, int limit) {
    StoreArgs.claim(owner, now, ttl, limit);
    String free = "(lease_owner IS NULL OR lease_expires_at <= ?)";
    String sql =
        "UPDATE "
            + sessions
            + " SET lease_owner = ?, lease_expires_at = ?, "
            + "lease_epoch = lease_epoch + 1 WHERE id IN ("
            + "SELECT id FROM "
            + sessions
            + " WHERE runnable AND quarantine IS NULL AND "
            + free
            + " ORDER BY updated_at, id LIMIT ? FOR UPDATE SKIP LOCKED) AND "
            + free
            + " RETURNING id";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, owner);
      ps.setObject(2, timestamp(now.plus(ttl)));
      ps.setObject(3, timestamp(now));
      ps.setInt(4, limit);
      ps.setObject(5, timestamp(now));
      List<String> claimed = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          claimed.add(rs.getString(1));
        }
      }
      return List.copyOf(claimed);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "claim sessions for '" + owner + "'", e);
    }
  }

  @Override
  public boolean quarantine(String sessionId, String reason) {
    StoreArgs.quarantine(sessionId, reason);
    String sql =
        "UPDATE "
            + sessions
            + " s SET quarantine = ? FROM (SELECT id, quarantine FROM "
            + sessions
            + " WHERE id = ? FOR UPDATE) old WHERE s.id = old.id RETURNING old.quarantine IS NULL";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, StoreArgs.reason(reason));
      ps.setString(2, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "quarantine session '" + sessionId + "'", e);
    }
  }

  @Override
  public boolean releaseQuarantine(String sessionId) {
    StoreArgs.sessionId(sessionId);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + sessions
                    + " SET quarantine = NULL WHERE id = ? AND quarantine IS NOT NULL")) {
      ps.setString(1, sessionId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw Jdbc.failure(
          "PostgresSessionStore", "release the quarantine of '" + sessionId + "'", e);
    }
  }

  // ---- retention -----------------------------------------------------------------------------

  /** Locks the session's row first, so an append that held it has committed all its events. */
  @Override
  public boolean delete(String sessionId) {
    StoreArgs.sessionId(sessionId);
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.inTransaction(
          c,
          tx -> {
            try (PreparedStatement ps =
                tx.prepareStatement("SELECT 1 FROM " + sessions + " WHERE id = ? FOR UPDATE")) {
              ps.setString(1, sessionId);
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  eraseRows(tx, new String[] {sessionId}, Set.of()); // a purge may have kept some
                  return false;
                }
              }
            }
            erase(tx, new String[] {sessionId}, Set.of());
            return true;
          });
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "delete session '" + sessionId + "'", e);
    }
  }

  /**
   * Deletes the events and summary rows of sessions whose rows this transaction locked, and their
   * rows in {@code agentmesh_rows} outside {@code keepRows}.
   */
  private void erase(Connection c, String[] ids, Set<String> keepRows) throws SQLException {
    eraseRows(c, ids, keepRows);
    for (String sql :
        new String[] {
          "DELETE FROM " + events + " WHERE session_id = ANY(?)",
          "DELETE FROM " + sessions + " WHERE id = ANY(?)"
        }) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setArray(1, c.createArrayOf("text", ids));
        ps.executeUpdate();
      }
    }
  }

  private void eraseRows(Connection c, String[] ids, Set<String> keepRows) throws SQLException {
    String table = (schema == null ? "" : "\"" + schema + "\".") + "agentmesh_rows";
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM " + table + " WHERE session_id = ANY(?) AND NOT (namespace = ANY(?))")) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("text", keepRows.toArray()));
      ps.executeUpdate();
    }
  }

  /**
   * Selects the sessions with {@code FOR UPDATE SKIP LOCKED} (PostgreSQL checks the conditions
   * again on the row's newest version after locking it; a row an append holds is skipped), then
   * deletes them in the same transaction: an append that moved a session on is never lost.
   */
  @Override
  public List<SessionSummary> purge(PurgeRequest request) {
    Objects.requireNonNull(request, "request");
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + COLUMNS
                + " FROM "
                + sessions
                + " WHERE NOT runnable AND quarantine IS NULL AND version > 0 AND updated_at < ?"
                + " AND (lease_owner IS NULL OR lease_expires_at <= ?) AND status = ANY(?)");
    Map<String, Long> only = request.only();
    if (only != null) {
      sql.append(" AND (id, version) IN (SELECT * FROM unnest(?::text[], ?::bigint[]))");
    }
    sql.append(" ORDER BY updated_at, id LIMIT ").append(request.limit());
    sql.append(request.dryRun() ? "" : " FOR UPDATE SKIP LOCKED");
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.inTransaction(
          c,
          tx -> {
            List<SessionSummary> chosen = new ArrayList<>();
            try (PreparedStatement ps = tx.prepareStatement(sql.toString())) {
              ps.setObject(1, timestamp(request.finishedBefore()));
              ps.setObject(2, timestamp(request.now()));
              ps.setArray(3, tx.createArrayOf("text", request.statuses().toArray()));
              if (only != null) {
                ps.setArray(4, tx.createArrayOf("text", only.keySet().toArray()));
                ps.setArray(5, tx.createArrayOf("bigint", only.values().toArray()));
              }
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  chosen.add(summary(rs));
                }
              }
            }
            if (!request.dryRun() && !chosen.isEmpty()) {
              erase(
                  tx,
                  chosen.stream().map(SessionSummary::id).toArray(String[]::new),
                  request.keepRows());
            }
            return List.copyOf(chosen);
          });
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "purge " + request, e);
    }
  }

  private static SessionSummary summary(ResultSet rs) throws SQLException {
    return new SessionSummary(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getBoolean(4),
        rs.getString(5),
        Set.of((String[]) rs.getArray(6).getArray()),
        rs.getString(7),
        instant(rs, 8),
        instant(rs, 9),
        rs.getLong(10),
        rs.getString(11));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  /** True unless the builder turned the feed off with {@code changeFeed(false)}. */
  @Override
  public boolean supportsChanges() {
    return notifications != null;
  }

  /**
   * Subscribes to the appends of every node on this schema, through {@code LISTEN}: the first
   * subscriber makes the store open its listening connection, and the listener hears {@code
   * connected()} once the {@code LISTEN} is in place; the last one to close makes it return the
   * connection.
   */
  @Override
  public Subscription subscribe(ChangeListener listener) {
    if (notifications == null) {
      return SessionStore.super.subscribe(listener);
    }
    return notifications.subscribe(listener);
  }

  /** Applies the schema files this schema lacks; safe to run from several nodes at once. */
  private void migrate(Clock clock) {
    try (Connection c = dataSource.getConnection()) {
      Jdbc.inTransaction(
          c,
          tx -> {
            try (Statement s = tx.createStatement()) {
              s.execute(
                  "SELECT pg_advisory_xact_lock(hashtext('agentmesh:"
                      + (schema == null ? "" : schema)
                      + "'))");
              if (schema != null) {
                s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
                s.execute("SET LOCAL search_path TO \"" + schema + "\"");
              }
            }
            return Migrations.apply(tx, "postgresql", clock.instant());
          });
    } catch (SQLException e) {
      throw Jdbc.failure(
          "PostgresSessionStore",
          "migrate schema " + (schema == null ? "(default)" : "'" + schema + "'"),
          e);
    }
  }

  @Override
  public String toString() {
    return "PostgresSessionStore{schema=" + (schema == null ? "(default)" : schema) + "}";
  }

  // ---- other modules' rows -------------------------------------------------------------------

  private final JdbcRows rows;
  private final PostgresCreates creates;
  private final PostgresBatches batches;
  private final PostgresAppends appends;

  /**
   * {@inheritDoc}
   *
   * <p>Here in one transaction when none is refused and none creates its session: the summaries'
   * version checks as one batch, the events as one batch, the row writes grouped, and one {@code
   * pg_notify} statement for them all (so the commit takes PostgreSQL's notification lock once, not
   * once per append); otherwise (or when a concurrent writer got in the way) one by one.
   */
  @Override
  public List<AppendOutcome> appendAll(List<Append> appends) {
    Objects.requireNonNull(appends, "appends");
    if (appends.size() > 1 && PostgresBatches.batchable(appends)) {
      try (Connection c = dataSource.getConnection()) {
        if (batches.appendAll(c, appends)) {
          return appends.stream().map(AppendOutcome::stored).toList();
        }
      } catch (SQLException e) {
        throw Jdbc.failure("PostgresSessionStore", "append to " + appends.size() + " sessions", e);
      }
    }
    return SessionStore.super.appendAll(appends);
  }

  /** {@inheritDoc} Here one query, whatever the number of sessions. */
  @Override
  public Map<String, List<StoredEvent>> loadAll(Map<String, Long> afterVersions) {
    Objects.requireNonNull(afterVersions, "afterVersions");
    afterVersions.forEach((id, after) -> StoreArgs.load(id, after, Integer.MAX_VALUE));
    if (afterVersions.isEmpty()) {
      return Map.of();
    }
    try (Connection c = dataSource.getConnection()) {
      return batches.loadAll(c, afterVersions);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "load " + afterVersions.size() + " sessions", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here in one transaction of four statements whatever the batch's size: the inserts of every
   * item ({@code INSERT ... SELECT ... FROM unnest(...) ON CONFLICT DO NOTHING RETURNING}, keys in
   * code point order), the summaries and the events of the items whose keys were free, and their
   * change notifications. A batch racing another on the same keys waits for it to commit, then
   * finds those keys taken.
   */
  @Override
  public List<CreateOutcome> createAll(CreateBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.items().isEmpty()) {
      return List.of();
    }
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.inTransaction(c, tx -> JdbcCreates.run(tx, batch, creates));
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "create " + batch, e);
    }
  }

  /** {@inheritDoc} Here one statement: an index lookup per prefix ({@code LATERAL}). */
  @Override
  public Map<String, Row> lastRows(String namespace, Collection<String> keyPrefixes) {
    StoreArgs.lastRows(namespace, keyPrefixes);
    if (keyPrefixes.isEmpty()) {
      return Map.of();
    }
    try (Connection c = dataSource.getConnection()) {
      return creates.lastRows(c, namespace, keyPrefixes);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "read the last rows of '" + namespace + "'", e);
    }
  }

  /** {@inheritDoc} Here one statement ({@code key = ANY(?)}), reading only the keys. */
  @Override
  public Set<String> existingKeys(String namespace, Collection<String> keys) {
    StoreArgs.existingKeys(namespace, keys);
    if (keys.isEmpty()) {
      return Set.of();
    }
    try (Connection c = dataSource.getConnection()) {
      return creates.existingKeys(c, namespace, keys);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "look up keys of '" + namespace + "'", e);
    }
  }

  @Override
  public Optional<Row> findRow(String namespace, String key) {
    StoreArgs.row(namespace, key);
    try (Connection c = dataSource.getConnection()) {
      return Optional.ofNullable(rows.find(c, namespace, key));
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "find row '" + namespace + "'", e);
    }
  }

  @Override
  public List<Row> queryRows(RowQuery query) {
    Objects.requireNonNull(query, "query");
    try (Connection c = dataSource.getConnection()) {
      return rows.query(c, query);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "query " + query, e);
    }
  }

  /** PostgreSQL's plan for {@code query}, one line per element (tests check index use). */
  List<String> explainRows(RowQuery query) {
    try (Connection c = dataSource.getConnection()) {
      return rows.explain(c, query, "EXPLAIN ");
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "explain " + query, e);
    }
  }

  @Override
  public void writeRows(List<RowWrite> writes) {
    List<RowWrite> checked = RowWrite.checked(writes);
    if (checked.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      Jdbc.inTransaction(
          c,
          tx -> {
            rows.apply(tx, checked);
            return checked.size(); // Work needs a value; nothing reads it
          });
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "write " + checked.size() + " row(s)", e);
    }
  }

  @Override
  public List<Row> claimRows(String namespace, String owner, Instant now, Duration ttl, int limit) {
    StoreArgs.claimRows(namespace, owner, now, ttl, limit);
    try (Connection c = dataSource.getConnection()) {
      return rows.claim(c, namespace, owner, now, ttl, limit);
    } catch (SQLException e) {
      throw Jdbc.failure("PostgresSessionStore", "claim rows of '" + namespace + "'", e);
    }
  }

  /** Configures a {@link PostgresSessionStore}; reusable, not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private @Nullable String schema;
    private boolean migrate = true;
    private Clock clock = Clock.systemUTC();
    private boolean changeFeed = true;
    private @Nullable DataSource listenWith;
    private Duration maxReconnectPause = Duration.ofSeconds(5);

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The schema holding the tables; by default the connection's search_path decides. Lower case
     * letters, digits and underscores.
     *
     * @param schema the schema's name
     * @return this builder
     */
    public Builder schema(String schema) {
      Objects.requireNonNull(schema, "schema");
      if (!IDENTIFIER.matcher(schema).matches()) {
        throw new IllegalArgumentException(
            "schema must be a lower-case SQL identifier "
                + "([a-z_][a-z0-9_]*, at most 63 characters) but was '"
                + schema
                + "'");
      }
      this.schema = schema;
      return this;
    }

    /**
     * Whether {@link #build()} applies missing schema files (creating the schema if needed), under
     * a transaction-scoped advisory lock. On by default; hosts whose Flyway owns the schema (with
     * {@code classpath:db/agentmesh/postgresql} among its locations) or whose database user may not
     * create tables turn it off.
     *
     * @param migrate whether to apply missing schema files at build time
     * @return this builder
     */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Whether appends notify other nodes ({@code pg_notify} in the append's transaction) and the
     * store offers a {@link PostgresSessionStore#subscribe change feed} (default: on). Give every
     * node on one schema the same setting: a node with the feed off sends no notifications, so the
     * others learn of its progress only by polling. Turn it off where {@code LISTEN} cannot work (a
     * pooler in transaction mode between the nodes and PostgreSQL) or when appends are so many that
     * notifying costs too much (PostgreSQL serializes the commits of notifying transactions).
     *
     * @param enabled whether to notify on append and offer the feed
     * @return this builder
     */
    public Builder changeFeed(boolean enabled) {
      this.changeFeed = enabled;
      return this;
    }

    /**
     * Where the listening connection comes from (default: the store's {@code DataSource}, of which
     * it holds one connection while anyone subscribes). Use a direct, unpooled source when the main
     * one goes through a pooler in transaction mode, which cannot keep a {@code LISTEN}. Its
     * connections must be the PostgreSQL JDBC driver's (or unwrap to them).
     *
     * @param dataSource the source of the one listening connection
     * @return this builder
     */
    public Builder listenWith(DataSource dataSource) {
      this.listenWith = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The longest pause between attempts to reopen a lost listening connection (default 5 s); the
     * pauses start at 100 ms and double up to this.
     *
     * @param pause the longest pause between reconnection attempts
     * @return this builder
     */
    public Builder maxReconnectPause(Duration pause) {
      Objects.requireNonNull(pause, "pause");
      if (pause.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException(
            "maxReconnectPause must be at least 100ms but was " + pause);
      }
      this.maxReconnectPause = pause;
      return this;
    }

    /**
     * The clock that stamps applied migrations; leases take their time from the caller.
     *
     * @param clock the clock for migration timestamps
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The store, after applying missing schema files when {@link #migrate(boolean)} is on.
     *
     * @return a store ready to use
     * @throws dev.agentmesh.sessions.spi.SessionStoreException if the database cannot be reached or
     *     migrated
     */
    public PostgresSessionStore build() {
      PostgresSessionStore store = new PostgresSessionStore(this);
      if (migrate) {
        store.migrate(clock);
      }
      return store;
    }
  }
}
