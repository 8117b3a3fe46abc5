package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The set-based statements of {@link PostgresSessionStore#createAll}: each step is one statement
 * over arrays ({@code unnest}), whatever the batch's size: the inserts ({@code INSERT ... SELECT
 * ... FROM unnest(...) ON CONFLICT DO NOTHING RETURNING}), the summaries, the events, the
 * notifications. JSON columns travel as one JSON array per statement ({@code jsonb_array_elements},
 * zipped with the other columns by {@code ROWS FROM}): one generator writes a batch's values, with
 * no array-literal escaping on either side.
 */
final class PostgresCreates implements JdbcCreates.Statements {

  private final String sessions;
  private final String events;
  private final JdbcRows rows;
  private final JsonMapper json;
  private final @Nullable String channel;

  /** Statements on these tables; {@code channel} null: no change notifications. */
  PostgresCreates(
      String sessions, String events, JdbcRows rows, JsonMapper json, @Nullable String channel) {
    this.sessions = sessions;
    this.events = events;
    this.rows = rows;
    this.json = json;
    this.channel = channel;
  }

  @Override
  public Set<JdbcCreates.RowKey> insertFree(Connection c, List<Row> batch) throws SQLException {
    int n = batch.size();
    String[] namespaces = new String[n];
    String[] keys = new String[n];
    @Nullable String[] sessionIds = new String[n];
    List<JsonNode> values = new ArrayList<>(n);
    @Nullable String[] dues = new String[n];
    InstantTexts times = new InstantTexts();
    for (int i = 0; i < n; i++) {
      Row row = batch.get(i);
      namespaces[i] = row.namespace();
      keys[i] = row.key();
      sessionIds[i] = row.sessionId();
      values.add(row.value());
      dues[i] = row.due() == null ? null : times.of(row.due());
    }
    String sql =
        "INSERT INTO "
            + rows.table()
            + " (namespace, key, session_id, value, due) "
            + "SELECT n, k, s, v, d::timestamptz FROM ROWS FROM (unnest(?::text[]), "
            + "unnest(?::text[]), unnest(?::text[]), jsonb_array_elements(?::jsonb), "
            + "unnest(?::text[])) WITH ORDINALITY AS t(n, k, s, v, d, o) ORDER BY o "
            + "ON CONFLICT (namespace, key) DO NOTHING RETURNING namespace, key";
    Set<JdbcCreates.RowKey> inserted = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", namespaces));
      ps.setArray(2, c.createArrayOf("text", keys));
      ps.setArray(3, c.createArrayOf("text", sessionIds));
      ps.setString(4, json.writeValueAsString(values)); // one JSON array: one generator
      ps.setArray(5, c.createArrayOf("text", dues));
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
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r.namespace, r.key, r.session_id FROM "
                + rows.table()
                + " r JOIN unnest(?::text[], ?::text[]) AS t(n, k) "
                + "ON r.namespace = t.n AND r.key = t.k")) {
      setKeys(c, ps, keys);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(new JdbcCreates.RowKey(rs.getString(1), rs.getString(2)), rs.getString(3));
        }
      }
    }
    return out;
  }

  @Override
  public void deleteRows(Connection c, Collection<JdbcCreates.RowKey> keys) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + rows.table()
                + " r USING unnest(?::text[], ?::text[]) AS t(n, k) "
                + "WHERE r.namespace = t.n AND r.key = t.k")) {
      setKeys(c, ps, keys);
      ps.executeUpdate();
    }
  }

  private static void setKeys(
      Connection c, PreparedStatement ps, Collection<JdbcCreates.RowKey> keys) throws SQLException {
    ps.setArray(
        1, c.createArrayOf("text", keys.stream().map(JdbcCreates.RowKey::namespace).toArray()));
    ps.setArray(2, c.createArrayOf("text", keys.stream().map(JdbcCreates.RowKey::key).toArray()));
  }

  @Override
  public void createSessions(Connection c, List<Append> items) throws SQLException {
    insertSummaries(c, items);
    insertEvents(c, items);
    if (channel != null) {
      Jdbc.notifyChanges(c, channel, items); // one per new session, like an append's
    }
  }

  private void insertSummaries(Connection c, List<Append> items) throws SQLException {
    int n = items.size();
    String[][] text = new String[8][n];
    @Nullable String[] parents = new String[n]; // the parent_id column: null when not forked
    Boolean[] runnable = new Boolean[n];
    Long[] versions = new Long[n];
    List<List<String>> participants = new ArrayList<>(n);
    InstantTexts times = new InstantTexts();
    for (int i = 0; i < n; i++) {
      Append item = items.get(i);
      SessionSummary s = item.summary().withVersion(item.newVersion());
      text[0][i] = s.id();
      text[1][i] = s.agent();
      text[2][i] = s.status();
      text[3][i] = s.origin();
      participants.add(List.copyOf(s.participants()));
      parents[i] = s.forkedFrom();
      text[6][i] = times.of(s.createdAt());
      text[7][i] = times.of(s.updatedAt());
      runnable[i] = s.runnable();
      versions[i] = s.version();
    }
    // An empty participant list (every trigger-started session's) skips the per-row sub-select.
    String sql =
        "INSERT INTO "
            + sessions
            + " (id, agent, status, runnable, trigger, participants, parent_id, created_at, "
            + "updated_at, version) SELECT id, agent, status, runnable, trg, "
            + "CASE WHEN p = '[]'::jsonb THEN '{}'::text[] "
            + "ELSE ARRAY(SELECT jsonb_array_elements_text(p)) END, parent, c::timestamptz, "
            + "u::timestamptz, v FROM ROWS FROM (unnest(?::text[]), unnest(?::text[]), "
            + "unnest(?::text[]), unnest(?::boolean[]), unnest(?::text[]), "
            + "jsonb_array_elements(?::jsonb), unnest(?::text[]), unnest(?::text[]), "
            + "unnest(?::text[]), unnest(?::bigint[])) "
            + "AS t(id, agent, status, runnable, trg, p, parent, c, u, v) "
            + "ON CONFLICT (id) DO NOTHING RETURNING id";
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", text[0]));
      ps.setArray(2, c.createArrayOf("text", text[1]));
      ps.setArray(3, c.createArrayOf("text", text[2]));
      ps.setArray(4, c.createArrayOf("boolean", runnable));
      ps.setArray(5, c.createArrayOf("text", text[3]));
      ps.setString(6, json.writeValueAsString(participants)); // one JSON array of arrays
      ps.setArray(7, c.createArrayOf("text", parents));
      ps.setArray(8, c.createArrayOf("text", text[6]));
      ps.setArray(9, c.createArrayOf("text", text[7]));
      ps.setArray(10, c.createArrayOf("bigint", versions));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1));
        }
      }
    }
    if (inserted.size() < n) {
      for (Append item : items) {
        if (!inserted.contains(item.sessionId())) {
          throw new VersionConflictException(item.sessionId(), 0, -1);
        }
      }
    }
  }

  private void insertEvents(Connection c, List<Append> items) throws SQLException {
    List<String> ids = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<Integer> typeVersions = new ArrayList<>();
    List<JsonNode> payloads = new ArrayList<>();
    List<String> ats = new ArrayList<>();
    InstantTexts times = new InstantTexts();
    for (Append item : items) {
      long version = 0;
      for (NewEvent e : item.events()) {
        ids.add(item.sessionId());
        versions.add(++version);
        types.add(e.type());
        typeVersions.add(e.typeVersion());
        payloads.add(e.payload());
        ats.add(times.of(e.at()));
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + events
                + " (session_id, version, type, type_version, payload, at) "
                + "SELECT s, v, t, tv, p, a::timestamptz FROM ROWS FROM (unnest(?::text[]), "
                + "unnest(?::bigint[]), unnest(?::text[]), unnest(?::integer[]), "
                + "jsonb_array_elements(?::jsonb), unnest(?::text[])) "
                + "AS x(s, v, t, tv, p, a)")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      ps.setArray(2, c.createArrayOf("bigint", versions.toArray()));
      ps.setArray(3, c.createArrayOf("text", types.toArray()));
      ps.setArray(4, c.createArrayOf("integer", typeVersions.toArray()));
      ps.setString(5, json.writeValueAsString(payloads)); // one JSON array: one generator
      ps.setArray(6, c.createArrayOf("text", ats.toArray()));
      int stored = ps.executeUpdate();
      if (stored != ids.size()) {
        throw new SessionStoreException(
            "Stored " + stored + " of " + ids.size() + " events of a batch", null);
      }
    }
  }

  /** Which of {@code keys} have a row in {@code namespace}: one statement, keys only. */
  Set<String> existingKeys(Connection c, String namespace, Collection<String> keys)
      throws SQLException {
    Set<String> found = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT key FROM " + rows.table() + " WHERE namespace = ? AND key = ANY(?::text[])")) {
      ps.setString(1, namespace);
      ps.setArray(2, c.createArrayOf("text", keys.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }

  /** The last row per prefix, one index lookup each, in one statement. */
  Map<String, Row> lastRows(Connection c, String namespace, Collection<String> prefixes)
      throws SQLException {
    List<String> from = new ArrayList<>(prefixes);
    String[] upper = new String[from.size()];
    for (int i = 0; i < upper.length; i++) {
      upper[i] = JdbcRows.upperBound(from.get(i));
    }
    String sql =
        "SELECT p.prefix, r.* FROM unnest(?::text[], ?::text[]) AS p(prefix, upper) "
            + "CROSS JOIN LATERAL (SELECT "
            + rows.selected()
            + " FROM "
            + rows.table()
            + " WHERE namespace = ? AND key >= p.prefix AND key < p.upper "
            + "ORDER BY key DESC LIMIT 1) r";
    Map<String, Row> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", from.toArray()));
      ps.setArray(2, c.createArrayOf("text", upper));
      ps.setString(3, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rows.row(rs, 2));
        }
      }
    }
    return out;
  }

  /**
   * {@link #text} of instants that mostly repeat (a batch's rows share their creation instant): the
   * last one is kept. Not thread-safe: one per statement.
   */
  private static final class InstantTexts {
    private @Nullable Instant last;
    private String text = "";

    String of(Instant at) {
      if (!at.equals(last)) {
        text = text(at);
        last = at;
      }
      return text;
    }
  }

  /** ISO-8601 at microsecond precision, as the stores keep instants. */
  static String text(Instant at) {
    return PostgresAppends.text(at);
  }
}
