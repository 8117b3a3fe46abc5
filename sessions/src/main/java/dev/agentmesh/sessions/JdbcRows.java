package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Other modules' rows in the {@code agentmesh_rows} table, for the SQLite and PostgreSQL stores:
 * the same statements in both dialects but for the JSON parameter, the JSON column read, and
 * PostgreSQL's {@code FOR UPDATE SKIP LOCKED} in claims (SQLite serializes writers instead).
 */
final class JdbcRows {

  private final String table;
  private final String jsonParameter;
  private final String valueColumn;
  private final String lockClause;
  private final Jdbc.Instants instants;
  private final JsonMapper json;
  private final boolean keyArrays;

  /**
   * Rows in {@code table}; {@code jsonParameter} is the placeholder of a JSON value ({@code ?} or
   * {@code ?::jsonb}), {@code valueColumn} reads the value as text, {@code lockClause} ends the
   * claim's inner select; with {@code keyArrays} (PostgreSQL) deletes that follow each other are
   * one statement per namespace with a text array of keys.
   */
  JdbcRows(
      String table,
      String jsonParameter,
      String valueColumn,
      String lockClause,
      Jdbc.Instants instants,
      JsonMapper json,
      boolean keyArrays) {
    this.table = table;
    this.jsonParameter = jsonParameter;
    this.valueColumn = valueColumn;
    this.lockClause = lockClause;
    this.instants = instants;
    this.json = json;
    this.keyArrays = keyArrays;
  }

  /**
   * Applies {@code writes} in order on {@code c}, inside the caller's transaction; throws {@link
   * RowConflictException} at the first whose condition fails (the caller rolls back).
   */
  void apply(Connection c, List<RowWrite> writes) throws SQLException {
    for (int i = 0; i < writes.size(); i++) {
      RowWrite w = writes.get(i);
      if (keyArrays && plainDelete(w)) {
        int end = i + 1;
        while (end < writes.size() && plainDelete(writes.get(end))) {
          end++;
        }
        if (end - i > 1) {
          deleteAll(c, writes.subList(i, end));
          i = end - 1;
          continue;
        }
      }
      switch (w.kind()) {
        case INSERT -> {
          if (put(c, w.row(), " DO NOTHING") == 0) {
            throw new RowConflictException(
                w.namespace(),
                w.key(),
                RowConflictException.Reason.EXISTS,
                sessionOf(c, w.namespace(), w.key()));
          }
        }
        case UPSERT ->
            put(
                c,
                w.row(),
                " DO UPDATE SET session_id = excluded.session_id, "
                    + "value = excluded.value, due = excluded.due, claim_owner = NULL, claim_until = NULL");
        case DELETE -> delete(c, w);
        case DELETE_EXISTING -> {
          if (delete(c, w) == 0) {
            boolean exists = find(c, w.namespace(), w.key()) != null;
            throw new RowConflictException(
                w.namespace(),
                w.key(),
                exists
                    ? RowConflictException.Reason.NOT_CLAIMED
                    : RowConflictException.Reason.ABSENT,
                null);
          }
        }
        default -> throw new IllegalStateException("Unknown row write " + w.kind());
      }
    }
  }

  /**
   * Applies {@code writes}, no two of one {@code (namespace, key)} (so their order does not change
   * what they do), in a few statements: the unconditional deletes one per namespace ({@code key =
   * ANY(?)}), the upserts one batch, the rest one by one as {@link #apply} does. For PostgreSQL's
   * {@code appendAll}; throws {@link RowConflictException} as {@link #apply} does.
   */
  void applyAll(Connection c, List<RowWrite> writes) throws SQLException {
    List<RowWrite> deletes = new ArrayList<>();
    List<Row> upserts = new ArrayList<>();
    List<RowWrite> rest = new ArrayList<>();
    for (RowWrite w : writes) {
      if (plainDelete(w)) {
        deletes.add(w);
      } else if (w.kind() == RowWrite.Kind.UPSERT && w.row() != null) {
        upserts.add(w.row());
      } else {
        rest.add(w);
      }
    }
    if (!deletes.isEmpty()) {
      deleteAll(c, deletes);
    }
    if (!upserts.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(upsertSql())) {
        for (Row row : upserts) {
          ps.setString(1, row.namespace());
          ps.setString(2, row.key());
          ps.setString(3, row.sessionId());
          ps.setString(4, json.writeValueAsString(row.value()));
          setInstant(ps, 5, row.due());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    apply(c, rest);
  }

  private String upsertSql() {
    return "INSERT INTO "
        + table
        + " (namespace, key, session_id, value, due) VALUES (?, ?, ?, "
        + jsonParameter
        + ", ?) ON CONFLICT (namespace, key) DO UPDATE SET session_id = excluded.session_id, "
        + "value = excluded.value, due = excluded.due, claim_owner = NULL, claim_until = NULL";
  }

  private int put(Connection c, @Nullable Row row, String onConflict) throws SQLException {
    if (row == null) {
      throw new IllegalStateException("An insert or upsert carries its row");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (namespace, key, "
                + "session_id, value, due) VALUES (?, ?, ?, "
                + jsonParameter
                + ", ?) "
                + "ON CONFLICT (namespace, key)"
                + onConflict)) {
      ps.setString(1, row.namespace());
      ps.setString(2, row.key());
      ps.setString(3, row.sessionId());
      ps.setString(4, json.writeValueAsString(row.value()));
      setInstant(ps, 5, row.due());
      return ps.executeUpdate();
    }
  }

  private static boolean plainDelete(RowWrite w) {
    return w.kind() == RowWrite.Kind.DELETE && w.claimOwner() == null;
  }

  /**
   * Unconditional deletes that follow each other (they commute): one {@code DELETE ... WHERE
   * namespace = ? AND key = ANY(?)} per namespace instead of one statement per row.
   */
  private void deleteAll(Connection c, List<RowWrite> deletes) throws SQLException {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (RowWrite d : deletes) {
      keys.computeIfAbsent(d.namespace(), n -> new ArrayList<>()).add(d.key());
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + table + " WHERE namespace = ? AND key = ANY(?)")) {
      for (Map.Entry<String, List<String>> e : keys.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setArray(2, c.createArrayOf("text", e.getValue().toArray()));
        if (keys.size() == 1) {
          ps.executeUpdate();
        } else {
          ps.addBatch();
        }
      }
      if (keys.size() > 1) {
        ps.executeBatch();
      }
    }
  }

  private int delete(Connection c, RowWrite w) throws SQLException {
    String owner = w.claimOwner();
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + table
                + " WHERE namespace = ? AND key = ?"
                + (owner == null ? "" : " AND claim_owner = ?"))) {
      ps.setString(1, w.namespace());
      ps.setString(2, w.key());
      if (owner != null) {
        ps.setString(3, owner);
      }
      return ps.executeUpdate();
    }
  }

  private @Nullable String sessionOf(Connection c, String namespace, String key)
      throws SQLException {
    Row row = find(c, namespace, key);
    return row == null ? null : row.sessionId();
  }

  /** The row, or null. */
  @Nullable Row find(Connection c, String namespace, String key) throws SQLException {
    List<Row> found = select(c, "namespace = ? AND key = ?", List.of(namespace, key), "", 1);
    return found.isEmpty() ? null : found.get(0);
  }

  /** {@return the table's name, qualified as the store uses it} */
  String table() {
    return table;
  }

  /** {@return the column list of a row read: namespace, key, session_id, value as text, due} */
  String selected() {
    return "namespace, key, session_id, " + valueColumn + ", due";
  }

  /**
   * The first string after every key that starts with {@code prefix}, in code point order (the
   * prefix with its last code point increased): {@code key >= prefix AND key < upperBound(prefix)}
   * selects exactly the keys that start with the prefix, as an index range.
   */
  static String upperBound(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int last = prefix.codePointBefore(end);
      int start = end - Character.charCount(last);
      if (last < Character.MAX_CODE_POINT) {
        int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
        return prefix.substring(0, start) + new String(Character.toChars(next));
      }
      end = start;
    }
    // Only U+10FFFF: greater than every key of at most MAX_KEY characters.
    return new String(Character.toChars(Character.MAX_CODE_POINT)).repeat(Row.MAX_KEY + 1);
  }

  /** The row with the greatest key starting with {@code prefix}, or null. */
  @Nullable Row last(Connection c, String namespace, String prefix) throws SQLException {
    List<Row> found =
        select(
            c,
            "namespace = ? AND key >= ? AND key < ?",
            List.of(namespace, prefix, upperBound(prefix)),
            " ORDER BY key DESC",
            1);
    return found.isEmpty() ? null : found.get(0);
  }

  /** The rows {@code query} lists, in key order. */
  List<Row> query(Connection c, RowQuery q) throws SQLException {
    return read(prepareQuery(c, q, ""));
  }

  /**
   * The database's plan for {@code query} as it runs ({@code explain} is the dialect's {@code
   * EXPLAIN } or {@code EXPLAIN QUERY PLAN }): how tests check that an index serves it.
   */
  List<String> explain(Connection c, RowQuery q, String explain) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (PreparedStatement ps = prepareQuery(c, q, explain);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        plan.add(rs.getString(rs.getMetaData().getColumnCount()));
      }
    }
    return plan;
  }

  private PreparedStatement prepareQuery(Connection c, RowQuery q, String head)
      throws SQLException {
    StringBuilder where = new StringBuilder("namespace = ?");
    List<Object> args = new ArrayList<>(List.of(q.namespace()));
    Jdbc.filter(where, args, "session_id = ?", q.sessionId());
    String prefix = q.keyPrefix();
    if (prefix != null) {
      where.append(" AND key >= ?");
      args.add(prefix);
      String end = prefixEnd(prefix);
      if (end != null) {
        // The upper bound ends the index range scan where the prefix ends; without it a prefix
        // with fewer rows than the limit scanned every later key of the namespace.
        where.append(" AND key < ?");
        args.add(end);
      }
      where.append(" AND substr(key, 1, ?) = ?");
      args.add(prefix.codePointCount(0, prefix.length()));
      args.add(prefix);
    }
    Instant dueBefore = q.dueBefore();
    if (dueBefore != null) {
      where.append(" AND due < ?");
      args.add(dueBefore);
    }
    Jdbc.filter(where, args, "key > ?", q.afterKey());
    return prepare(c, head, where.toString(), args, " ORDER BY key", q.limit());
  }

  /**
   * The least key, in code point order (the byte order of UTF-8 that {@code COLLATE "C"} and
   * SQLite's {@code BINARY} use), above every key starting with {@code prefix}: the prefix with its
   * last code point incremented (after dropping trailing U+10FFFF, and skipping the surrogate
   * range), or null when no such key exists.
   */
  static @Nullable String prefixEnd(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int last = prefix.codePointBefore(end);
      int start = end - Character.charCount(last);
      if (last < Character.MAX_CODE_POINT) {
        int next = last == Character.MIN_SURROGATE - 1 ? Character.MAX_SURROGATE + 1 : last + 1;
        return new StringBuilder(prefix.substring(0, start)).appendCodePoint(next).toString();
      }
      end = start;
    }
    return null;
  }

  /**
   * Claims due rows whose claim is free or expired, for {@code owner} until {@code now + ttl};
   * earliest due first. Runs as one statement (PostgreSQL skips rows another claim has locked).
   */
  List<Row> claim(
      Connection c, String namespace, String owner, Instant now, Duration ttl, int limit)
      throws SQLException {
    String free = "(claim_owner IS NULL OR claim_until <= ?)";
    String sql =
        "UPDATE "
            + table
            + " SET claim_owner = ?, claim_until = ? WHERE namespace = ? "
            + "AND key IN (SELECT key FROM "
            + table
            + " WHERE namespace = ? AND due <= ? AND "
            + free
            + " ORDER BY due, key LIMIT ?"
            + lockClause
            + ") AND "
            + free
            + " RETURNING namespace, key, session_id, "
            + valueColumn
            + ", due";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, owner);
      instants.set(ps, 2, now.plus(ttl));
      ps.setString(3, namespace);
      ps.setString(4, namespace);
      instants.set(ps, 5, now);
      instants.set(ps, 6, now);
      ps.setInt(7, limit);
      instants.set(ps, 8, now);
      List<Row> claimed = read(ps);
      List<Row> ordered = new ArrayList<>(claimed);
      ordered.sort(StoreArgs.DUE_ORDER);
      return List.copyOf(ordered);
    }
  }

  private List<Row> select(Connection c, String where, List<Object> args, String order, int limit)
      throws SQLException {
    return read(prepare(c, "", where, args, order, limit));
  }

  /** The select, prefixed by {@code head} (empty, or {@code EXPLAIN }), with its arguments set. */
  private PreparedStatement prepare(
      Connection c, String head, String where, List<Object> args, String order, int limit)
      throws SQLException {
    PreparedStatement ps =
        c.prepareStatement(
            head
                + "SELECT namespace, key, session_id, "
                + valueColumn
                + ", due FROM "
                + table
                + " WHERE "
                + where
                + order
                + " LIMIT "
                + limit);
    try {
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i) instanceof Instant at) {
          instants.set(ps, i + 1, at);
        } else {
          ps.setObject(i + 1, args.get(i));
        }
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /** Reads the rows {@code ps} selects, and closes it. */
  private List<Row> read(PreparedStatement statement) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement ps = statement;
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs, 1));
      }
    }
    return out;
  }

  /** The row read from the {@link #selected()} columns starting at column {@code first}. */
  Row row(ResultSet rs, int first) throws SQLException {
    String namespace = rs.getString(first);
    String key = rs.getString(first + 1);
    Instant due = rs.getObject(first + 4) == null ? null : instants.get(rs, first + 4);
    return new Row(
        namespace,
        key,
        rs.getString(first + 2),
        value(namespace, key, rs.getString(first + 3)),
        due);
  }

  private tools.jackson.databind.JsonNode value(String namespace, String key, String text) {
    try {
      return json.readTree(text);
    } catch (JacksonException e) {
      throw new SessionStoreException(
          "The value of row '"
              + namespace
              + "' / '"
              + (key.length() > 80 ? key.substring(0, 80) + "..." : key)
              + "' in "
              + table
              + " is not valid JSON ("
              + e.getOriginalMessage()
              + "); repair or delete the row",
          null);
    }
  }

  private void setInstant(PreparedStatement ps, int index, @Nullable Instant at)
      throws SQLException {
    if (at == null) {
      ps.setNull(index, java.sql.Types.NULL);
    } else {
      instants.set(ps, index, at);
    }
  }
}
