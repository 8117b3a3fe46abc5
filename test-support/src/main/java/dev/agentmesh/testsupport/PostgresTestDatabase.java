package dev.agentmesh.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL that tests run against, one per JVM: the URL in {@code AGENTMESH_TEST_PG_URL} if
 * set, else the server on 127.0.0.1:5432 (database {@code test}, user postgres or root) if it
 * answers, else an embedded PostgreSQL started for the run. {@code -Dagentmesh.test.pg=embedded}
 * forces the embedded one. Never skips: if none can be had, tests fail and say why.
 *
 * <p>Each test class takes its own schema from {@link #newSchema(String)} and drops it with {@link
 * #dropSchema(String)}.
 */
public final class PostgresTestDatabase {

  private static @Nullable PostgresTestDatabase shared;

  private final HikariDataSource dataSource;
  private final String url;
  private final String description;
  private final @Nullable EmbeddedPostgres embedded;

  private PostgresTestDatabase(
      String url, @Nullable String user, String description, @Nullable EmbeddedPostgres embedded) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    config.setMaximumPoolSize(16);
    config.setPoolName("agentmesh-test");
    this.dataSource = new HikariDataSource(config);
    this.url = url;
    this.description = description;
    this.embedded = embedded;
  }

  /** The database for this JVM, found or started on first use. */
  public static synchronized PostgresTestDatabase get() {
    if (shared == null) {
      shared = locate();
      PostgresTestDatabase db = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(db::shutdown, "agentmesh-test-pg-stop"));
      System.out.println("[agentmesh] PostgreSQL for tests: " + db.description);
    }
    return shared;
  }

  private static PostgresTestDatabase locate() {
    List<String> tried = new ArrayList<>();
    if (!"embedded".equals(System.getProperty("agentmesh.test.pg"))) {
      String url = System.getenv("AGENTMESH_TEST_PG_URL");
      if (url != null && !url.isBlank()) {
        return new PostgresTestDatabase(url, null, url + " (AGENTMESH_TEST_PG_URL)", null);
      }
      for (String user : List.of("postgres", "root")) {
        String local = "jdbc:postgresql://127.0.0.1:5432/test?user=" + user;
        try (Connection c = DriverManager.getConnection(local)) {
          return new PostgresTestDatabase(local, null, local, null);
        } catch (SQLException e) {
          tried.add(local + ": " + e.getMessage());
        }
      }
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      String url = pg.getJdbcUrl("postgres", "postgres");
      return new PostgresTestDatabase(url, null, "embedded PostgreSQL at " + url, pg);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "No PostgreSQL for tests: tried "
              + tried
              + " and an embedded PostgreSQL, which failed to start ("
              + e
              + "). Start a server on "
              + "127.0.0.1:5432 with a database 'test', or set AGENTMESH_TEST_PG_URL",
          e);
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Where the database is, for logs. */
  public String description() {
    return description;
  }

  /** Whether this run started its own embedded PostgreSQL. */
  public boolean isEmbedded() {
    return embedded != null;
  }

  /** A fresh, unused schema name starting with {@code prefix} (not created yet). */
  public static String newSchema(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /**
   * Creates a fresh, empty database on the same server, for a test that needs a whole database (an
   * application whose own configuration names a JDBC URL), and returns its JDBC URL: this server's
   * URL with the database name replaced. Drop it with {@link #dropDatabase(String)}.
   */
  public String newDatabase(String prefix) {
    String name = newSchema(prefix);
    execute("CREATE DATABASE \"" + name + "\"");
    return url.replaceFirst("^(jdbc:postgresql://[^/?]+/)[^?]*", "$1" + name);
  }

  /** Drops the database a {@link #newDatabase(String)} URL names, closing its connections. */
  public void dropDatabase(String jdbcUrl) {
    String name = jdbcUrl.replaceFirst("^jdbc:postgresql://[^/?]+/([^?]*).*$", "$1");
    execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
  }

  /** Drops {@code schema} and everything in it. */
  public void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
  }

  /** Runs one SQL statement on a pooled connection. */
  public void execute(String sql) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Test SQL failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  private void shutdown() {
    dataSource.close();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
