package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionDecodeException;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A runnable session whose log cannot be decoded is quarantined once, with its reason, instead of
 * being claimed by every sweep; other sessions keep running; an operator repairs the row and
 * retries it.
 */
class QuarantineTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final FakeClock clock = Fixtures.clock();
  private SqliteSessionStore store;

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aPoisonSessionIsQuarantinedOnceOthersKeepWorkingAndARepairedOneIsRetried() throws Exception {
    store = SqliteSessionStore.create(dir.resolve("sessions.db"));
    Mesh mesh = Fixtures.mesh(clock);
    Sessions writer =
        Sessions.builder(mesh)
            .store(store)
            .executor(r -> {})
            .scheduler(new ManualScheduler())
            .clock(clock)
            .nodeId("writer")
            .build();
    writer.newSession("plain").id("good").input("hi").start();
    writer.newSession("plain").id("bad").input("hi").start();
    SessionSummary bad = store.find("bad").orElseThrow();
    store.append(
        "bad",
        1,
        List.of(
            new NewEvent(
                "agent.bogus.happened", 1, JsonNodeFactory.instance.objectNode(), clock.instant())),
        bad);
    // The writer never drove them (its executor drops every task): the leases it took with their
    // creation expire.
    clock.advance(Duration.ofSeconds(31));
    Sessions node =
        Sessions.builder(mesh)
            .store(store)
            .executor(Runnable::run)
            .scheduler(new ManualScheduler())
            .clock(clock)
            .leaseTtl(TTL)
            .nodeId("node")
            .build();

    String logged =
        stderrOf(
            () -> {
              assertThat(node.recoverOrphans()).isEqualTo(2);
              for (int sweep = 0; sweep < 5; sweep++) {
                clock.advance(TTL.plusSeconds(1));
                assertThat(node.recoverOrphans())
                    .as("sweep %d claims the poison session again", sweep)
                    .isZero();
              }
            });

    assertThat(node.session("good").state().status()).isEqualTo(SessionStatus.COMPLETED);
    SessionSummary quarantined = store.find("bad").orElseThrow();
    assertThat(quarantined.quarantine())
        .startsWith(
            "Cannot decode event 2 of session 'bad' (type "
                + "'agent.bogus.happened', type version 1): this release knows no such event type");
    assertThat(quarantined.status()).isEqualTo("running");
    assertThat(node.query(SessionQuery.builder().quarantined(true).build()).sessions())
        .extracting(SessionSummary::id)
        .containsExactly("bad");
    assertThat(logged.lines().filter(l -> l.contains("Quarantined session bad"))).hasSize(1);
    assertThat(logged).doesNotContain("\tat ").doesNotContain("Driving session bad failed");

    assertThatThrownBy(() -> node.retryQuarantined("bad"))
        .isInstanceOf(SessionDecodeException.class);
    assertThat(store.find("bad").orElseThrow().quarantined())
        .as("still broken, still quarantined")
        .isTrue();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE agentmesh_events SET type = 'participant.joined', "
              + "payload = '{\"participant\":\"bo\",\"role\":\"MEMBER\"}' WHERE session_id = 'bad' AND version = 2");
    }
    node.retryQuarantined("bad");
    SessionState repaired = node.session("bad").awaitFinished(Duration.ofSeconds(10));

    assertThat(repaired.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(repaired.participants()).containsKey("bo");
    assertThat(store.find("bad").orElseThrow().quarantined()).isFalse();
  }

  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
