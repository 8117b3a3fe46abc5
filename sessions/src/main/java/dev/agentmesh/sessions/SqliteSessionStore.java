package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded default {@link SessionStore}: one SQLite file in WAL mode, so sessions survive a
 * restart and the file opens in any SQLite tool (plain tables, JSON as text, instants as ISO-8601
 * text). Writes run in {@code BEGIN IMMEDIATE} transactions with {@code synchronous=FULL}: an
 * append has reached the disk when it returns.
 *
 * <pre>{@code
 * try (SqliteSessionStore store = SqliteSessionStore.create(Path.of("agentmesh.db"))) {
 *   store.append("s-1", 0, List.of(created), summary);
 * }
 * }</pre>
 *
 * <p>One store holds one connection and runs one operation at a time: good for a single process and
 * a few hundred appends a second. Several processes may open one file (SQLite serializes their
 * writes); for many nodes use {@link PostgresSessionStore}. Close the store when done.
 */
public final class SqliteSessionStore implements SessionStore, AutoCloseable {

  /** What the lease transaction returns for a session that does not exist (epochs are >= 0). */
  private static final long NO_SESSION = -2L;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String COLUMNS =
      "s.id, s.agent, s.status, s.runnable, s.trigger, "
          + "(SELECT json_group_array(p.participant) FROM agentmesh_session_participants p "
          + "WHERE p.session_id = s.id), s.parent_id, s.created_at, s.updated_at, s.version, "
          + "s.quarantine";

  private final Path file;
  private final Clock clock;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final JsonMapper json = JsonMapper.builder().build();

  /** Instants as fixed-width ISO text, so they sort and read back exactly. */
  private static final Jdbc.Instants INSTANTS =
      new Jdbc.Instants() {
        @Override
        public void set(PreparedStatement ps, int index, Instant at) throws SQLException {
          ps.setString(index, text(at));
        }

        @Override
        public Instant get(ResultSet rs, int column) throws SQLException {
          return instant(rs.getString(column));
        }
      };

  private SqliteSessionStore(Path file, Clock clock, Connection connection) {
    this.file = file;
    this.clock = clock;
    this.connection = connection;
  }

  /**
   * Opens (creating if needed) the database file and applies missing schema files. Same as {@code
   * builder(file).build()}.
   *
   * @param file the database file
   * @return a store ready to use; close it when done
   * @throws dev.agentmesh.sessions.spi.SessionStoreException if the file cannot be opened or
   *     migrated
   */
  public static SqliteSessionStore create(Path file) {
    return builder(file).build();
  }

  /**
   * A builder of a store on {@code file}, to choose the clock that stamps applied schema files.
   *
   * @param file the database file
   * @return a new builder
   */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /**
   * A builder with this store's file and clock, to open the same file again.
   *
   * @return a new builder with this store's settings
   */
  public Builder newBuilder() {
    return builder(file).clock(clock);
  }

  private static SqliteSessionStore open(Path file, Clock clock) {
    Connection c = null;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 10000");
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = FULL");
        s.execute("PRAGMA foreign_keys = ON");
      }
      SqliteSessionStore store = new SqliteSessionStore(file, clock, c);
      store.write(tx -> Migrations.apply(tx, "sqlite", clock.instant()));
      return store;
    } catch (SQLException e) {
      closeQuietly(c, e);
      throw Jdbc.failure("SqliteSessionStore", "open " + file.toAbsolutePath(), e);
    }
  }

  private static void closeQuietly(@Nullable Connection c, Exception cause) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * The database file.
   *
   * @return the path this store was opened on
   */
  public Path file() {
    return file;
  }

  /** Runs {@code work} in a {@code BEGIN IMMEDIATE} transaction, holding the store's lock. */
  private <T> T write(Jdbc.Work<T> work) throws SQLException {
    lock.lock();
    try (Statement s = connection.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run(connection);
        s.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private <T> T read(Jdbc.Work<T> work) throws SQLException {
    lock.lock();
    try {
      return work.run(connection);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long append(Append append) {
    Objects.requireNonNull(append, "append");
    String sessionId = append.sessionId();
    long expectedVersion = append.expectedVersion();
    try {
      Optional<RuntimeException> refused =
          write(
              c -> {
                RuntimeException refusal = check(c, append);
                if (refusal != null) {
                  return Optional.of(refusal);
                }
                writeSummary(c, expectedVersion, append.summary().withVersion(append.newVersion()));
                writeLease(c, append);
                insertEvents(c, sessionId, expectedVersion, append.events());
                rows.apply(c, append.rows());
                return Optional.empty();
              });
      if (refused.isPresent()) {
        throw refused.get();
      }
      return append.newVersion();
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "append to session '" + sessionId + "'", e);
    }
  }

  /** Null when the session is at the expected version and, if fenced, lease epoch; else why not. */
  private static @Nullable RuntimeException check(Connection c, Append append) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, lease_epoch, lease_owner FROM agentmesh_sessions WHERE id = ?")) {
      ps.setString(1, append.sessionId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return append.expectedVersion() == 0
              ? null
              : new VersionConflictException(append.sessionId(), append.expectedVersion(), 0);
        }
        long version = rs.getLong(1);
        long epoch = rs.getLong(2);
        Lease lease = append.lease();
        if (version == append.expectedVersion() && (lease == null || lease.epoch() == epoch)) {
          return null;
        }
        return Jdbc.refusal(append, version, epoch, rs.getString(3));
      }
    }
  }

  private static long version(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT version FROM agentmesh_sessions WHERE id = ?")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /**
   * Gives a new session's lease to its creator ({@link Append#leasedTo}) or releases the fencing
   * lease ({@link Append#releasingLease}), in the append's transaction; nothing otherwise.
   */
  private static void writeLease(Connection c, Append append) throws SQLException {
    Lease granted = append.grantedLease();
    if (granted == null && !append.releasesLease()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            granted != null
                ? "UPDATE agentmesh_sessions SET lease_owner = ?, lease_expires_at = ?,"
                    + " lease_epoch = 1 WHERE id = ?"
                : "UPDATE agentmesh_sessions SET lease_owner = NULL, lease_expires_at = NULL"
                    + " WHERE id = ?")) {
      if (granted != null) {
        ps.setString(1, granted.owner());
        ps.setString(2, text(granted.expiresAt()));
        ps.setString(3, append.sessionId());
      } else {
        ps.setString(1, append.sessionId());
      }
      ps.executeUpdate();
    }
  }

  private static void writeSummary(Connection c, long expected, SessionSummary s)
      throws SQLException {
    String sql =
        expected == 0
            ? "INSERT INTO agentmesh_sessions (agent, status, runnable, trigger, updated_at, version, "
                + "id, parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            : "UPDATE agentmesh_sessions SET agent = ?, status = ?, runnable = ?, trigger = ?, "
                + "updated_at = ?, version = ? WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, s.agent());
      ps.setString(2, s.status());
      ps.setInt(3, s.runnable() ? 1 : 0);
      ps.setString(4, s.origin());
      ps.setString(5, text(s.updatedAt()));
      ps.setLong(6, s.version());
      ps.setString(7, s.id());
      if (expected == 0) {
        ps.setString(8, s.forkedFrom());
        ps.setString(9, text(s.createdAt()));
      }
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM agentmesh_session_participants WHERE session_id = ?")) {
      ps.setString(1, s.id());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agentmesh_session_participants (session_id, participant) VALUES (?, ?)")) {
      for (String participant : s.participants()) {
        ps.setString(1, s.id());
        ps.setString(2, participant);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertEvents(Connection c, String sessionId, long expected, List<NewEvent> events)
      throws SQLException {
    Jdbc.insertEvents(
        c,
        "INSERT INTO agentmesh_events (session_id, version, type, type_version, payload, at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        sessionId,
        expected,
        events,
        json,
        INSTANTS);
  }

  @Override
  public List<StoredEvent> load(String sessionId, long afterVersion, int limit) {
    StoreArgs.load(sessionId, afterVersion, limit);
    try {
      return read(
          c ->
              Jdbc.loadEvents(
                  c,
                  "SELECT version, type, type_version, payload, at FROM agentmesh_events"
                      + " WHERE session_id = ? AND version > ? ORDER BY version LIMIT ?",
                  sessionId,
                  afterVersion,
                  limit,
                  json,
                  INSTANTS));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "load session '" + sessionId + "'", e);
    }
  }

  @Override
  public Optional<SessionSummary> find(String sessionId) {
    StoreArgs.sessionId(sessionId);
    try {
      List<SessionSummary> found =
          read(
              c ->
                  summaries(
                      c,
                      "SELECT " + COLUMNS + " FROM agentmesh_sessions s WHERE s.id = ?",
                      List.of(sessionId)));
      return found.stream().findFirst();
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "find session '" + sessionId + "'", e);
    }
  }

  @Override
  public SessionPage query(SessionQuery q) {
    Objects.requireNonNull(q, "query");
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM agentmesh_sessions s WHERE 1");
    List<Object> args = new ArrayList<>();
    Jdbc.filter(sql, args, "s.status = ?", q.status());
    Jdbc.filter(sql, args, "s.agent = ?", q.agent());
    Jdbc.filter(sql, args, "s.trigger = ?", q.origin());
    Jdbc.filter(
        sql,
        args,
        "EXISTS (SELECT 1 FROM agentmesh_session_participants p "
            + "WHERE p.session_id = s.id AND p.participant = ?)",
        q.participant());
    if (q.quarantined() != null) {
      sql.append(q.quarantined() ? " AND s.quarantine IS NOT NULL" : " AND s.quarantine IS NULL");
    }
    Jdbc.filter(
        sql, args, "s.created_at >= ?", q.createdFrom() == null ? null : text(q.createdFrom()));
    Jdbc.filter(
        sql, args, "s.created_at < ?", q.createdBefore() == null ? null : text(q.createdBefore()));
    SessionQuery.Position after = q.after();
    if (after != null) {
      sql.append(" AND (s.created_at > ? OR (s.created_at = ? AND s.id > ?))");
      args.add(text(after.createdAt()));
      args.add(text(after.createdAt()));
      args.add(after.id());
    }
    sql.append(" ORDER BY s.created_at, s.id LIMIT ").append(q.limit() + 1);
    try {
      return SessionPage.of(q, read(c -> summaries(c, sql.toString(), args)));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "query " + q, e);
    }
  }

  private List<SessionSummary> summaries(Connection c, String sql, List<Object> args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<SessionSummary> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new SessionSummary(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getInt(4) != 0,
                  rs.getString(5),
                  participants(rs.getString(6)),
                  rs.getString(7),
                  instant(rs.getString(8)),
                  instant(rs.getString(9)),
                  rs.getLong(10),
                  rs.getString(11)));
        }
      }
      return out;
    }
  }

  private Set<String> participants(String jsonArray) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode p : json.readTree(jsonArray)) {
      out.add(p.asString());
    }
    return out;
  }

  @Override
  public Optional<Lease> tryAcquireLease(
      String sessionId, String owner, Instant now, Duration ttl) {
    StoreArgs.lease(sessionId, owner, ttl);
    Objects.requireNonNull(now, "now");
    Instant expiresAt = now.plus(ttl);
    try {
      long epoch =
          write(
              c -> {
                Long taken =
                    Jdbc.takeLease(
                        c, "agentmesh_sessions", sessionId, owner, now, expiresAt, INSTANTS);
                if (taken != null) {
                  return taken;
                }
                return version(c, sessionId) == 0 ? NO_SESSION : -1L;
              });
      if (epoch == NO_SESSION) {
        throw new SessionNotFoundException(sessionId);
      }
      return epoch < 0
          ? Optional.empty()
          : Optional.of(new Lease(sessionId, owner, epoch, expiresAt));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "lease session '" + sessionId + "'", e);
    }
  }

  @Override
  public boolean releaseLease(String sessionId, String owner) {
    StoreArgs.sessionId(sessionId);
    StoreArgs.owner(owner);
    try {
      return write(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE agentmesh_sessions SET "
                        + "lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?")) {
              ps.setString(1, sessionId);
              ps.setString(2, owner);
              return ps.executeUpdate() == 1;
            }
          });
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "release the lease of '" + sessionId + "'", e);
    }
  }

  @Override
  public List<String> claim(String owner, Instant now, Duration ttl, int limit) {
    StoreArgs.claim(owner, now, ttl, limit);
    try {
      return write(
          c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT id FROM agentmesh_sessions "
                        + "WHERE runnable = 1 AND quarantine IS NULL "
                        + "AND (lease_owner IS NULL OR lease_expires_at <= ?) "
                        + "ORDER BY updated_at, id LIMIT ?")) {
              ps.setString(1, text(now));
              ps.setInt(2, limit);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  ids.add(rs.getString(1));
                }
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE agentmesh_sessions SET "
                        + "lease_owner = ?, lease_expires_at = ?, lease_epoch = lease_epoch + 1 WHERE id = ?")) {
              for (String id : ids) {
                ps.setString(1, owner);
                ps.setString(2, text(now.plus(ttl)));
                ps.setString(3, id);
                ps.addBatch();
              }
              ps.executeBatch();
            }
            return List.copyOf(ids);
          });
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "claim sessions for '" + owner + "'", e);
    }
  }

  @Override
  public boolean quarantine(String sessionId, String reason) {
    StoreArgs.quarantine(sessionId, reason);
    try {
      return write(
          c -> {
            boolean fresh;
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT quarantine IS NULL FROM agentmesh_sessions WHERE id = ?")) {
              ps.setString(1, sessionId);
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  return false;
                }
                fresh = rs.getInt(1) == 1;
              }
            }
            setQuarantine(c, sessionId, StoreArgs.reason(reason));
            return fresh;
          });
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "quarantine session '" + sessionId + "'", e);
    }
  }

  @Override
  public boolean releaseQuarantine(String sessionId) {
    StoreArgs.sessionId(sessionId);
    try {
      return write(c -> setQuarantine(c, sessionId, null));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "release the quarantine of '" + sessionId + "'", e);
    }
  }

  /** Sets or clears the mark; true when the row's mark changed from set (or to set). */
  private static boolean setQuarantine(Connection c, String sessionId, @Nullable String reason)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE agentmesh_sessions SET quarantine = ? "
                + "WHERE id = ?"
                + (reason == null ? " AND quarantine IS NOT NULL" : ""))) {
      ps.setString(1, reason);
      ps.setString(2, sessionId);
      return ps.executeUpdate() == 1;
    }
  }

  // ---- retention -----------------------------------------------------------------------------

  @Override
  public boolean delete(String sessionId) {
    StoreArgs.sessionId(sessionId);
    try {
      return write(c -> erase(c, sessionId, Set.of()));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "delete session '" + sessionId + "'", e);
    }
  }

  /**
   * Deletes every row of the session, and its rows in {@code agentmesh_rows} outside {@code
   * keepRows}; true if its summary row existed.
   */
  private static boolean erase(Connection c, String sessionId, Set<String> keepRows)
      throws SQLException {
    StringBuilder rows = new StringBuilder("DELETE FROM agentmesh_rows WHERE session_id = ?");
    if (!keepRows.isEmpty()) {
      rows.append(" AND namespace NOT IN (").append("?, ".repeat(keepRows.size() - 1)).append("?)");
    }
    try (PreparedStatement ps = c.prepareStatement(rows.toString())) {
      ps.setString(1, sessionId);
      int i = 2;
      for (String namespace : keepRows) {
        ps.setString(i++, namespace);
      }
      ps.executeUpdate();
    }
    for (String table : new String[] {"agentmesh_session_participants", "agentmesh_events"}) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE session_id = ?")) {
        ps.setString(1, sessionId);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM agentmesh_sessions WHERE id = ?")) {
      ps.setString(1, sessionId);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Selects and deletes in one {@code BEGIN IMMEDIATE} transaction, which holds the database's
   * write lock: no append (from this or another process) lands between the check and the delete.
   */
  @Override
  public List<SessionSummary> purge(PurgeRequest request) {
    Objects.requireNonNull(request, "request");
    try {
      return write(
          c -> {
            List<SessionSummary> chosen = purgeable(c, request);
            if (!request.dryRun()) {
              for (SessionSummary s : chosen) {
                erase(c, s.id(), request.keepRows());
              }
            }
            return chosen;
          });
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "purge " + request, e);
    }
  }

  private List<SessionSummary> purgeable(Connection c, PurgeRequest request) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + COLUMNS
                + " FROM agentmesh_sessions s "
                + "WHERE s.runnable = 0 AND s.quarantine IS NULL AND s.version > 0 AND s.updated_at < ? "
                + "AND (s.lease_owner IS NULL OR s.lease_expires_at <= ?) AND s.status IN (");
    List<Object> args =
        new ArrayList<>(List.of(text(request.finishedBefore()), text(request.now())));
    for (String status : request.statuses()) {
      sql.append(args.size() == 2 ? "?" : ", ?");
      args.add(status);
    }
    sql.append(')');
    Map<String, Long> only = request.only();
    if (only == null) {
      sql.append(" ORDER BY s.updated_at, s.id LIMIT ").append(request.limit());
      return summaries(c, sql.toString(), args);
    }
    sql.append(" AND s.id = ? AND s.version = ?");
    List<SessionSummary> chosen = new ArrayList<>();
    for (Map.Entry<String, Long> seen : only.entrySet()) {
      List<Object> one = new ArrayList<>(args);
      one.add(seen.getKey());
      one.add(seen.getValue());
      chosen.addAll(summaries(c, sql.toString(), one));
    }
    chosen.sort(
        Comparator.comparing(SessionSummary::updatedAt)
            .thenComparing(SessionSummary::id, StoreArgs::compareCodePoints));
    return List.copyOf(chosen.subList(0, Math.min(chosen.size(), request.limit())));
  }

  private static String text(Instant instant) {
    return TIME.format(instant);
  }

  private static Instant instant(String text) {
    return Instant.parse(text);
  }

  /**
   * Closes the connection; later calls fail with {@link
   * dev.agentmesh.sessions.spi.SessionStoreException}.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "close " + file, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "SqliteSessionStore{file=" + file + "}";
  }

  // ---- other modules' rows -------------------------------------------------------------------

  private final JdbcRows rows =
      new JdbcRows("agentmesh_rows", "?", "value", "", INSTANTS, json, false);

  /**
   * {@inheritDoc}
   *
   * <p>Here in one {@code BEGIN IMMEDIATE} transaction: the inserts of every item in one statement
   * ({@code INSERT ... SELECT ... FROM json_each(?) ON CONFLICT DO NOTHING RETURNING}), then the
   * sessions and events of the items whose keys were free.
   */
  @Override
  public List<CreateOutcome> createAll(CreateBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.items().isEmpty()) {
      return List.of();
    }
    try {
      return write(tx -> JdbcCreates.run(tx, batch, new Creates()));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "create " + batch, e);
    }
  }

  /** {@inheritDoc} Here an index lookup per prefix, under one lock. */
  @Override
  public Map<String, Row> lastRows(String namespace, Collection<String> keyPrefixes) {
    StoreArgs.lastRows(namespace, keyPrefixes);
    try {
      return read(
          c -> {
            Map<String, Row> last = new HashMap<>();
            for (String prefix : keyPrefixes) {
              Row row = rows.last(c, namespace, prefix);
              if (row != null) {
                last.put(prefix, row);
              }
            }
            return last;
          });
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "read the last rows of '" + namespace + "'", e);
    }
  }

  /** SQLite's statements of a batch create. */
  private final class Creates implements JdbcCreates.Statements {
    @Override
    public Set<JdbcCreates.RowKey> insertFree(Connection c, List<Row> batch) throws SQLException {
      tools.jackson.databind.node.ArrayNode all = json.createArrayNode();
      for (Row row : batch) {
        all.addArray()
            .add(row.namespace())
            .add(row.key())
            .add(row.sessionId())
            .add(json.writeValueAsString(row.value()))
            .add(row.due() == null ? null : text(row.due()));
      }
      String sql =
          "INSERT INTO agentmesh_rows (namespace, key, session_id, value, due) "
              + "SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4 "
              + "FROM json_each(?) AS j WHERE true ORDER BY j.key "
              + "ON CONFLICT (namespace, key) DO NOTHING RETURNING namespace, key";
      Set<JdbcCreates.RowKey> inserted = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, json.writeValueAsString(all));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            inserted.add(new JdbcCreates.RowKey(rs.getString(1), rs.getString(2)));
          }
        }
      }
      return inserted;
    }

    @Override
    public Map<JdbcCreates.RowKey, @Nullable String> holders(
        Connection c, Collection<JdbcCreates.RowKey> keys) throws SQLException {
      Map<JdbcCreates.RowKey, @Nullable String> out = new HashMap<>();
      for (JdbcCreates.RowKey key : keys) {
        Row row = rows.find(c, key.namespace(), key.key());
        if (row != null) {
          out.put(key, row.sessionId());
        }
      }
      return out;
    }

    @Override
    public void deleteRows(Connection c, Collection<JdbcCreates.RowKey> keys) throws SQLException {
      List<RowWrite> deletes = new ArrayList<>();
      for (JdbcCreates.RowKey key : keys) {
        deletes.add(RowWrite.delete(key.namespace(), key.key()));
      }
      rows.apply(c, deletes);
    }

    @Override
    public void createSessions(Connection c, List<Append> items) throws SQLException {
      for (Append item : items) {
        if (version(c, item.sessionId()) != 0) {
          throw new VersionConflictException(item.sessionId(), 0, version(c, item.sessionId()));
        }
        writeSummary(c, 0, item.summary().withVersion(item.newVersion()));
        insertEvents(c, item.sessionId(), 0, item.events());
      }
    }
  }

  @Override
  public Optional<Row> findRow(String namespace, String key) {
    StoreArgs.row(namespace, key);
    try {
      return read(c -> Optional.ofNullable(rows.find(c, namespace, key)));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "find row '" + namespace + "'", e);
    }
  }

  @Override
  public List<Row> queryRows(RowQuery query) {
    Objects.requireNonNull(query, "query");
    try {
      return read(c -> rows.query(c, query));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "query " + query, e);
    }
  }

  /** SQLite's query plan for {@code query}, one step per element (tests check index use). */
  List<String> explainRows(RowQuery query) {
    try {
      return read(c -> rows.explain(c, query, "EXPLAIN QUERY PLAN "));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "explain " + query, e);
    }
  }

  @Override
  public void writeRows(List<RowWrite> writes) {
    List<RowWrite> checked = RowWrite.checked(writes);
    if (checked.isEmpty()) {
      return;
    }
    try {
      write(
          c -> {
            rows.apply(c, checked);
            return checked.size(); // Work needs a value; nothing reads it
          });
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "write " + checked.size() + " row(s)", e);
    }
  }

  @Override
  public List<Row> claimRows(String namespace, String owner, Instant now, Duration ttl, int limit) {
    StoreArgs.claimRows(namespace, owner, now, ttl, limit);
    try {
      return write(c -> rows.claim(c, namespace, owner, now, ttl, limit));
    } catch (SQLException e) {
      throw Jdbc.failure("SqliteSessionStore", "claim rows of '" + namespace + "'", e);
    }
  }

  /** Configures a {@link SqliteSessionStore}; reusable, not thread-safe. */
  public static final class Builder {
    private final Path file;
    private Clock clock = Clock.systemUTC();

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * The clock that stamps applied schema files (default: the system clock in UTC).
     *
     * @param clock the clock for migration timestamps
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Opens (creating if needed) the file and applies missing schema files.
     *
     * @return a store ready to use; close it when done
     * @throws dev.agentmesh.sessions.spi.SessionStoreException if the file cannot be opened or
     *     migrated
     */
    public SqliteSessionStore build() {
      return open(file, clock);
    }
  }
}
