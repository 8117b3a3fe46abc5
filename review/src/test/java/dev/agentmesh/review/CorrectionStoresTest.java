package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ScriptedModel;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Corrections on every store: written in a decision's append through {@code Session.record}, read
 * back equal, paged, retired, and given to the agent's next session in its system prompt.
 */
class CorrectionStoresTest {

  private static final String SCHEMA = PostgresTestDatabase.newSchema("review_corrections");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.shared();

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-03-02T09:00:00.123456789Z"));
  private final List<AutoCloseable> opened = new ArrayList<>();
  @TempDir Path dir;

  @AfterAll
  static void drop() {
    PostgresTestDatabase.get().dropSchema(SCHEMA);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  static Stream<Arguments> stores() {
    return Stream.of(
        Arguments.of(
            "in-memory", (Function<Path, SessionStore>) d -> InMemorySessionStore.create()),
        Arguments.of(
            "sqlite",
            (Function<Path, SessionStore>) d -> SqliteSessionStore.create(d.resolve("c.db"))),
        Arguments.of(
            "postgresql",
            (Function<Path, SessionStore>)
                d ->
                    PostgresSessionStore.builder(PostgresTestDatabase.get().dataSource())
                        .schema(SCHEMA)
                        .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aRejectionsCorrectionIsStoredWithItsDecisionAndReachesTheAgentsNextRun(
      String name, Function<Path, SessionStore> stores) {
    SessionStore store = stores.apply(dir);
    ScriptedModel model = ScriptedModel.builder().text("draft one").text("draft two").build();
    AgentSpec spec =
        AgentSpec.builder("writer")
            .instructions("Write the release note.")
            .review(ReviewPolicy.builder().artifact("document").build())
            .build();
    Mesh mesh = Mesh.builder().clock(clock).model("default", model).agent(spec).build();
    Corrections corrections = Corrections.builder(store).clock(clock).build();
    Sessions sessions =
        Sessions.builder(mesh)
            .store(store)
            .clock(clock)
            .outputGate(
                (state, agent, output) ->
                    Optional.of(
                        Recording.of(
                            new SessionEvent.Custom(clock.instant(), "review.proposed", output),
                            new SessionEvent.WaitingForInput(clock.instant(), "review:1", "?"))))
            .context(corrections.turnContext(mesh))
            .build();
    opened.add(sessions);

    Session first = sessions.newSession("writer").input("v1.2 on " + name).start();
    assertThat(first.awaitIdle(WAIT).waits()).containsKey("review:1");
    Document proposed =
        new Document("Release 1.2", Document.Format.MARKDOWN, "", "We fixed *everything*.");
    List<Correction> made =
        Correction.fromDecision(
            new Correction.Source(
                first.id(),
                first.id() + "/r1",
                "d-1",
                "writer",
                spec.fingerprint(),
                "document",
                proposed),
            "ana",
            Decision.requestChanges(
                "name the fixed issues",
                List.of(new Comment(Anchor.line(1), "'everything' is not a changelog"))),
            clock.instant());
    SessionState decided =
        first.record(
            state ->
                Recording.of(
                        new SessionEvent.Custom(
                            clock.instant(), "review.decided", JSON.stringNode("reject")),
                        new SessionEvent.InputReceived(
                            clock.instant(), "review:1", JSON.stringNode("rejected"), "ana"),
                        new SessionEvent.Failed(clock.instant(), "review.rejected", "rejected"))
                    .withRows(
                        made.stream()
                            .map(CorrectionRows::insert)
                            .toArray(dev.agentmesh.sessions.spi.RowWrite[]::new)));
    assertThat(decided.status()).isEqualTo(SessionStatus.FAILED);

    clock.advance(Duration.ofMinutes(5));
    Session second = sessions.newSession("writer").input("v1.3").start();
    second.awaitIdle(WAIT);

    String prompt = systemPrompt(model.requests().get(1));
    assertThat(prompt)
        .startsWith("Write the release note.\n\n<session-context>\n" + CorrectionContext.HEADER)
        .contains(
            "--- correction 1 ---\n| name the fixed issues\n--- end of correction 1 ---\n"
                + "--- correction 2 ---\n| at: line 1\n| 'everything' is not a changelog\n"
                + "--- end of correction 2 ---\n</session-context>")
        .doesNotContain("We fixed");
    assertThat(systemPrompt(model.requests().get(0))).doesNotContain("session-context");

    CorrectionPage page = corrections.query(CorrectionQuery.builder("writer").limit(1).build());
    assertThat(page.corrections()).containsExactly(made.get(0));
    assertThat(
            corrections
                .query(CorrectionQuery.builder("writer").after(page.next()).build())
                .corrections())
        .containsExactly(made.get(1));

    Correction retired = corrections.retire(made.get(1).id(), "bo");
    assertThat(corrections.find(made.get(1).id())).contains(retired);
    assertThat(retired.retired()).isEqualTo(new Correction.Retirement("bo", clock.instant()));
    assertThat(
            corrections.contextFor(
                new CorrectionContext.Turn("writer", spec.fingerprint(), "document", "s-x")))
        .get()
        .asString()
        .contains("name the fixed issues")
        .doesNotContain("changelog");

    assertThatThrownBy(() -> store.writeRows(List.of(CorrectionRows.insert(made.get(0)))))
        .as("a correction is stored once")
        .isInstanceOf(RowConflictException.class);
  }

  private static String systemPrompt(ChatRequest request) {
    return request.messages().get(0).textOrEmpty();
  }
}
