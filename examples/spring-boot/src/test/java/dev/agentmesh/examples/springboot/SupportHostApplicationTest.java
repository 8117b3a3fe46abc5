package dev.agentmesh.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import dev.agentmesh.triggers.Triggers;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The application as deployed: its own database (created for this class on the test PostgreSQL),
 * Flyway, Tomcat on a random port, the scripted model; driven over HTTP only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SupportHostApplicationTest {

  static final PostgresTestDatabase PG = PostgresTestDatabase.get();
  static final String URL = PG.newDatabase("agentmesh_spring");
  static final Duration TURN = Duration.ofSeconds(60);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
  }

  @Autowired Environment environment;
  @Autowired Sessions sessions;
  @Autowired Triggers triggers;
  @Autowired DataSource dataSource;
  @Autowired Outbox outbox;

  HostHttp http() {
    return new HostHttp(environment.getRequiredProperty("local.server.port", Integer.class));
  }

  /** Drops the class's database once the application stopped using it (the last phase). */
  @TestConfiguration
  static class DropDatabaseLast implements SmartLifecycle {
    private volatile boolean running;

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      PG.dropDatabase(URL);
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return Integer.MIN_VALUE;
    }
  }

  @Test
  void flywayOwnsTheSessionSchemaAndTheStoreDidNotMigrate() {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    assertThat(
            jdbc.queryForList(
                "SELECT version FROM agentmesh.agentmesh_flyway_history"
                    + " WHERE success AND version IS NOT NULL ORDER BY installed_rank",
                String.class))
        .containsExactly("1", "2", "3", "4", "5");
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'agentmesh'"
                    + " AND table_name = 'agentmesh_schema_version'",
                Integer.class))
        .isZero();
    assertThat(triggers.definition("morning-digest")).isPresent();
  }

  @Test
  void aSignedWebhookStartsOneSessionWhoseReviewedReplyIsSentOnceApproved() {
    HostHttp http = http();
    HostHttp.Delivery ticket = HostHttp.ticket("acme", "Invoice charged twice");

    assertThat(http.deliver(ticket.withSignature("v1,bm90IHRoZSBzaWduYXR1cmU=")).status())
        .isEqualTo(401);
    HostHttp.Answer accepted = http.deliver(ticket);
    assertThat(accepted.status()).isEqualTo(202);
    String session = accepted.json().path("session").asString();
    HostHttp.Answer replayed = http.deliver(ticket);
    assertThat(replayed.status()).isEqualTo(200);
    assertThat(replayed.json().path("session").asString()).isEqualTo(session);

    SessionState waiting = sessions.session(session).awaitIdle(TURN);
    assertThat(waiting.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(http.get("/reviews", "not-a-token").status()).isEqualTo(401);
    JsonNode queue = http.get("/reviews", HostHttp.LEAD).json();
    JsonNode pending =
        queue
            .valueStream()
            .filter(r -> r.path("session").asString().equals(session))
            .findFirst()
            .orElseThrow();
    String id = pending.path("id").asString();
    assertThat(pending.path("type").asString()).isEqualTo("outbound-message");
    assertThat(http.get("/reviews/" + id, HostHttp.LEAD).json().path("surface").asString())
        .contains("help@acme.example", "Re: Invoice charged twice");

    String stale = "sha256:" + "0".repeat(64);
    HostHttp.Answer refused =
        http.post(
            "/reviews/" + id + "/decision",
            HostHttp.LEAD,
            "{\"hash\":\"" + stale + "\",\"decision\":\"approve\"}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("error").asString()).isEqualTo("stale-hash");
    HostHttp.Answer approved =
        http.post(
            "/reviews/" + id + "/decision",
            HostHttp.LEAD,
            "{\"hash\":\"" + pending.path("hash").asString() + "\",\"decision\":\"approve\"}");
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.json().path("effect").asString()).isEqualTo("APPLIED");

    assertThat(sessions.session(session).awaitFinished(TURN).status())
        .isEqualTo(SessionStatus.COMPLETED);
    assertThat(outbox.sent())
        .filteredOn(m -> m.subject().equals("Re: Invoice charged twice"))
        .singleElement()
        .satisfies(m -> assertThat(m.to()).containsExactly("help@acme.example"));
    List<String> log =
        sessions.store().load(session, 0, 1000).stream().map(StoredEvent::type).toList();
    assertThat(log)
        .contains(
            "review.proposed",
            "review.refused",
            "review.decided",
            "review.effect-started",
            "review.effect-applied");
    assertThat(
            http.get("/reviews", HostHttp.LEAD)
                .json()
                .valueStream()
                .map(r -> r.path("session").asString()))
        .doesNotContain(session);
  }
}
