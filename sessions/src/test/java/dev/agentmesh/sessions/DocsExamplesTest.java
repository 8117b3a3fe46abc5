package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionArchive;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.DocsExamples;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Java code shown in docs/sessions.md, compiled and run. Each {@code ```java} block of the page
 * is copied verbatim between a {@code // docs:begin <name>} and a {@code // docs:end} line below,
 * and {@link #everyJavaBlockOnThePageIsARegionOfThisTest} fails when the two drift.
 */
class DocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/sessions.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/sessions/DocsExamplesTest.java");

  /** Answers "agent: last user text", so a test can see which agent answered what. */
  private static final ChatModel MODEL =
      request ->
          ChatResponse.ofText(
              request.metadata().getOrDefault("agent", "?") + ": " + request.lastUserText());

  private static final Mesh MESH =
      Mesh.builder()
          .model("default", MODEL)
          .agent(AgentSpec.builder("triage").instructions("Triage the ticket.").build())
          .agent(AgentSpec.builder("security-reviewer").instructions("Review attachments.").build())
          .build();

  @TempDir Path dataDir;

  @Test
  void theModelExampleRunsThreeTurnsAnsweredByTheAgentsItNames() {
    Mesh mesh = MESH;
    // docs:begin model
    Sessions sessions =
        Sessions.builder(mesh)
            .store(SqliteSessionStore.create(dataDir.resolve("agentmesh.db")))
            .build();
    Session session =
        sessions
            .newSession("triage")
            .input("My invoice is wrong")
            .origin(Origin.human("ana"))
            .participant("ana", ParticipantRole.OWNER)
            .participant("bo", ParticipantRole.MEMBER)
            .start();
    session.awaitFinished(Duration.ofMinutes(1));
    session.postTo("bo", "security-reviewer", "Is the attachment safe?"); // running
    session.awaitFinished(Duration.ofMinutes(1));
    session.post("ana", "Thanks, draft the reply"); // triage again
    session.awaitFinished(Duration.ofMinutes(1));
    // docs:end
    try {
      SessionState state = session.state();
      assertThat(state.status()).isEqualTo(SessionStatus.COMPLETED);
      assertThat(state.participants())
          .isEqualTo(Map.of("ana", ParticipantRole.OWNER, "bo", ParticipantRole.MEMBER));
      assertThat(state.transcript())
          .filteredOn(m -> m.role() == ChatMessage.Role.ASSISTANT)
          .extracting(ChatMessage::textOrEmpty)
          .hasSize(3)
          .satisfies(
              answers -> {
                assertThat(answers.get(0)).startsWith("triage: ").contains("My invoice is wrong");
                assertThat(answers.get(1)).isEqualTo("security-reviewer: Is the attachment safe?");
                assertThat(answers.get(2)).isEqualTo("triage: Thanks, draft the reply");
              });
      assertThat(dataDir.resolve("agentmesh.db")).isNotEmptyFile();
    } finally {
      sessions.close();
    }
  }

  @Test
  void severalNodesExampleDrivesASessionOnPostgres() throws Exception {
    PostgresTestDatabase db = PostgresTestDatabase.get();
    String schema = PostgresTestDatabase.newSchema("docs");
    db.execute(
        "CREATE SCHEMA \"" + schema + "\""); // empty: the documented factory creates the tables
    DataSource dataSource = inSchema(db.dataSource(), schema);
    Mesh mesh = MESH;
    String hostname = "node-a";
    // docs:begin several-nodes
    Sessions sessions =
        Sessions.builder(mesh)
            .store(PostgresSessionStore.create(dataSource))
            .nodeId(hostname)
            .leaseTtl(Duration.ofSeconds(30))
            .sweepInterval(Duration.ofSeconds(10))
            .build();
    // docs:end
    try {
      SessionState done =
          sessions
              .newSession("triage")
              .input("Invoice wrong")
              .origin(Origin.human("ana"))
              .start()
              .awaitFinished(Duration.ofMinutes(1));

      assertThat(sessions.nodeId()).isEqualTo("node-a");
      assertThat(done.output().asString()).isEqualTo("triage: Invoice wrong");
      assertThat(
              PostgresSessionStore.builder(db.dataSource()).schema(schema).build().find(done.id()))
          .hasValueSatisfying(row -> assertThat(row.version()).isEqualTo(done.version()));
    } finally {
      sessions.close();
      db.dropSchema(schema);
    }
  }

  @Test
  void awaitSettingsExampleCompletesAnAwaitOnPostgres() throws Exception {
    PostgresTestDatabase db = PostgresTestDatabase.get();
    String schema = PostgresTestDatabase.newSchema("docs");
    db.execute("CREATE SCHEMA \"" + schema + "\"");
    DataSource dataSource = inSchema(db.dataSource(), schema);
    DataSource directDataSource = inSchema(db.dataSource(), schema);
    Mesh mesh = MESH;
    // docs:begin await-settings
    Sessions sessions =
        Sessions.builder(mesh)
            .store(
                PostgresSessionStore.builder(dataSource)
                    .listenWith(directDataSource) // the LISTEN connection; default: dataSource
                    .maxReconnectPause(Duration.ofSeconds(5))
                    .build())
            .pollInterval(Duration.ofSeconds(2)) // while the feed is down (or on SQLite)
            .build();
    // docs:end
    try {
      SessionState done =
          sessions
              .newSession("triage")
              .input("Invoice wrong")
              .origin(Origin.human("ana"))
              .start()
              .awaitFinished(Duration.ofMinutes(1));

      assertThat(done.output().asString()).isEqualTo("triage: Invoice wrong");
    } finally {
      sessions.close();
      db.dropSchema(schema);
    }
  }

  /** The output type of the result example's agent. */
  record Triage(String priority, String team) {}

  @Test
  void theResultExampleReadsATypedOutputAndClosesSessionsBeforeItsStore() {
    ChatModel json = request -> ChatResponse.ofText("{\"priority\":\"high\",\"team\":\"billing\"}");
    Mesh mesh =
        Mesh.builder()
            .model("default", json)
            .agent(
                AgentSpec.builder("triage")
                    .instructions("Triage the ticket.")
                    .outputType(Triage.class)
                    .build())
            .build();
    List<String> printed = new ArrayList<>();
    // docs:begin result
    try (SqliteSessionStore store = SqliteSessionStore.create(dataDir.resolve("agentmesh.db"));
        Sessions sessions = Sessions.builder(mesh).store(store).build()) {
      SessionState state =
          sessions
              .newSession("triage")
              .input("My invoice is wrong")
              .start()
              .awaitFinished(Duration.ofMinutes(1));
      if (state.status() == SessionStatus.COMPLETED) {
        Triage triage = state.output(Triage.class); // the last turn's output, typed
        printed.add(triage.team());
      }
    } // closes sessions (running turns stop after their current step), then the store
    // docs:end
    assertThat(printed).containsExactly("billing");
  }

  @Test
  void theTypedOutputOfASessionWithoutACompletedTurnSaysWhy() {
    Mesh mesh =
        Mesh.builder()
            .model(
                "default",
                request -> {
                  throw new IllegalStateException("model down");
                })
            .agent(
                AgentSpec.builder("triage")
                    .instructions("Triage the ticket.")
                    .outputType(Triage.class)
                    .build())
            .build();
    try (Sessions sessions = Sessions.builder(mesh).store(InMemorySessionStore.create()).build()) {
      SessionState state =
          sessions
              .newSession("triage")
              .input("My invoice is wrong")
              .start()
              .awaitFinished(Duration.ofMinutes(1));

      assertThat(state.status()).isEqualTo(SessionStatus.FAILED);
      assertThatThrownBy(() -> state.output(Triage.class))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Session "
                  + state.id()
                  + " has no output: no turn of it has completed (status failed). "
                  + "Read output(Class) after awaitFinished returns a COMPLETED state.");
    }
  }

  @Test
  void theTypedOutputThatDoesNotMapNamesTheTypeAndTheAgent() {
    Mesh mesh =
        Mesh.builder()
            .model("default", request -> ChatResponse.ofText("\"just text\""))
            .agent(AgentSpec.builder("triage").instructions("Triage the ticket.").build())
            .build();
    try (Sessions sessions = Sessions.builder(mesh).store(InMemorySessionStore.create()).build()) {
      SessionState state =
          sessions
              .newSession("triage")
              .input("My invoice is wrong")
              .start()
              .awaitFinished(Duration.ofMinutes(1));

      assertThatThrownBy(() -> state.output(Triage.class))
          .isInstanceOf(dev.agentmesh.core.AgentRunException.class)
          .hasMessageStartingWith("Output of agent 'triage' does not map to Triage: ");
    }
  }

  @Test
  void theForkExampleSharesTheParentsChargeInsteadOfChargingAgain() {
    java.util.concurrent.atomic.AtomicInteger charges =
        new java.util.concurrent.atomic.AtomicInteger();
    ChatModel billing =
        request ->
            request.messages().get(request.messages().size() - 1).role() == ChatMessage.Role.TOOL
                ? ChatResponse.ofText(
                    "billed: "
                        + request.messages().get(request.messages().size() - 1).textOrEmpty())
                : ChatResponse.ofToolCalls(
                    dev.agentmesh.core.spi.ToolCall.of(
                        "c1",
                        "chargeCard",
                        tools.jackson.databind.node.JsonNodeFactory.instance
                            .objectNode()
                            .put("amount", 42)));
    Mesh mesh =
        Mesh.builder()
            .model("default", billing)
            .tool(
                dev.agentmesh.core.AgentTool.builder("chargeCard")
                    .description("Charges the card")
                    .handler((args, ctx) -> "receipt-" + charges.incrementAndGet())
                    .build())
            .agent(AgentSpec.builder("biller").instructions("Bill.").tools("chargeCard").build())
            .build();
    try (Sessions sessions = Sessions.builder(mesh).build()) {
      Session session =
          sessions.newSession("biller").input("bill 42").origin(Origin.human("ana")).start();
      session.awaitFinished(Duration.ofMinutes(1));
      // docs:begin fork
      Session retry = session.fork(1); // before the model asked to charge
      SessionState.UnknownOutcome question =
          retry.awaitIdle(Duration.ofMinutes(1)).unknownOutcomes().get(0);
      retry.resolveUnknownOutcome(question.callId(), question.parentResult(), "ana");
      retry.awaitFinished(Duration.ofMinutes(1)); // the parent's charge, not a new one
      // docs:end
      assertThat(charges).hasValue(1);
      assertThat(retry.state().output().asString()).isEqualTo("billed: receipt-1");
      assertThat(retry.state().forkedFrom()).isEqualTo(session.id());
    }
  }

  @Test
  void theSuspendExampleWaitsForTheOutsideResultAndTheModelSeesIt() {
    java.util.concurrent.atomic.AtomicInteger refunds =
        new java.util.concurrent.atomic.AtomicInteger();
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ChatModel support =
        request -> {
          ChatMessage last = request.messages().get(request.messages().size() - 1);
          seen.add(last.textOrEmpty());
          return last.role() == ChatMessage.Role.TOOL
              ? ChatResponse.ofText("refund: " + last.textOrEmpty())
              : ChatResponse.ofToolCalls(
                  dev.agentmesh.core.spi.ToolCall.of(
                      "c1",
                      "refund",
                      tools.jackson.databind.node.JsonNodeFactory.instance
                          .objectNode()
                          .put("order", 7)));
        };
    Mesh mesh =
        Mesh.builder()
            .model("default", support)
            .tool(
                dev.agentmesh.core.AgentTool.builder("refund")
                    .description("Refunds an order")
                    .handler((args, ctx) -> "refunded-" + refunds.incrementAndGet())
                    .build())
            .agent(AgentSpec.builder("support").instructions("Help.").tools("refund").build())
            .build();
    // docs:begin suspend
    Sessions sessions = Sessions.builder(mesh).suspendCalls("refund").build();
    Session session = sessions.newSession("support").input("refund order 7").start();
    SessionState waiting = session.awaitIdle(Duration.ofMinutes(1)); // WAITING; refund never ran
    SessionState.SuspendedCall call = waiting.suspendedCalls().get(0);
    // later, from any node on the same store:
    sessions.session(session.id()).completeCall(call.callId(), Map.of("approved", true), "bo");
    session.awaitFinished(Duration.ofMinutes(1)); // the model saw {"approved":true}
    // docs:end
    try {
      assertThat(waiting.status()).isEqualTo(SessionStatus.WAITING);
      assertThat(call.tool()).isEqualTo("refund");
      assertThat(refunds).hasValue(0);
      assertThat(seen).contains("{\"approved\":true}");
      assertThat(session.state().output().asString()).isEqualTo("refund: {\"approved\":true}");
    } finally {
      sessions.close();
    }
  }

  @Test
  void theExtensionExampleHoldsTheOutputUntilARecordApprovesIt() {
    java.time.Clock clock = MESH.clock();
    tools.jackson.databind.node.JsonNodeFactory json =
        tools.jackson.databind.node.JsonNodeFactory.instance;
    // docs:begin extension
    SessionsExtension review =
        builder ->
            builder
                .outputGate(
                    (state, agent, output) ->
                        Optional.of(
                            Recording.of(
                                    new SessionEvent.Custom(
                                        clock.instant(), "review.proposed", output),
                                    new SessionEvent.WaitingForInput(
                                        clock.instant(), "review:" + state.id(), "Approve?"))
                                .withRows(
                                    RowWrite.insert(
                                        Row.of("review.pending", state.id(), state.id(), output)))))
                .context((state, agent) -> Optional.of("Cite the ticket number."));
    Sessions sessions = Sessions.builder(MESH).extension(review).build();
    Session session = sessions.newSession("triage").input("Invoice wrong").start();
    SessionState held = session.awaitIdle(Duration.ofMinutes(1)); // WAITING on review:<id>
    // later, on any node: the reviewer approves; wait, decision and rows in one append
    JsonNode output = json.stringNode("approved answer");
    session.record(
        state ->
            state.waits().containsKey("review:" + state.id())
                ? Recording.of(
                        new SessionEvent.Custom(clock.instant(), "review.decided", output),
                        new SessionEvent.InputReceived(
                            clock.instant(),
                            "review:" + state.id(),
                            json.stringNode("approve"),
                            "bo"),
                        new SessionEvent.Completed(clock.instant(), output))
                    .withRows(RowWrite.deleteExisting("review.pending", state.id()))
                : Recording.none());
    // docs:end
    try {
      assertThat(held.status()).isEqualTo(SessionStatus.WAITING);
      assertThat(held.output()).isNull();
      assertThat(session.state().status()).isEqualTo(SessionStatus.COMPLETED);
      assertThat(session.state().output().asString()).isEqualTo("approved answer");
      assertThat(session.history())
          .extracting(e -> e.event().type())
          .contains("session.context", "review.proposed", "review.decided");
    } finally {
      sessions.close();
    }
  }

  @Test
  void theOriginExampleRecordsWhatStartedEachSessionAndFindsThemByIt() {
    java.time.Instant scheduledAt = java.time.Instant.parse("2026-01-05T08:00:00Z");
    try (Sessions sessions = Sessions.builder(MESH).build()) {
      Session parent = sessions.newSession("triage").input("x").start();
      String runId = "run-1";
      // docs:begin origin
      Session daily =
          sessions
              .newSession("triage")
              .input("Today's tickets")
              .origin(Origin.cron("daily", scheduledAt))
              .start();
      Session child =
          sessions
              .newSession("security-reviewer")
              .input("Is the attachment safe?")
              .origin(Origin.session(parent.id(), runId))
              .start(); // started by parent's agent
      SessionPage children =
          sessions.query(
              SessionQuery.builder()
                  .origin(Origin.session(parent.id(), runId))
                  .build()); // every session parent started
      // docs:end
      assertThat(daily.state().origin().occurrence()).isEqualTo(scheduledAt);
      assertThat(child.state().startedBy()).isEqualTo(parent.id());
      assertThat(child.state().forkedFrom()).isNull();
      assertThat(children.sessions()).extracting(s -> s.id()).containsExactly(child.id());
      assertThat(children.sessions().get(0).origin()).isEqualTo("session:" + parent.id());
    }
  }

  @Test
  void thePlugInExampleCreatesOnceFiresItsTimerOnceAndWritesAModulesRowWithItsEvent() {
    FakeClock clock = Fixtures.clock();
    Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .model("default", MODEL)
            .agent(AgentSpec.builder("triage").instructions("Triage the ticket.").build())
            .build();
    InMemorySessionStore store = InMemorySessionStore.create();
    java.time.Instant decideBy = clock.instant().plus(Duration.ofHours(24));
    tools.jackson.databind.node.ObjectNode pending =
        tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("reviewer", "ana");
    dev.agentmesh.sessions.spi.NewEvent proposed =
        new dev.agentmesh.sessions.spi.NewEvent("review.proposed", 1, pending, clock.instant());
    dev.agentmesh.sessions.spi.SessionSummary summary =
        dev.agentmesh.sessions.spi.SessionSummary.builder("s-1")
            .agent("triage")
            .createdAt(clock.instant())
            .updatedAt(clock.instant())
            .build();
    long version = store.append("s-1", 0, List.of(proposed), summary);
    // docs:begin plug-in
    Sessions sessions =
        Sessions.builder(mesh)
            .store(store)
            .timer(
                "review.expiry",
                (timer, state) ->
                    List.of(
                        new SessionEvent.Cancelled(
                            timer.due(), "review.expiry", "not reviewed in time")))
            .build();
    Session run =
        sessions
            .newSession("triage")
            .input("Daily priorities")
            .idempotencyKey(
                "cron:daily-priorities@2026-03-02T08:00:00Z") // a second start returns run
            .start();
    run.schedule("expiry", "review.expiry", decideBy, Map.of("review", "r-7"));

    store.append(
        Append.of("s-1", version, List.of(proposed), summary) // a module's own row,
            .withRows(
                RowWrite.insert(
                    Row.of("review.pending", "r-8", "s-1", pending)))); // with its event
    List<Row> queue = store.queryRows(RowQuery.builder("review.pending").limit(50).build());
    // docs:end
    try (sessions) {
      run.awaitFinished(Duration.ofMinutes(1));
      assertThat(
              sessions
                  .newSession("triage")
                  .input("again")
                  .idempotencyKey("cron:daily-priorities@2026-03-02T08:00:00Z")
                  .start()
                  .id())
          .isEqualTo(run.id());
      assertThat(queue).extracting(Row::key).containsExactly("r-8");
      assertThat(store.load("s-1", 0)).hasSize(2);
      clock.advance(Duration.ofHours(23));
      assertThat(sessions.fireDueTimers()).isZero();
      clock.advance(Duration.ofHours(1));
      assertThat(sessions.fireDueTimers()).isEqualTo(1);
      assertThat(sessions.fireDueTimers()).isZero();
      assertThat(run.state().status()).isEqualTo(SessionStatus.CANCELLED);
    }
  }

  @Test
  void theRetentionExampleArchivesThenPurgesOldFinishedSessionsAndErasesOnRequest() {
    FakeClock clock = Fixtures.clock();
    Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .model("default", MODEL)
            .agent(AgentSpec.builder("triage").instructions("Triage the ticket.").build())
            .build();
    try (SqliteSessionStore store = SqliteSessionStore.create(dataDir.resolve("retention.db"))) {
      // docs:begin retention
      Map<String, List<StoredEvent>> bucket =
          new ConcurrentHashMap<>(); // stands in for object storage
      SessionArchive archive = (summary, log) -> bucket.put(summary.id(), List.copyOf(log));
      Sessions sessions =
          Sessions.builder(mesh)
              .store(store)
              .retention(Retention.purgeFinishedAfter(Duration.ofDays(30)).archiveTo(archive))
              .build(); // the sweep purges at most once an hour (Retention.checkEvery)
      // ... thirty days after a session finished, the sweep (or sessions.purge() now):
      int purged = sessions.purge(); // archived first; a failing archive deletes nothing
      // an erasure request:
      sessions.delete("s-42"); // its log, summary and lease are gone from the store
      // docs:end
      assertThat(purged).isZero();
      sessions
          .newSession("triage")
          .id("old")
          .input("My invoice is wrong")
          .start()
          .awaitFinished(Duration.ofMinutes(1));
      sessions
          .newSession("triage")
          .id("s-42")
          .input("Forget me")
          .start()
          .awaitFinished(Duration.ofMinutes(1));
      clock.advance(Duration.ofDays(30));
      sessions
          .newSession("triage")
          .id("recent")
          .input("Still open?")
          .start()
          .awaitFinished(Duration.ofMinutes(1));
      clock.advance(Duration.ofSeconds(1));
      assertThat(sessions.delete("s-42")).isTrue();

      assertThat(sessions.purge()).isEqualTo(1);
      assertThat(bucket).containsOnlyKeys("old");
      assertThat(bucket.get("old"))
          .extracting(StoredEvent::type)
          .startsWith("session.created")
          .endsWith("session.completed");
      assertThat(sessions.find("old")).isEmpty();
      assertThat(sessions.find("s-42")).isEmpty();
      assertThat(sessions.find("recent")).isPresent();
      sessions.close();
    }
  }

  @Test
  void moreTurnsAtOnceOnJdk17() throws Exception {
    Mesh mesh = MESH;
    // docs:begin many-turns
    ExecutorService turns = Executors.newFixedThreadPool(4_000); // JDK 17: 4,000 turns at once
    Sessions many = Sessions.builder(mesh).executor(turns).build();
    // docs:end
    try (many) {
      SessionState state =
          many.newSession("triage").input("hi").start().awaitFinished(Duration.ofMinutes(1));
      assertThat(state.output().asString()).isEqualTo("triage: hi");
    } finally {
      turns.shutdown();
    }
  }

  @Test
  void everyJavaBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java", SOURCE);
  }

  /** A view of {@code pool} whose connections use {@code schema}; the pool resets it on return. */
  private static DataSource inSchema(DataSource pool, String schema) {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              try {
                Object result = method.invoke(pool, args);
                if (result instanceof Connection c) {
                  c.setSchema(schema);
                }
                return result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
