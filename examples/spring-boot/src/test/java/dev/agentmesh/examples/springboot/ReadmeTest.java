package dev.agentmesh.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.examples.support.ExampleReadme;
import dev.agentmesh.testsupport.Await;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's claims: PostgreSQL named in its first line, its command, its graph, its files valid,
 * and the main class as that command runs it, in a JVM of its own, until it is stopped.
 */
class ReadmeTest {

  static final String[] FILES = {
    "src/main/resources/agents", "--triggers", "src/main/resources/triggers"
  };
  static final Duration START = Duration.ofMinutes(2);
  static final Duration TURN = Duration.ofSeconds(60);

  @Test
  void theSpecsAndTriggerFilesPassAgentmeshValidate() {
    ExampleReadme.assertValid(FILES);
  }

  @Test
  void theReadmeSaysItNeedsPostgresqlFirstAndShowsTheCommandAndTheGraphAgentmeshDraws()
      throws IOException {
    assertThat(Files.readString(ExampleReadme.README).lines().findFirst().orElseThrow())
        .startsWith("Needs PostgreSQL on 127.0.0.1:5432");
    ExampleReadme.assertCommand("spring-boot", SupportHostApplication.class);
    ExampleReadme.assertGraph(FILES);
  }

  @Test
  void theMainClassServesInItsOwnJvmAsTheReadmeCommandStartsItAndDrainsOnSigterm() {
    PostgresTestDatabase pg = PostgresTestDatabase.get();
    String url = pg.newDatabase("agentmesh_forked");
    try (ForkedServer app =
        ForkedServer.start(
            SupportHostApplication.class.getName(),
            Map.of("spring.datasource.url", url, "server.port", "0"))) {
      Matcher tomcat = app.await(Pattern.compile("Tomcat started on port (\\d+)"), START);
      app.await(Pattern.compile("Started SupportHostApplication in"), START);
      HostHttp http = new HostHttp(Integer.parseInt(tomcat.group(1)));

      HostHttp.Answer accepted = http.deliver(HostHttp.ticket("acme", "Invoice charged twice"));
      assertThat(accepted.status()).as(app.stdout()).isEqualTo(202);
      String session = accepted.json().path("session").asString();
      JsonNode pending = awaitReview(http, session);
      assertThat(pending.path("type").asString()).isEqualTo("outbound-message");

      int status = app.stop(Duration.ofMinutes(1));

      String out = app.stdout();
      assertThat(status).as(out + app.stderr()).isEqualTo(ForkedServer.TERMINATED);
      assertThat(out)
          .contains("Model: the scripted stand-in")
          .contains("Successfully applied 5 migrations to schema \"agentmesh\"")
          .containsPattern("Mesh started on \\S+: 0 sessions resumed")
          .contains("Commencing graceful shutdown. Waiting for active requests to complete")
          .contains("Graceful shutdown complete")
          .containsPattern("Mesh stopped on \\S+: running turns drained, leases released")
          .doesNotContain(" ERROR ");
      assertThat(out.indexOf("Graceful shutdown complete"))
          .isLessThan(out.indexOf("Mesh stopped on"));
    } finally {
      pg.dropDatabase(url);
    }
  }

  /** The session's review once its turn has proposed it, as the lead's queue lists it. */
  private static JsonNode awaitReview(HostHttp http, String session) {
    return Await.value(
        "the reply's review is in the lead's queue",
        TURN,
        () ->
            http.get("/reviews", HostHttp.LEAD)
                .json()
                .valueStream()
                .filter(r -> r.path("session").asString().equals(session))
                .findFirst());
  }
}
