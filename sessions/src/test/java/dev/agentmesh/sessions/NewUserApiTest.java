package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.Seeds;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sessions API as a new user meets it from the docs: commands on missing and cancelled
 * sessions, origins from hostile ids and old strings, awaits that run out of time, newBuilder round
 * trips, and one handle shared by many threads.
 */
class NewUserApiTest {

  private final FakeClock clock = Fixtures.clock();
  private final InMemorySessionStore store = InMemorySessionStore.create();

  @TempDir Path dir;

  /** Turns never run: every state stays as the commands appended it. */
  private Sessions idleSessions() {
    return Sessions.builder(Fixtures.mesh(clock))
        .store(store)
        .executor(task -> {})
        .clock(clock)
        .nodeId("a")
        .build();
  }

  @Test
  void anAwaitWithNoTimeLeftStillReturnsASessionThatIsAlreadyFinished() {
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(store)
            .executor(Runnable::run)
            .clock(clock)
            .build();
    Session session = sessions.newSession("plain").input("x").start();
    session.cancel("ana", "changed my mind");

    assertThat(session.awaitFinished(Duration.ZERO).status()).isEqualTo(SessionStatus.CANCELLED);
    assertThat(session.awaitIdle(Duration.ZERO).status()).isEqualTo(SessionStatus.CANCELLED);
    assertThat(session.awaitFinished(Duration.ofMillis(-5)).status())
        .isEqualTo(SessionStatus.CANCELLED);
  }

  @Test
  void aTimeoutSaysWhatItWaitedForAndWhereTheSessionStandsButNotThePrompt() {
    Session session = idleSessions().newSession("plain").input("x").start();
    session.awaitInput("approval", "Approve paying 4,000 EUR to account DE89 3704 0044?");

    assertThatThrownBy(() -> session.awaitFinished(Duration.ofMillis(1)))
        .isInstanceOf(SessionTimeoutException.class)
        .hasMessage(
            "Session '"
                + session.id()
                + "' did not finish within PT0.001S; it is "
                + "waiting at version 2, waiting for [approval]")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("DE89"));
  }

  @Test
  void oldFreeStringsWithABlankIdAfterTheirKindStillReadAsUnknownOrigins() {
    for (String legacy : List.of("human: ", "cron:\t", "webhook:  \n", "human:\u00a0")) {
      Origin origin = Origin.parse(legacy);
      assertThat(origin.kind()).as(legacy).isIn(Origin.Kind.UNKNOWN, Origin.Kind.HUMAN);
      assertThat(origin.key())
          .as("the key stores indexed stays what was written")
          .isEqualTo(legacy);
    }
    assertThat(Origin.parse("session:s-1"))
        .isEqualTo(new Origin(Origin.Kind.SESSION, "s-1", null, null));
  }

  @Test
  void anOldFreeStringTooLongForATypedIdStillReadsAsAnUnknownOriginWithItsKey() {
    String legacy = "human:" + "x".repeat(Origin.MAX_ID_LENGTH + 1);
    tools.jackson.databind.node.ObjectNode v1 =
        tools.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("agent", "triage")
            .put("input", "hi")
            .put("trigger", legacy);
    v1.putObject("participants");

    SessionEvent.Created created =
        (SessionEvent.Created)
            EventCodec.standard().decode("session.created", 1, v1, Instant.EPOCH);

    assertThat(created.origin().kind()).isEqualTo(Origin.Kind.UNKNOWN);
    assertThat(created.origin().key()).isEqualTo(legacy);
    assertThat(Origin.parse("human:" + "x".repeat(Origin.MAX_ID_LENGTH)).kind())
        .isEqualTo(Origin.Kind.HUMAN);
  }

  @Test
  void aVersion1CreatedEventWithABlankIdAfterItsKindStillLoads() {
    tools.jackson.databind.node.ObjectNode v1 =
        tools.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("agent", "triage")
            .put("input", "hi")
            .put("trigger", "human: ");
    v1.putObject("participants");

    SessionEvent.Created created =
        (SessionEvent.Created)
            EventCodec.standard().decode("session.created", 1, v1, Instant.EPOCH);

    assertThat(created.origin().key()).isEqualTo("human: ");
  }

  @Test
  void everyCommandThatWouldChangeACancelledSessionIsRefusedSayingItWasCancelled() {
    Session session =
        idleSessions()
            .newSession("plain")
            .input("x")
            .participant("ana", ParticipantRole.OWNER)
            .start();
    session.awaitInput("approval", "ok?");
    SessionState cancelled = session.cancel("ana", "changed my mind");

    List<Consumer<Session>> refused =
        List.of(
            s -> s.post("ana", "hi"),
            s -> s.postTo("ana", "reviewer", "hi"),
            s -> s.postAsAgent("reviewer", "hi"),
            s -> s.join("bo", ParticipantRole.MEMBER),
            s -> s.pause("ana"),
            s -> s.resume("ana"),
            s -> s.awaitInput("other", "ok?"),
            s -> s.provideInput("approval", "yes", "ana"),
            s -> s.resolveUnknownOutcome("c-1", "r", "ana"),
            s -> s.failUnknownOutcome("c-1", "f", "ana"));
    for (Consumer<Session> command : refused) {
      assertThatThrownBy(() -> command.accept(session))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Session '" + session.id() + "' was cancelled, so nothing can ")
          .hasMessageEndingWith("; fork it to continue from an earlier point");
    }
    assertThat(session.cancel("bo", "again")).isEqualTo(cancelled);
    assertThat(session.state()).isEqualTo(cancelled);
    assertThat(session.awaitFinished(Duration.ofSeconds(1))).isEqualTo(cancelled);
    assertThat(session.fork(2).state().status()).isEqualTo(SessionStatus.WAITING);
  }

  @Test
  void originIdsMustNameSomethingAndMessagesShowControlCharactersEscapedAndShort() {
    List<String> blank = List.of("", " ", "\t\n", "\u2028 ");
    for (String id : blank) {
      assertThatThrownBy(() -> Origin.human(id)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Origin.cron(id, Instant.EPOCH))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Origin.human(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Origin.cron("daily", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Origin.webhook("zendesk", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Origin.human("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\\0");
    assertThatThrownBy(() -> Origin.webhook("zendesk", "d\0"))
        .as("a NUL no store can keep is refused where it is made, not at start()")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Origin.human("é".repeat(Origin.MAX_ID_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("An origin's id is at most 500 characters (stores index it; ")
        .hasMessageContaining("but was 501 characters: '" + "é".repeat(60) + "... (501 ");
    String huge = " ".repeat(100_000);
    assertThatThrownBy(() -> Origin.human(huge))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void anOriginWithNewlinesAndAHugeIdSurvivesTheStoreAndIsFoundByQuery() {
    SqliteSessionStore sqlite = SqliteSessionStore.create(dir.resolve("o.db"));
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(sqlite)
            .executor(task -> {})
            .clock(clock)
            .build();
    Origin odd = Origin.webhook("line1\nline2\t\u0007 é ✓", "d-1\r\n");
    Origin big = Origin.human("x".repeat(Origin.MAX_ID_LENGTH));
    Session a = sessions.newSession("plain").input("x").origin(odd).start();
    Session b = sessions.newSession("plain").input("x").origin(big).start();

    assertThat(a.state().origin()).isEqualTo(odd);
    assertThat(b.state().origin()).isEqualTo(big);
    assertThat(sessions.query(SessionQuery.builder().origin(odd).build()).sessions())
        .extracting(SessionSummary::id)
        .containsExactly(a.id());
    assertThat(sessions.query(SessionQuery.builder().origin(big).build()).sessions())
        .extracting(SessionSummary::id)
        .containsExactly(b.id());
    assertThat(
            sessions
                .query(
                    SessionQuery.builder()
                        .origin(Origin.webhook("line1\nline2\t\u0007 é ✓", "another delivery"))
                        .build())
                .sessions())
        .as("every delivery of one trigger shares its key")
        .extracting(SessionSummary::id)
        .containsExactly(a.id());
  }

  @Test
  void aChildSessionNamesItsStarterAndAForkItsParentAndAForkOfAChildKeepsTheStarter() {
    Sessions sessions = idleSessions();
    Session parent = sessions.newSession("plain").input("x").origin(Origin.human("ana")).start();
    Session child =
        sessions
            .newSession("plain")
            .input("y")
            .origin(Origin.session(parent.id(), "run-1"))
            .start();
    Session forkOfChild = child.fork(1);
    Session forkOfParent = parent.fork(1);

    assertThat(child.state().startedBy()).isEqualTo(parent.id());
    assertThat(child.state().forkedFrom()).isNull();
    assertThat(forkOfParent.state().forkedFrom()).isEqualTo(parent.id());
    assertThat(forkOfParent.state().startedBy()).isNull();
    assertThat(forkOfChild.state().forkedFrom()).isEqualTo(child.id());
    assertThat(forkOfChild.state().startedBy()).isEqualTo(parent.id());
    assertThat(store.find(forkOfChild.id()).orElseThrow().forkedFrom()).isEqualTo(child.id());
    assertThat(store.find(child.id()).orElseThrow().forkedFrom()).isNull();
  }

  @Test
  void oneHandleUsedByEightThreadsLosesNoPostAndEachStateIsAfterItsOwnPost() throws Exception {
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(store)
            .executor(Executors.newFixedThreadPool(2))
            .clock(clock)
            .build();
    Session session =
        sessions.newSession("plain").input("x").participant("ana", ParticipantRole.OWNER).start();
    int threads = 8;
    int posts = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<SessionState>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      results.add(
          pool.submit(
              () -> {
                go.await();
                List<SessionState> states = new ArrayList<>();
                for (int i = 0; i < posts; i++) {
                  states.add(session.post("ana", "t" + thread + "-" + i));
                }
                return states;
              }));
    }
    go.countDown();
    List<SessionState> all = new ArrayList<>();
    for (Future<List<SessionState>> f : results) {
      all.addAll(f.get());
    }
    pool.shutdown();
    session.awaitIdle(Duration.ofMinutes(1));

    List<LoggedEvent> log = session.history();
    List<String> posted =
        log.stream()
            .map(LoggedEvent::event)
            .filter(e -> e instanceof SessionEvent.MessagePosted)
            .map(e -> ((SessionEvent.MessagePosted) e).text())
            .toList();
    assertThat(posted).hasSize(threads * posts).doesNotHaveDuplicates();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < posts; i++) {
        int thread = t;
        int post = i;
        SessionState state = all.get(t * posts + i);
        SessionEvent at = log.get((int) state.version() - 1).event();
        assertThat(at)
            .as("the event at the returned state's version is the post itself")
            .isInstanceOfSatisfying(
                SessionEvent.MessagePosted.class,
                m -> assertThat(m.text()).isEqualTo("t" + thread + "-" + post));
      }
    }
    Set<Long> versions = new java.util.HashSet<>();
    all.forEach(s -> versions.add(s.version()));
    assertThat(versions).as("each post returns its own version").hasSize(threads * posts);
    sessions.close();
  }

  @Test
  void aSessionIdThatNamesNothingIsRefusedWhereItIsSetNamingTheSetting() {
    Sessions sessions = idleSessions();
    for (String id : List.of("", "  ", "a\0b")) {
      assertThatThrownBy(() -> sessions.newSession("plain").id(id))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("id must name the new session");
    }
    assertThat(sessions.query(SessionQuery.builder().build()).sessions()).isEmpty();
  }

  @Test
  void unknownIdsThrowTheOneNotFoundExceptionFromEveryLookup() {
    Sessions sessions = idleSessions();

    assertThatThrownBy(() -> sessions.session("nope")).isInstanceOf(SessionNotFoundException.class);
    assertThatThrownBy(() -> sessions.retryQuarantined("nope"))
        .isInstanceOfSatisfying(
            SessionNotFoundException.class, e -> assertThat(e.sessionId()).isEqualTo("nope"));
    assertThat(sessions.find("nope")).isEmpty();
    assertThatThrownBy(() -> sessions.newSession("plain").input("x").start().fork(99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("its versions are 1 to 1");
  }

  @Test
  void newBuilderOfSessionsKeepsTheIdsTheClockAndTheStore() {
    Sessions first =
        Sessions.builder(Fixtures.mesh(clock))
            .store(store)
            .executor(task -> {})
            .clock(clock)
            .ids(() -> "fixed-id")
            .nodeId("a")
            .leaseTtl(Duration.ofSeconds(7))
            .build();
    clock.advance(Duration.ofHours(1));

    Session made = first.newBuilder().nodeId("b").build().newSession("plain").input("x").start();

    assertThat(made.id()).isEqualTo("fixed-id");
    assertThat(made.state().createdAt()).isEqualTo(clock.instant());
    assertThat(first.session("fixed-id")).isEqualTo(first.find("fixed-id").orElseThrow());
  }

  @Test
  void newBuilderOfAQueryAndASummaryKeepsEverySetting() {
    SessionQuery query =
        SessionQuery.builder()
            .status("waiting")
            .agent("triage")
            .participant("ana")
            .origin(Origin.cron("daily", Instant.EPOCH))
            .createdFrom(Instant.parse("2026-01-01T00:00:00Z"))
            .createdBefore(Instant.parse("2026-02-01T00:00:00Z"))
            .quarantined(false)
            .limit(17)
            .build();
    SessionQuery again = query.newBuilder().build();
    assertThat(again).usingRecursiveComparison().isEqualTo(query);
    assertThat(again.origin()).isEqualTo("cron:daily");

    SessionSummary summary =
        SessionSummary.builder("s-1")
            .agent("triage")
            .status("waiting")
            .runnable(true)
            .origin("human:ana")
            .participants(Set.of("ana", "bo"))
            .forkedFrom("s-0")
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
            .updatedAt(Instant.parse("2026-01-02T00:00:00Z"))
            .version(9)
            .quarantine("bad row")
            .build();
    assertThat(summary.newBuilder().build()).isEqualTo(summary);
  }

  static java.util.stream.Stream<Long> seeds() {
    return Seeds.of(20);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
  @org.junit.jupiter.params.provider.MethodSource("seeds")
  void everyOldFreeStringReadsAsAnOriginWhoseKeyIsThatString(long seed) {
    Seeds.print(NewUserApiTest.class, seed);
    java.util.Random random = new java.util.Random(seed);
    String[] parts = {
      "human",
      "cron",
      "session",
      "fax",
      "HUMAN",
      ":",
      ":",
      " ",
      "\t",
      "\n",
      "\u0007",
      "ana",
      "é",
      "✓",
      "\uD83D\uDE00",
      "",
      "manual",
      "\u00a0",
      "::"
    };
    for (int n = 0; n < 500; n++) {
      StringBuilder b = new StringBuilder();
      for (int i = random.nextInt(5); i >= 0; i--) {
        b.append(parts[random.nextInt(parts.length)]);
      }
      String legacy = b.toString();
      if (legacy.isBlank()) {
        assertThatThrownBy(() -> Origin.parse(legacy))
            .as("'%s'", legacy)
            .isInstanceOf(IllegalArgumentException.class);
        continue;
      }
      Origin origin = Origin.parse(legacy);
      assertThat(origin.key()).as("the key of '%s' (seed %s)", legacy, seed).isEqualTo(legacy);
      assertThat(Origin.parse(origin.key())).isEqualTo(origin);
    }
  }

  @Test
  void everyVersion1CreatedEventOfTheCorpusKeepsItsFreeStringAsItsOriginKey() throws Exception {
    Path corpus = Path.of("src/test/resources/events/v1");
    List<Path> created;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(corpus)) {
      created =
          files
              .filter(f -> f.getFileName().toString().startsWith("session.created"))
              .sorted()
              .toList();
    }
    assertThat(created).hasSizeGreaterThanOrEqualTo(2);
    for (Path file : created) {
      tools.jackson.databind.JsonNode row =
          EventCodec.MAPPER.readTree(java.nio.file.Files.readString(file));
      String trigger = row.get("payload").get("trigger").asString();

      SessionEvent.Created read =
          (SessionEvent.Created)
              EventCodec.standard()
                  .decode(
                      "session.created",
                      1,
                      row.get("payload"),
                      Instant.parse(row.get("at").asString()));

      assertThat(read.origin().key()).as(file.toString()).isEqualTo(trigger);
      assertThat(read.origin()).isEqualTo(Origin.parse(trigger));
    }
    assertThat(Origin.parse("webhook:zendesk"))
        .isEqualTo(new Origin(Origin.Kind.WEBHOOK, "zendesk", null, null));
  }

  @Test
  void aMeshWithSeveralAgentsRequiringReviewIsRefusedNamingEachOfThem() {
    dev.agentmesh.core.Mesh mesh =
        dev.agentmesh.core.Mesh.builder()
            .model("default", request -> dev.agentmesh.core.spi.ChatResponse.ofText("done"))
            .agent(
                dev.agentmesh.core.AgentSpecs.parse(
                    "name: publisher\ninstructions: P.\n" + "review:\n  required: true\n",
                    "agents/publisher.yaml"))
            .agent(
                dev.agentmesh.core.AgentSpecs.parse(
                    "name: mailer\ninstructions: M.\n" + "review:\n  required: true\n",
                    "agents/mailer.yaml"))
            .agent(
                dev.agentmesh.core.AgentSpecs.parse(
                    "name: drafter\ninstructions: D.\n", "agents/drafter.yaml"))
            .build();

    assertThatThrownBy(() -> Sessions.builder(mesh).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'publisher' (agents/publisher.yaml)")
        .hasMessageContaining("'mailer' (agents/mailer.yaml)")
        .hasMessageContaining("or set review.required: false")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("drafter"));
    assertThat(mesh.agent("mailer").call("go").output().asString()).isEqualTo("done");
    assertThat(mesh.agent("drafter").call("go").output().asString()).isEqualTo("done");
  }

  @Test
  void twoNodesOnOneStoreSeeEachOthersSessionsAndLoseNoConcurrentPost() throws Exception {
    Path file = dir.resolve("two-nodes.db");
    Sessions a =
        Sessions.builder(Fixtures.mesh(clock))
            .store(SqliteSessionStore.create(file))
            .executor(task -> {})
            .clock(clock)
            .nodeId("a")
            .build();
    Sessions b =
        Sessions.builder(Fixtures.mesh(clock))
            .store(SqliteSessionStore.create(file))
            .executor(task -> {})
            .clock(clock)
            .nodeId("b")
            .build();
    Session onA =
        a.newSession("plain")
            .input("x")
            .participant("ana", ParticipantRole.OWNER)
            .origin(Origin.human("ana"))
            .start();
    Session onB = b.find(onA.id()).orElseThrow();
    onB.awaitInput("approval", "ok?");
    assertThat(onA.state().waits()).containsKey("approval");
    assertThat(b.session(onA.id()).state().origin()).isEqualTo(Origin.human("ana"));

    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Session handle = t % 2 == 0 ? onA : onB;
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < 10; i++) {
                  handle.post("ana", "t" + thread + "-" + i);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    List<String> posted =
        onA.history().stream()
            .map(LoggedEvent::event)
            .filter(e -> e instanceof SessionEvent.MessagePosted)
            .map(e -> ((SessionEvent.MessagePosted) e).text())
            .toList();
    assertThat(posted).hasSize(80).doesNotHaveDuplicates();
    assertThat(onB.state().version()).isEqualTo(onA.state().version()).isEqualTo(82);
  }

  @Test
  void aLookupByAnIdNoSessionCanHaveIsAProgrammerErrorOnEveryStore() {
    Sessions inMemory = idleSessions();
    Sessions sqlite =
        Sessions.builder(Fixtures.mesh(clock))
            .store(SqliteSessionStore.create(dir.resolve("ids.db")))
            .executor(task -> {})
            .clock(clock)
            .build();
    for (Sessions sessions : List.of(inMemory, sqlite)) {
      for (String id : List.of("", " ", "a\0b")) {
        assertThatThrownBy(() -> sessions.find(id))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("Session id must be non-blank text without U+0000");
        assertThatThrownBy(() -> sessions.session(id)).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }
}
