package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.CreateBatch;
import dev.agentmesh.sessions.spi.CreateOutcome;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@link dev.agentmesh.sessions.spi.SessionStore#createAll} for the SQLite and PostgreSQL stores,
 * inside the caller's transaction: every item's inserts in one statement (keys in code point order,
 * so two nodes inserting overlapping batches take the keys in the same order and never deadlock),
 * the inserted rows of items that lost a key removed again, then the sessions and events of the
 * items whose keys were all free. The dialects supply the statements.
 */
final class JdbcCreates {

  /** A row's identity. */
  record RowKey(String namespace, String key) {
    static RowKey of(Row row) {
      return new RowKey(row.namespace(), row.key());
    }
  }

  /** The statements of one database. */
  interface Statements {
    /** Inserts the rows whose keys are free, in the order given; returns the keys it inserted. */
    Set<RowKey> insertFree(Connection c, List<Row> rows) throws SQLException;

    /** The session id of each existing row among {@code keys} (absent: no row; null: none). */
    Map<RowKey, @Nullable String> holders(Connection c, Collection<RowKey> keys)
        throws SQLException;

    /** Deletes the rows with these keys, if they exist. */
    void deleteRows(Connection c, Collection<RowKey> keys) throws SQLException;

    /** Inserts the summaries and events of new sessions; throws if a session exists. */
    void createSessions(Connection c, List<Append> items) throws SQLException;
  }

  private static final Comparator<Row> KEY_ORDER =
      Comparator.comparing(Row::namespace, RowQuery::compareKeys)
          .thenComparing(Row::key, RowQuery::compareKeys);

  private JdbcCreates() {}

  static List<CreateOutcome> run(Connection tx, CreateBatch batch, Statements st)
      throws SQLException {
    List<Row> inserts = new ArrayList<>();
    for (Append item : batch.items()) {
      inserts.addAll(CreateBatch.inserts(item));
    }
    inserts.sort(KEY_ORDER);
    Set<RowKey> inserted = inserts.isEmpty() ? Set.of() : st.insertFree(tx, inserts);
    List<Append> survivors = new ArrayList<>();
    Map<String, RowKey> takenOf = new HashMap<>();
    List<RowKey> undo = new ArrayList<>();
    List<RowKey> deletes = new ArrayList<>();
    for (Append item : batch.items()) {
      RowKey taken = null;
      List<RowKey> mine = new ArrayList<>();
      for (Row row : CreateBatch.inserts(item)) {
        RowKey key = RowKey.of(row);
        if (inserted.contains(key)) {
          mine.add(key);
        } else if (taken == null) {
          taken = key;
        }
      }
      if (taken != null) {
        takenOf.put(item.sessionId(), taken);
        undo.addAll(mine);
        continue;
      }
      survivors.add(item);
      for (RowWrite w : item.rows()) {
        if (w.kind() == RowWrite.Kind.DELETE) {
          deletes.add(new RowKey(w.namespace(), w.key()));
        }
      }
    }
    if (!undo.isEmpty()) {
      st.deleteRows(tx, undo);
    }
    if (!deletes.isEmpty()) {
      st.deleteRows(tx, deletes);
    }
    if (!survivors.isEmpty()) {
      st.createSessions(tx, survivors);
    }
    Map<RowKey, @Nullable String> holders =
        takenOf.isEmpty() ? Map.of() : st.holders(tx, takenOf.values());
    List<CreateOutcome> outcomes = new ArrayList<>(batch.items().size());
    for (Append item : batch.items()) {
      RowKey taken = takenOf.get(item.sessionId());
      outcomes.add(
          taken == null
              ? CreateOutcome.created(item.sessionId())
              : CreateOutcome.skipped(
                  item.sessionId(), taken.namespace(), taken.key(), holders.get(taken)));
    }
    return outcomes;
  }
}
