package dev.agentmesh.examples.springboot;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * When the application cannot start because PostgreSQL cannot be reached (a JDBC connection error,
 * SQL state class {@code 08}, anywhere in the failure's causes: Flyway, the pool or the store),
 * says where it looked and what to start, in Spring Boot's "APPLICATION FAILED TO START" report;
 * the application then exits with a non-zero status, as on any failed start. Registered in {@code
 * META-INF/spring.factories}.
 *
 * <p>It names the server by host, port and database only: never the JDBC URL's parameters (which
 * may hold a password) nor the configured password.
 *
 * <pre>
 * Description:
 * PostgreSQL is not reachable at 127.0.0.1:5432 (database postgres): Connection to ... refused. ...
 * Action:
 * This application needs PostgreSQL: start one (`sudo apt-get install postgresql`, or ...
 * </pre>
 */
public class DatabaseUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

  /** SQLSTATE class 08: connection exception (refused, unknown host, timed out, ...). */
  private static final String CONNECTION_EXCEPTION = "08";

  private static final Pattern POSTGRES_URL =
      Pattern.compile("^jdbc:postgresql://(?:[^/?#]*@)?([^/?#]*)(?:/([^?#]*))?");

  private final Environment environment;

  /**
   * Reads the configured datasource URL from the application's environment.
   *
   * @param environment the failed application's environment (Spring Boot passes it)
   */
  public DatabaseUnreachableFailureAnalyzer(Environment environment) {
    this.environment = environment;
  }

  @Override
  protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
    String state = cause.getSQLState();
    if (state == null || !state.startsWith(CONNECTION_EXCEPTION)) {
      return null;
    }
    return new FailureAnalysis(
        "PostgreSQL is not reachable at "
            + where(environment.getProperty("spring.datasource.url", ""))
            + ": "
            + cause.getMessage(),
        "This application needs PostgreSQL: start one (`sudo apt-get install postgresql`, or"
            + " `docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17`) or point"
            + " SPRING_DATASOURCE_URL (and SPRING_DATASOURCE_USERNAME,"
            + " SPRING_DATASOURCE_PASSWORD) at yours, then start it again.",
        cause);
  }

  /** Host, port and database of a PostgreSQL JDBC URL, without its user or parameters. */
  static String where(String url) {
    Matcher m = POSTGRES_URL.matcher(url);
    if (!m.find()) {
      return "the configured spring.datasource.url";
    }
    String database = m.group(2);
    return m.group(1)
        + (database == null || database.isEmpty() ? "" : " (database " + database + ")");
  }
}
