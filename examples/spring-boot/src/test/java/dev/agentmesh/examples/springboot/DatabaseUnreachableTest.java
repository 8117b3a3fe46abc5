package dev.agentmesh.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.ForkedJvm;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Started with no PostgreSQL where it looks: it says what to start, and exits non-zero. */
class DatabaseUnreachableTest {

  @Test
  void withoutPostgresqlItSaysWhatToStartAndExitsWithOne() {
    ForkedJvm.Result r =
        ForkedJvm.run(
            SupportHostApplication.class.getName(),
            Map.of("SPRING_DATASOURCE_PASSWORD", "secret-from-the-environment"),
            Map.of(
                "spring.datasource.url",
                "jdbc:postgresql://127.0.0.1:1/postgres?password=secret-in-the-url",
                "server.port",
                "0"),
            Duration.ofMinutes(1));

    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isOne();
    assertThat(r.stdout())
        .contains("APPLICATION FAILED TO START")
        .contains(
            "PostgreSQL is not reachable at 127.0.0.1:1 (database postgres): Connection to"
                + " 127.0.0.1:1 refused")
        .contains("This application needs PostgreSQL: start one (`sudo apt-get install postgresql`")
        .contains("`docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17`")
        .contains(
            "point SPRING_DATASOURCE_URL (and SPRING_DATASOURCE_USERNAME,"
                + " SPRING_DATASOURCE_PASSWORD) at yours");
    assertThat(r.stdout() + r.stderr()).doesNotContain("secret-").doesNotContain("\tat ");
  }

  @Test
  void itNamesTheServerByHostPortAndDatabaseOnly() {
    assertThat(
            DatabaseUnreachableFailureAnalyzer.where(
                "jdbc:postgresql://db.internal:6543/app?user=app&password=hunter2"))
        .isEqualTo("db.internal:6543 (database app)");
    assertThat(DatabaseUnreachableFailureAnalyzer.where("jdbc:postgresql://a,b:5433/"))
        .isEqualTo("a,b:5433");
    assertThat(DatabaseUnreachableFailureAnalyzer.where("jdbc:h2:mem:x"))
        .isEqualTo("the configured spring.datasource.url");
  }
}
