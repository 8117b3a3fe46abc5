package dev.agentmesh.testsupport;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} that counts what its connections send to the database: the statements
 * executed (prepared or plain, a batch counting once), the transactions that wrote and committed,
 * as the database sees them (a commit after a write statement, or a write statement run in
 * autocommit mode, such as a lease's {@code UPDATE}), and the round trips: every execution, and
 * every commit or rollback of a transaction a statement opened (the PostgreSQL driver sends its
 * {@code BEGIN} with the transaction's first statement, and a commit or rollback with nothing to
 * end not at all). For tests that count a store's round trips and commits instead of timing them.
 *
 * <pre>{@code
 * CountingDataSource counted = CountingDataSource.of(PostgresTestDatabase.get().dataSource());
 * SessionStore store = PostgresSessionStore.builder(counted).schema(schema).build();
 * counted.reset();
 * ...
 * assertThat(counted.writeCommits()).isEqualTo(2);
 * assertThat(counted.roundTrips()).as("%s", counted.trips()).isEqualTo(6);
 * }</pre>
 *
 * <p>Counters are thread-safe; a connection it hands out is used by one thread at a time, as JDBC
 * connections are. A pool's own traffic (its validation queries) goes around the wrapper and is not
 * counted.
 */
public final class CountingDataSource {

  private static final Pattern WRITE_IN_WITH =
      Pattern.compile("\\((INSERT INTO|UPDATE|DELETE FROM) ");

  private final AtomicInteger statements = new AtomicInteger();
  private final AtomicInteger writeCommits = new AtomicInteger();
  private final AtomicInteger roundTrips = new AtomicInteger();
  private final List<String> trips = new CopyOnWriteArrayList<>();
  private final DataSource dataSource;
  private volatile @Nullable Thread only;

  private CountingDataSource(DataSource target) {
    this.dataSource =
        proxy(
            DataSource.class,
            (p, method, args) -> {
              Object result = invoke(target, method, args);
              return method.getName().equals("getConnection")
                  ? connection((Connection) result)
                  : result;
            });
  }

  /**
   * Counts what goes through {@code target}.
   *
   * @param target the data source whose connections are counted
   * @return the counting wrapper; {@link #dataSource()} is what to hand to the code under test
   */
  public static CountingDataSource of(DataSource target) {
    return new CountingDataSource(target);
  }

  /** {@return the data source to hand to the code under test} */
  public DataSource dataSource() {
    return dataSource;
  }

  /** {@return the statements executed since the last reset (a batch counts once)} */
  public int statements() {
    return statements.get();
  }

  /** {@return the transactions that wrote and committed since the last reset} */
  public int writeCommits() {
    return writeCommits.get();
  }

  /**
   * {@return the round trips to the database since the last reset: statements executed, and commits
   * and rollbacks of open transactions}
   */
  public int roundTrips() {
    return roundTrips.get();
  }

  /**
   * {@return what each round trip since the last reset was, in order: the statement's SQL (its
   * first 80 characters, {@code batch of n:} before a batch's), {@code COMMIT} or {@code ROLLBACK}}
   */
  public List<String> trips() {
    return List.copyOf(trips);
  }

  /**
   * Counts from now on only what {@code thread} sends (say, the test's thread, on which a turn
   * runs), not what other threads send meanwhile (a change feed's listener); null counts every
   * thread again.
   *
   * @param thread the thread whose traffic is counted, or null for all
   */
  public void countOnly(@Nullable Thread thread) {
    only = thread;
  }

  /** Sets every counter to zero and forgets the trips. */
  public void reset() {
    statements.set(0);
    writeCommits.set(0);
    roundTrips.set(0);
    trips.clear();
  }

  /** What one connection has sent in its current transaction. */
  private static final class Tx {
    boolean open;
    boolean wrote;
  }

  private Connection connection(Connection target) {
    Tx tx = new Tx();
    return proxy(
        Connection.class,
        (p, method, args) -> {
          String name = method.getName();
          boolean ends =
              name.equals("commit")
                  || name.equals("rollback") && (args == null || args.length == 0)
                  || name.equals("setAutoCommit") && (Boolean) args[0] && !target.getAutoCommit();
          if (ends && tx.open && counted()) {
            trip(name.equals("rollback") ? "ROLLBACK" : "COMMIT");
            if (!name.equals("rollback") && tx.wrote) {
              writeCommits.incrementAndGet();
            }
          }
          if (ends) {
            tx.open = false;
            tx.wrote = false;
          }
          Object result = invoke(target, method, args);
          if (name.equals("prepareStatement") || name.equals("prepareCall")) {
            return statement((Statement) result, target, (String) args[0], tx);
          }
          if (name.equals("createStatement")) {
            return statement((Statement) result, target, null, tx);
          }
          return result;
        });
  }

  private Statement statement(
      Statement target, Connection connection, @Nullable String prepared, Tx tx) {
    int[] batched = {0};
    Class<? extends Statement> type =
        target instanceof java.sql.CallableStatement
            ? java.sql.CallableStatement.class
            : target instanceof java.sql.PreparedStatement
                ? java.sql.PreparedStatement.class
                : Statement.class;
    return proxy(
        type,
        (p, method, args) -> {
          String name = method.getName();
          if (name.equals("addBatch")) {
            batched[0]++;
          } else if (name.equals("clearBatch")) {
            batched[0] = 0;
          } else if (name.startsWith("execute")) {
            boolean batch = name.startsWith("executeBatch") || name.startsWith("executeLargeBatch");
            String sql = prepared != null ? prepared : args != null ? (String) args[0] : "?";
            if (counted()) {
              statements.incrementAndGet();
              trip((batch ? "batch of " + batched[0] + ": " : "") + sql);
              if (isWrite(sql)) {
                if (connection.getAutoCommit()) {
                  writeCommits.incrementAndGet();
                } else {
                  tx.wrote = true;
                }
              }
            }
            if (batch) {
              batched[0] = 0;
            }
            if (!connection.getAutoCommit()) {
              tx.open = true;
            }
          }
          return invoke(target, method, args);
        });
  }

  private boolean counted() {
    Thread thread = only;
    return thread == null || thread == Thread.currentThread();
  }

  private void trip(String what) {
    roundTrips.incrementAndGet();
    String flat = what.strip().replaceAll("\\s+", " ");
    trips.add(flat.length() <= 80 ? flat : flat.substring(0, 80));
  }

  private static boolean isWrite(String sql) {
    String s = sql.stripLeading().toUpperCase(Locale.ROOT);
    return s.startsWith("INSERT")
        || s.startsWith("UPDATE")
        || s.startsWith("DELETE")
        || s.startsWith("WITH") && WRITE_IN_WITH.matcher(s).find();
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
