package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runtime's rows and events on every store: a proposal waits, a second node decides it after a
 * restart, its expiry and notification rows are claimed and settled there.
 */
class ReviewStoresTest {

  private static final String SCHEMA = PostgresTestDatabase.newSchema("review_runtime");
  private ReviewHarness world;
  @TempDir Path dir;

  @AfterAll
  static void drop() {
    PostgresTestDatabase.get().dropSchema(SCHEMA);
  }

  @AfterEach
  void close() {
    if (world != null) {
      world.close();
    }
  }

  static Stream<Arguments> stores() {
    return Stream.of(
        Arguments.of(
            "in-memory", (Function<Path, SessionStore>) d -> InMemorySessionStore.create()),
        Arguments.of(
            "sqlite",
            (Function<Path, SessionStore>) d -> SqliteSessionStore.create(d.resolve("r.db"))),
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
  void aProposalWaitsOnOneNodeAndIsDecidedNotifiedAndSentOnceOnAnother(
      String name, Function<Path, SessionStore> store) {
    world = new ReviewHarness(store.apply(dir), p -> p.expiry(Duration.ofHours(2)));
    List<String> told = new CopyOnWriteArrayList<>();
    ReviewHarness.Node a = world.node("a", world.reviews().notifier("log", n -> told.add(n.id())));
    Session session = a.start("Invoice 30 on " + name);
    ReviewState review = a.pending(session);
    a.reviews().close();

    ReviewHarness.Node b = world.node("b", world.reviews().notifier("log", n -> told.add(n.id())));
    ReviewOutcome outcome =
        b.reviews().decide(review.id(), review.hash(), "t-cy", Decision.approve());
    assertThat(b.reviews().runDue()).as("two notifications, the expiry row is gone").isEqualTo(2);
    world.clock.advance(Duration.ofHours(3));

    assertThat(outcome.effect()).isEqualTo(EffectStatus.APPLIED);
    assertThat(b.reviews().runDue()).isZero();
    assertThat(world.sent).hasSize(1);
    assertThat(told)
        .containsExactlyInAnyOrder(
            review.id() + ":review_requested", review.id() + ":decided:" + outcome.decisionId());
    assertThat(b.sessions().session(session.id()).awaitFinished(ReviewHarness.WAIT).status())
        .isEqualTo(SessionStatus.COMPLETED);
  }
}
