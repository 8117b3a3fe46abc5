package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.SessionChange;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testsupport.CountingDataSource;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The commits a durable turn costs (docs/sessions.md, "What is on disk before each step"): a turn
 * without tools is two (the session with its lease; the run, the answer, the output and the
 * completion with the lease released), a turn with one tool call that is not idempotent is three
 * (its call is stored before it runs), counted as the store's writes and, on PostgreSQL, as the
 * write transactions the database commits. The log keeps every event. On PostgreSQL it also counts
 * the round trips, one per commit and the await's read, so that a statement added to the append (a
 * separate {@code pg_notify}, a read-back) shows here.
 */
class CommitsPerTurnTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final List<String> SCHEMAS = new ArrayList<>();

  @TempDir static Path dir;

  @AfterAll
  static void dropSchemas() {
    SCHEMAS.forEach(PostgresTestDatabase.get()::dropSchema);
  }

  static Stream<Arguments> stores() {
    return Stream.of(
        Arguments.of("memory", (StoreMaker) () -> InMemorySessionStore.create()),
        Arguments.of(
            "sqlite",
            (StoreMaker)
                () ->
                    SqliteSessionStore.create(dir.resolve("commits-" + System.nanoTime() + ".db"))),
        Arguments.of(
            "postgres",
            (StoreMaker) () -> postgres(PostgresTestDatabase.get().dataSource(), "commits")));
  }

  @FunctionalInterface
  interface StoreMaker {
    SessionStore make();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  @DisplayName("a turn without tools writes twice and logs every event")
  void aTurnWithoutToolsWritesTwice(String name, StoreMaker maker) throws Exception {
    CountingStore store = new CountingStore(maker.make());
    try (Sessions sessions = sessions(store, Tool.NONE)) {
      store.writes.set(0);

      SessionState done =
          sessions.newSession("triage").input("My invoice is wrong").start().awaitFinished(WAIT);

      assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
      assertThat(store.writes).as("writes of one turn without tools").hasValue(2);
      assertThat(types(sessions, done.id()))
          .containsExactly(
              "session.created",
              "agent.run.started",
              "agent.model.called",
              "agent.model.responded",
              "agent.output.produced",
              "session.completed");
      assertThat(store.tryAcquireLease(done.id(), "another-node", Instant.now(), WAIT))
          .as("the lease was released with the last append")
          .isPresent();
    } finally {
      closeIfCloseable(store.delegate);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  @DisplayName("a turn with one tool call that is not idempotent writes three times")
  void aTurnWithOneNonIdempotentToolWritesThrice(String name, StoreMaker maker) throws Exception {
    CountingStore store = new CountingStore(maker.make());
    try (Sessions sessions = sessions(store, Tool.CHARGE)) {
      store.writes.set(0);

      SessionState done =
          sessions.newSession("triage").input("Refund order 7").start().awaitFinished(WAIT);

      assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
      assertThat(store.writes).as("writes of one turn with one charge").hasValue(3);
      assertThat(store.writeSizes)
          .as("the charge's call is the last event of the second write")
          .containsExactly(1, 4, 5);
      assertThat(types(sessions, done.id()))
          .containsExactly(
              "session.created",
              "agent.run.started",
              "agent.model.called",
              "agent.model.responded",
              "agent.tool.called",
              "agent.tool.returned",
              "agent.model.called",
              "agent.model.responded",
              "agent.output.produced",
              "session.completed");
    } finally {
      closeIfCloseable(store.delegate);
    }
  }

  @Test
  @DisplayName("a turn with an idempotent tool call writes twice: the call may run again")
  void aTurnWithAnIdempotentToolWritesTwice() {
    CountingStore store = new CountingStore(InMemorySessionStore.create());
    try (Sessions sessions = sessions(store, Tool.LOOKUP)) {
      store.writes.set(0);

      SessionState done =
          sessions.newSession("triage").input("Where is order 7").start().awaitFinished(WAIT);

      assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
      assertThat(store.writes).hasValue(2);
      assertThat(types(sessions, done.id())).contains("agent.tool.called", "agent.tool.returned");
    }
  }

  @Test
  @DisplayName("PostgreSQL commits two write transactions for a turn without tools, three with one")
  void postgresCommitsTwoWriteTransactionsPerTurnAndThreeWithATool() {
    CountingDataSource counter = CountingDataSource.of(PostgresTestDatabase.get().dataSource());
    DataSource counted = counter.dataSource();
    SessionStore store = postgres(counted, "commits_tx");
    try (Sessions plain = sessions(store, Tool.NONE);
        Sessions charging = sessions(store, Tool.CHARGE)) {
      counter.reset();
      SessionState first =
          plain.newSession("triage").input("My invoice is wrong").start().awaitFinished(WAIT);
      int withoutTools = counter.writeCommits();
      counter.reset();
      SessionState second =
          charging.newSession("triage").input("Refund order 7").start().awaitFinished(WAIT);
      int withTool = counter.writeCommits();

      assertThat(first.status()).isEqualTo(SessionStatus.COMPLETED);
      assertThat(second.status()).isEqualTo(SessionStatus.COMPLETED);
      assertThat(withoutTools).as("write transactions of a turn without tools").isEqualTo(2);
      assertThat(withTool).as("write transactions of a turn with one charge").isEqualTo(3);
    }
  }

  /**
   * The raw-JDBC floor of {@code DurableTurnBenchmark} makes three round trips per commit (the
   * summary's statement, the events' batch, the commit): six for a turn without tools, nine with
   * one charge. A turn of the runtime makes one per commit (the summary's write, the events' insert
   * and the change notice are one statement, its own transaction) and one more, the await's read of
   * the log's tail.
   */
  @Test
  @DisplayName(
      "PostgreSQL: a turn costs one round trip per commit and the await's read, and every commit"
          + " still reaches the change feed")
  void postgresMakesOneRoundTripPerCommitAndEachWakesTheChangeFeed() throws Exception {
    CountingDataSource counter = CountingDataSource.of(PostgresTestDatabase.get().dataSource());
    SessionStore store = postgres(counter.dataSource(), "commits_trips");
    BlockingQueue<SessionChange> heard = new LinkedBlockingQueue<>();
    CountDownLatch live = new CountDownLatch(1);
    try (SessionStore.Subscription feed =
            store.subscribe(
                new SessionStore.ChangeListener() {
                  @Override
                  public void changed(SessionChange change) {
                    heard.add(change);
                  }

                  @Override
                  public void connected() {
                    live.countDown();
                  }
                });
        Sessions plain = sessions(store, Tool.NONE);
        Sessions charging = sessions(store, Tool.CHARGE)) {
      assertThat(live.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("the feed listens")
          .isTrue();
      counter.countOnly(Thread.currentThread()); // not the feed's thread, nor its re-reads

      counter.reset();
      SessionState first =
          plain.newSession("triage").input("My invoice is wrong").start().awaitFinished(WAIT);
      List<String> withoutTools = counter.trips();
      counter.reset();
      SessionState second =
          charging.newSession("triage").input("Refund order 7").start().awaitFinished(WAIT);
      List<String> withTool = counter.trips();

      assertThat(kinds(withoutTools))
          .as("round trips of a turn without tools: %s", withoutTools)
          .containsExactly(
              "create with events and notice", "append with events and notice", "read");
      assertThat(kinds(withTool))
          .as("round trips of a turn with one charge: %s", withTool)
          .containsExactly(
              "create with events and notice",
              "append with events and notice",
              "append with events and notice",
              "read");
      assertThat(versionsHeard(heard, first.id(), 6))
          .as("the feed heard each commit of the first turn")
          .containsExactly(1L, 6L);
      assertThat(versionsHeard(heard, second.id(), 10))
          .as("the feed heard each commit of the second turn")
          .containsExactly(1L, 5L, 10L);
    }
  }

  /** What each round trip was, by the start of its SQL. */
  private static List<String> kinds(List<String> trips) {
    return trips.stream()
        .map(
            sql ->
                sql.startsWith("WITH s AS (INSERT INTO")
                    ? "create with events and notice"
                    : sql.startsWith("WITH s AS (UPDATE")
                        ? "append with events and notice"
                        : sql.startsWith("SELECT version, type") ? "read" : sql)
        .toList();
  }

  /** The versions of {@code id} the feed reports, up to {@code last} (waited for). */
  private static List<Long> versionsHeard(BlockingQueue<SessionChange> heard, String id, long last)
      throws InterruptedException {
    List<Long> versions = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!versions.contains(last)) {
      SessionChange change = heard.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (change == null) {
        break;
      }
      if (change.sessionId().equals(id)) {
        versions.add(change.version());
      }
    }
    return versions;
  }

  // ---- fixtures ------------------------------------------------------------------------------

  private enum Tool {
    NONE,
    CHARGE,
    LOOKUP
  }

  private static Sessions sessions(SessionStore store, Tool tool) {
    ChatModel model =
        request -> {
          List<ChatMessage> messages = request.messages();
          ChatMessage last = messages.get(messages.size() - 1);
          if (tool == Tool.NONE || last.role() == ChatMessage.Role.TOOL) {
            return ChatResponse.ofText("Priority: high. " + last.textOrEmpty());
          }
          String name = tool == Tool.CHARGE ? "charge" : "lookup";
          return ChatResponse.ofToolCalls(
              ToolCall.of("call-1", name, JsonNodeFactory.instance.objectNode().put("order", "7")));
        };
    AgentSpec.Builder spec = AgentSpec.builder("triage").instructions("Triage the ticket.");
    Mesh.Builder mesh = Mesh.builder().model("default", model);
    if (tool != Tool.NONE) {
      String name = tool == Tool.CHARGE ? "charge" : "lookup";
      mesh.tool(
          AgentTool.builder(name)
              .description("Acts on an order")
              .idempotent(tool == Tool.LOOKUP)
              .handler((args, ctx) -> "done")
              .build());
      spec.tools(name);
    }
    return Sessions.builder(mesh.agent(spec.build()).build())
        .store(store)
        .executor(Runnable::run)
        .build();
  }

  private static List<String> types(Sessions sessions, String id) {
    return sessions.session(id).history().stream().map(e -> e.event().type()).toList();
  }

  private static SessionStore postgres(DataSource dataSource, String prefix) {
    String schema = PostgresTestDatabase.newSchema(prefix);
    SCHEMAS.add(schema);
    return PostgresSessionStore.builder(dataSource).schema(schema).build();
  }

  private static void closeIfCloseable(SessionStore store) throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /** Counts the store calls that write: appends (with their sizes) and lease changes. */
  private static final class CountingStore extends ForwardingStore {
    final AtomicInteger writes = new AtomicInteger();
    final List<Integer> writeSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

    CountingStore(SessionStore delegate) {
      super(delegate);
    }

    @Override
    public long append(Append append) {
      writes.incrementAndGet();
      writeSizes.add(append.events().size());
      return super.append(append);
    }

    @Override
    public Optional<Lease> tryAcquireLease(String id, String owner, Instant now, Duration ttl) {
      writes.incrementAndGet();
      return super.tryAcquireLease(id, owner, now, ttl);
    }

    @Override
    public boolean releaseLease(String id, String owner) {
      writes.incrementAndGet();
      return super.releaseLease(id, owner);
    }

    @Override
    public List<String> claim(String owner, Instant now, Duration ttl, int limit) {
      writes.incrementAndGet();
      return super.claim(owner, now, ttl, limit);
    }
  }
}
