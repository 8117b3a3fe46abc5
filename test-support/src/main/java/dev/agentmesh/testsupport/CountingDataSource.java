package dev.agentmesh.testsupport;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that counts what its connections send to the database: the prepared
 * statements executed (each a round trip, a batch's too) and the transactions that wrote and
 * committed, as the database sees them (a commit after a write statement, or a write statement run
 * in autocommit mode, such as a lease's {@code UPDATE}). For tests that count a store's round trips
 * and commits instead of timing them.
 *
 * <pre>{@code
 * CountingDataSource counted = CountingDataSource.of(PostgresTestDatabase.get().dataSource());
 * SessionStore store = PostgresSessionStore.builder(counted).schema(schema).build();
 * counted.reset();
 * ...
 * assertThat(counted.writeCommits()).isEqualTo(2);
 * }</pre>
 *
 * <p>Counters are thread-safe; a connection it hands out is used by one thread at a time, as JDBC
 * connections are.
 */
public final class CountingDataSource {

  private final AtomicInteger statements = new AtomicInteger();
  private final AtomicInteger writeCommits = new AtomicInteger();
  private final DataSource dataSource;

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

  /** {@return the prepared statements executed since the last reset} */
  public int statements() {
    return statements.get();
  }

  /** {@return the transactions that wrote and committed since the last reset} */
  public int writeCommits() {
    return writeCommits.get();
  }

  /** Sets both counters to zero. */
  public void reset() {
    statements.set(0);
    writeCommits.set(0);
  }

  private Connection connection(Connection target) {
    boolean[] wrote = {false};
    return proxy(
        Connection.class,
        (p, method, args) -> {
          String name = method.getName();
          if (name.equals("commit") && wrote[0]) {
            writeCommits.incrementAndGet();
            wrote[0] = false;
          } else if (name.equals("rollback")) {
            wrote[0] = false;
          }
          Object result = invoke(target, method, args);
          if (name.equals("prepareStatement")) {
            return statement((PreparedStatement) result, target, isWrite((String) args[0]), wrote);
          }
          return result;
        });
  }

  private PreparedStatement statement(
      PreparedStatement target, Connection connection, boolean write, boolean[] wrote) {
    return proxy(
        PreparedStatement.class,
        (p, method, args) -> {
          if (method.getName().startsWith("execute")) {
            statements.incrementAndGet();
            if (write) {
              if (connection.getAutoCommit()) {
                writeCommits.incrementAndGet();
              } else {
                wrote[0] = true;
              }
            }
          }
          return invoke(target, method, args);
        });
  }

  private static boolean isWrite(String sql) {
    String s = sql.stripLeading().toUpperCase(Locale.ROOT);
    return s.startsWith("INSERT") || s.startsWith("UPDATE") || s.startsWith("DELETE");
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
