package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event the runtime writes is read back by a fresh store instance, with no cache of the node
 * that wrote it: the in-memory store by a new {@link Sessions} over the same store object, SQLite
 * by reopening the file, PostgreSQL by a new store instance. Both a session driven through every
 * command (an unknown outcome resolved as a failure among them) and one event of every type and
 * optional branch of the corpus.
 */
class FreshStoreReadBackTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dir;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final FakeClock clock = Fixtures.clock();

  /**
   * A kind of store: how to make the writer's instance and, later, a fresh one over the same data.
   */
  interface Kind {
    SessionStore writer();

    SessionStore fresh();
  }

  static Stream<String> kinds() {
    return Stream.of("in-memory", "sqlite", "postgresql");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private Kind kind(String name) {
    switch (name) {
      case "in-memory":
        {
          InMemorySessionStore shared = InMemorySessionStore.create();
          return of(() -> shared, () -> shared);
        }
      case "sqlite":
        {
          Path file = dir.resolve(PostgresTestDatabase.newSchema("readback") + ".db");
          return of(
              () -> track(SqliteSessionStore.create(file)),
              () -> track(SqliteSessionStore.create(file)));
        }
      default:
        {
          PostgresTestDatabase db = PostgresTestDatabase.get();
          String schema = PostgresTestDatabase.newSchema("readback");
          opened.add(() -> db.dropSchema(schema));
          Supplier<SessionStore> open =
              () -> PostgresSessionStore.builder(db.dataSource()).schema(schema).build();
          return of(open, open);
        }
    }
  }

  private static Kind of(Supplier<SessionStore> writer, Supplier<SessionStore> fresh) {
    return new Kind() {
      public SessionStore writer() {
        return writer.get();
      }

      public SessionStore fresh() {
        return fresh.get();
      }
    };
  }

  private <T extends AutoCloseable> T track(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  private Sessions sessions(Mesh mesh, SessionStore store, String node) {
    return Sessions.builder(mesh)
        .store(store)
        .executor(Runnable::run)
        .scheduler(new ManualScheduler())
        .clock(clock)
        .nodeId(node)
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyEventTheRuntimeWritesIsReadBackByAFreshStore(String name) {
    Kind kind = kind(name);
    SessionStore store = kind.writer();
    Mesh mesh = Fixtures.mesh(clock, Fixtures.tool("charge", false, new AtomicInteger()));
    Sessions dying =
        Sessions.builder(mesh)
            .store(new CrashingStore(store, "agent.tool.returned", "charge", 1))
            .executor(Runnable::run)
            .scheduler(new ManualScheduler())
            .clock(clock)
            .nodeId("dying")
            .build();
    assertThatThrownBy(
            () ->
                dying
                    .newSession("assistant")
                    .id("s-1")
                    .input("bill them")
                    .participant("ana", ParticipantRole.OWNER)
                    .start())
        .isInstanceOf(CrashingStore.Crash.class);
    clock.advance(Duration.ofMinutes(1));
    Sessions node = sessions(mesh, store, "survivor");
    node.recoverOrphans();
    String callId = node.session("s-1").state().unknownOutcomes().get(0).callId();

    node.session("s-1").failUnknownOutcome(callId, "The card was declined", "ana");
    node.session("s-1").awaitFinished(WAIT);
    node.session("s-1").join("bo", ParticipantRole.MEMBER);
    node.session("s-1").postTo("bo", "reviewer", "Is it safe?");
    node.session("s-1").awaitFinished(WAIT);
    node.session("s-1").awaitInput("approval", "Ship it?");
    node.session("s-1").provideInput("approval", "yes", "ana");
    node.session("s-1").awaitFinished(WAIT);
    node.session("s-1").pause("ana");
    node.session("s-1").resume("ana");
    node.session("s-1").postAsAgent("researcher", "Found the invoice");
    node.session("s-1").awaitFinished(WAIT);
    String fork = node.session("s-1").fork(3).id();
    node.session("s-1").cancel("ana", "done");
    List<LoggedEvent> written = node.session("s-1").history();
    SessionState state = node.session("s-1").state();

    Sessions reader = sessions(mesh, kind.fresh(), "reader");
    assertThat(reader.session("s-1").history()).isEqualTo(written);
    assertThat(reader.session("s-1").state()).isEqualTo(state);
    assertThat(reader.session(fork).state().forkedFrom()).isEqualTo("s-1");
    assertThat(written)
        .extracting(e -> e.event().type())
        .contains(
            "tool.outcome-unknown",
            "tool.outcome-resolved",
            "participant.joined",
            "input.waiting",
            "input.received",
            "session.paused",
            "session.resumed",
            "session.completed",
            "session.cancelled");
    assertThat(state.transcript())
        .anySatisfy(m -> assertThat(m.text()).contains("The card was declined"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyTypeAndBranchOfTheCorpusIsReadBackByAFreshStore(String name) {
    Kind kind = kind(name);
    SessionStore store = kind.writer();
    EventCodec codec = EventCodec.standard();
    List<SessionEvent> samples = EventCodecTest.samples();
    SessionSummary summary = SessionSummary.builder("s-all").agent("triage").build();
    long version = 0;
    for (SessionEvent event : samples) {
      version = store.append("s-all", version, List.of(codec.encode(event)), summary);
    }

    List<SessionEvent> read = kind.fresh().load("s-all", 0).stream().map(codec::decode).toList();

    assertThat(read).containsExactlyElementsOf(samples);
  }
}
