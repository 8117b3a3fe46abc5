package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link PostgresSessionStore#appendAll} and {@link PostgresSessionStore#loadAll} set-based: many
 * sessions' appends in one transaction of a few statements (the summaries' conditional updates as
 * one batch, the events as one batch, the row writes grouped, one {@code pg_notify} statement), and
 * many sessions' logs in one query.
 */
final class PostgresBatches {

  /** SQL states after which the batch is tried again one append at a time. */
  private static final Set<String> RETRY_SINGLY =
      Set.of(
          "23505", // an event version taken: a concurrent writer; the single path reports it
          "40P01", // deadlock with a concurrent writer
          "40001"); // serialization failure

  private final String sessions;
  private final String events;
  private final JdbcRows rows;
  private final JsonMapper json;
  private final Jdbc.Instants instants;
  private final @Nullable String channel;

  PostgresBatches(
      String sessions,
      String events,
      JdbcRows rows,
      JsonMapper json,
      Jdbc.Instants instants,
      @Nullable String channel) {
    this.sessions = sessions;
    this.events = events;
    this.rows = rows;
    this.json = json;
    this.instants = instants;
    this.channel = channel;
  }

  /**
   * Whether {@code appends} can go in one transaction: none creates its session or releases its
   * lease (a driver's last append, {@link Append#releasesLease()}), sessions and rows are distinct.
   * (Others go one by one.)
   */
  static boolean batchable(List<Append> appends) {
    Set<String> ids = new HashSet<>();
    Set<List<String>> keys = new HashSet<>();
    for (Append a : appends) {
      if (a.expectedVersion() == 0 || a.releasesLease() || !ids.add(a.sessionId())) {
        return false;
      }
      for (RowWrite w : a.rows()) {
        if (!keys.add(List.of(w.namespace(), w.key()))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Stores every append in one transaction on {@code c}, or nothing: false (rolled back) when one
   * of them is refused (a version, lease or row condition) or a concurrent writer got in the way;
   * then the caller appends them one by one, which tells each refusal apart.
   */
  boolean appendAll(Connection c, List<Append> appends) throws SQLException {
    List<Append> sorted = new ArrayList<>(appends);
    sorted.sort(Comparator.comparing(Append::sessionId)); // one lock order for every batch
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      if (!updateSummaries(c, sorted)) {
        c.rollback();
        return false;
      }
      insertEvents(c, sorted);
      List<RowWrite> writes = new ArrayList<>();
      sorted.forEach(a -> writes.addAll(a.rows()));
      rows.applyAll(c, writes);
      if (channel != null) {
        Jdbc.notifyChanges(c, channel, sorted);
      }
      c.commit();
      return true;
    } catch (RowConflictException refused) {
      c.rollback();
      return false;
    } catch (SQLException e) {
      Jdbc.rollbackQuietly(c, e);
      if (RETRY_SINGLY.contains(e.getSQLState())) {
        return false;
      }
      throw e;
    } catch (RuntimeException | Error e) {
      Jdbc.rollbackQuietly(c, e);
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** The summaries' version-checked updates, one batch; false if any did not match. */
  private boolean updateSummaries(Connection c, List<Append> appends) throws SQLException {
    String plain =
        "UPDATE "
            + sessions
            + " SET agent = ?, status = ?, runnable = ?, trigger = ?, participants = ?,"
            + " updated_at = ?, version = ? WHERE id = ? AND version = ?";
    try (PreparedStatement unfenced = c.prepareStatement(plain);
        PreparedStatement fenced = c.prepareStatement(plain + " AND lease_epoch = ?")) {
      boolean anyFenced = false;
      boolean anyUnfenced = false;
      for (Append a : appends) {
        Lease lease = a.lease();
        PreparedStatement ps = lease == null ? unfenced : fenced;
        SessionSummary s = a.summary().withVersion(a.newVersion());
        ps.setString(1, s.agent());
        ps.setString(2, s.status());
        ps.setBoolean(3, s.runnable());
        ps.setString(4, s.origin());
        ps.setArray(5, c.createArrayOf("text", s.participants().toArray()));
        instants.set(ps, 6, s.updatedAt());
        ps.setLong(7, s.version());
        ps.setString(8, s.id());
        ps.setLong(9, a.expectedVersion());
        if (lease != null) {
          ps.setLong(10, lease.epoch());
          anyFenced = true;
        } else {
          anyUnfenced = true;
        }
        ps.addBatch();
      }
      return (!anyUnfenced || allOne(unfenced.executeBatch()))
          && (!anyFenced || allOne(fenced.executeBatch()));
    }
  }

  private static boolean allOne(int[] counts) {
    for (int n : counts) {
      if (n != 1) {
        return false;
      }
    }
    return true;
  }

  private void insertEvents(Connection c, List<Append> appends) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + events
                + " (session_id, version, type, type_version, payload, at)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?)")) {
      for (Append a : appends) {
        Jdbc.addEvents(ps, a.sessionId(), a.expectedVersion(), a.events(), json, instants);
      }
      ps.executeBatch();
    }
  }

  /** Every session's events after its version, in one query. */
  Map<String, List<StoredEvent>> loadAll(Connection c, Map<String, Long> afterVersions)
      throws SQLException {
    Map<String, List<StoredEvent>> logs = new LinkedHashMap<>();
    String[] ids = new String[afterVersions.size()];
    Long[] after = new Long[ids.length];
    int i = 0;
    for (Map.Entry<String, Long> e : afterVersions.entrySet()) {
      logs.put(e.getKey(), new ArrayList<>());
      ids[i] = e.getKey();
      after[i++] = e.getValue();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT e.session_id, e.version, e.type, e.type_version, e.payload::text, e.at FROM "
                + events
                + " e JOIN unnest(?::text[], ?::bigint[]) AS u(id, after) ON e.session_id = u.id"
                + " AND e.version > u.after ORDER BY e.session_id, e.version")) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("bigint", after));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          long version = rs.getLong(2);
          String type = rs.getString(3);
          int typeVersion = rs.getInt(4);
          java.util.Objects.requireNonNull(logs.get(id), id)
              .add(
                  new StoredEvent(
                      id,
                      version,
                      type,
                      typeVersion,
                      Jdbc.payload(json, rs.getString(5), id, version, type, typeVersion),
                      instants.get(rs, 6)));
        }
      }
    }
    logs.replaceAll((id, list) -> List.copyOf(list));
    return logs;
  }
}
