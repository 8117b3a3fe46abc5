package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session started under an idempotency key is created once, across nodes. */
class CreateOnceTest {

  private final FakeClock clock = Fixtures.clock();
  private final Mesh mesh = Fixtures.mesh(clock);

  @TempDir Path dir;

  private Sessions node(SessionStore store, String id) {
    return Sessions.builder(mesh)
        .store(store)
        .executor(Runnable::run)
        .scheduler(new ManualScheduler())
        .clock(clock)
        .nodeId(id)
        .build();
  }

  @Test
  void aSecondStartWithTheSameKeyReturnsTheFirstSessionAndCreatesNothing() {
    InMemorySessionStore store = InMemorySessionStore.create();
    try (Sessions sessions = node(store, "a")) {
      Session first =
          sessions
              .newSession("plain")
              .input("daily list")
              .idempotencyKey("cron:daily@2026-01-05T09:00Z")
              .start();
      first.awaitFinished(Duration.ofSeconds(10));
      Session again =
          sessions
              .newSession("plain")
              .input("daily list, again")
              .idempotencyKey("cron:daily@2026-01-05T09:00Z")
              .start();
      Session other =
          sessions
              .newSession("plain")
              .input("next day")
              .idempotencyKey("cron:daily@2026-01-06T09:00Z")
              .start();

      assertThat(again.id()).isEqualTo(first.id());
      assertThat(other.id()).isNotEqualTo(first.id());
      assertThat(sessions.session(first.id()).history())
          .extracting(e -> e.event().type())
          .containsOnlyOnce("session.created");
      assertThat(store.query(SessionQuery.builder().build()).sessions()).hasSize(2);
    }
  }

  @Test
  void ofTwoNodesRacingOneKeyExactlyOneSessionIsCreated() throws Exception {
    SqliteSessionStore fileA = SqliteSessionStore.create(dir.resolve("once.db"));
    SqliteSessionStore fileB = SqliteSessionStore.create(dir.resolve("once.db"));
    InMemorySessionStore memory = InMemorySessionStore.create();
    try (fileA;
        fileB) {
      assertOneSessionPerKey(node(fileA, "a"), node(fileB, "b"), fileA);
      assertOneSessionPerKey(node(memory, "a"), node(memory, "b"), memory);
    }
  }

  private static void assertOneSessionPerKey(Sessions a, Sessions b, SessionStore store)
      throws Exception {
    int threads = 8;
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (a;
        b) {
      List<Future<String>> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Sessions node = t % 2 == 0 ? a : b;
        started.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await(30, TimeUnit.SECONDS);
                  return node.newSession("plain")
                      .input("signup")
                      .idempotencyKey("webhook:delivery-42")
                      .start()
                      .id();
                }));
      }
      ready.await(30, TimeUnit.SECONDS);
      go.countDown();
      List<String> ids = new ArrayList<>();
      for (Future<String> f : started) {
        ids.add(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(ids).as("every start returns the one session").containsOnly(ids.get(0));
      assertThat(store.query(SessionQuery.builder().build()).sessions())
          .extracting(SessionSummary::id)
          .containsExactly(ids.get(0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKeyThatCannotBeStoredIsRefusedWhenSet() {
    try (Sessions sessions = node(InMemorySessionStore.create(), "a")) {
      assertThatThrownBy(() -> sessions.newSession("plain").idempotencyKey("x".repeat(513)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "An idempotency key must be non-blank text of at most 512 characters "
                  + "without U+0000 but had 513 characters; hash long natural keys (say, SHA-256 in "
                  + "hex)");
      assertThatThrownBy(() -> sessions.newSession("plain").idempotencyKey(" "))
          .hasMessageContaining("but had 1 characters (blank)");
    }
  }
}
