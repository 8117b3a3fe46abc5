package dev.agentmesh.sessions.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.CreateBatch;
import dev.agentmesh.sessions.spi.CreateOutcome;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch part of {@link SessionStoreCompatibilityKit}: {@link SessionStore#createAll} (many
 * sessions, each created with its rows; a taken key skips its item only) and {@link
 * SessionStore#lastRows}, run as its nested class {@code Batches} against the kit's store.
 */
abstract class BatchCreateCompatibilityCases {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  /** The kit's store under test. */
  abstract SessionStore store();

  /** Another instance over the same data, as a second node would open it. */
  abstract SessionStore another();

  @Test
  void aBatchCreatesEverySessionWithItsEventsAndRows() {
    List<Append> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      items.add(create("s-" + i).withRows(RowWrite.insert(claim("daily@" + i, "s-" + i))));
    }
    List<CreateOutcome> outcomes = store().createAll(CreateBatch.of(items));

    assertThat(outcomes).extracting(CreateOutcome::created).containsOnly(true);
    assertThat(outcomes)
        .extracting(CreateOutcome::sessionId)
        .containsExactly("s-0", "s-1", "s-2", "s-3", "s-4");
    for (int i = 0; i < 5; i++) {
      assertThat(store().load("s-" + i, 0)).hasSize(2);
      assertThat(store().find("s-" + i).orElseThrow().version()).isEqualTo(2);
      assertThat(store().find("s-" + i).orElseThrow().participants())
          .containsExactlyInAnyOrder("ana", "bo");
      assertThat(store().findRow("triggers.claim", "daily@" + i).orElseThrow().sessionId())
          .isEqualTo("s-" + i);
    }
    assertThat(another().find("s-3")).isPresent();
    // the new sessions take appends like any other
    store().append(Append.of("s-0", 2, List.of(event(3)), summary("s-0")));
    assertThat(store().load("s-0", 0)).hasSize(3);
  }

  @Test
  void aTakenKeySkipsItsItemOnlyAndNamesTheSessionHoldingIt() {
    store().append(create("old").withRows(RowWrite.insert(claim("daily@2", "old"))));
    List<Append> items = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      items.add(
          create("s-" + i)
              .withRows(
                  RowWrite.insert(claim("other@" + i, "s-" + i)),
                  RowWrite.insert(claim("daily@" + i, "s-" + i))));
    }
    List<CreateOutcome> outcomes = store().createAll(CreateBatch.of(items));

    assertThat(outcomes)
        .extracting(CreateOutcome::created)
        .containsExactly(true, true, false, true);
    CreateOutcome skipped = outcomes.get(2);
    assertThat(skipped.takenNamespace()).isEqualTo("triggers.claim");
    assertThat(skipped.takenKey()).isEqualTo("daily@2");
    assertThat(skipped.takenBy()).isEqualTo("old");
    // nothing of the skipped item: not its session, not its other (free) key
    assertThat(store().find("s-2")).isEmpty();
    assertThat(store().load("s-2", 0)).isEmpty();
    assertThat(store().findRow("triggers.claim", "other@2")).isEmpty();
    assertThat(store().findRow("triggers.claim", "other@3")).isPresent();
    assertThat(store().find("s-3")).isPresent();
  }

  @Test
  void aBatchWhoseKeysAreAllTakenCreatesNothing() {
    store().createAll(CreateBatch.of(List.of(create("a").withRows(insert("k1", "a")))));
    List<CreateOutcome> again =
        store().createAll(CreateBatch.of(List.of(create("b").withRows(insert("k1", "b")))));

    assertThat(again).singleElement().satisfies(o -> assertThat(o.created()).isFalse());
    assertThat(store().find("b")).isEmpty();
    assertThat(store().query(SessionQuery.builder().build()).sessions()).hasSize(1);
  }

  @Test
  void anItemsDeletesApplyOnlyWhenItIsCreated() {
    store().writeRows(List.of(insert("queued/x", null), insert("queued/y", null)));
    store().append(create("old").withRows(insert("taken", "old")));

    List<CreateOutcome> outcomes =
        store()
            .createAll(
                CreateBatch.of(
                    List.of(
                        create("a")
                            .withRows(
                                insert("k1", "a"), RowWrite.delete("triggers.claim", "queued/x")),
                        create("b")
                            .withRows(
                                insert("taken", "b"),
                                RowWrite.delete("triggers.claim", "queued/y")))));

    assertThat(outcomes).extracting(CreateOutcome::created).containsExactly(true, false);
    assertThat(store().findRow("triggers.claim", "queued/x")).isEmpty();
    assertThat(store().findRow("triggers.claim", "queued/y")).isPresent();
  }

  @Test
  void aBatchIsCheckedBeforeAnythingIsStored() {
    assertThatThrownBy(
            () -> CreateBatch.of(List.of(create("a").withRows(insert("k", "a")), create("a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Session 'a' is created twice");
    assertThatThrownBy(
            () ->
                CreateBatch.of(
                    List.of(
                        create("a").withRows(insert("k", "a")),
                        create("b").withRows(insert("k", "b")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inserted by two items");
    assertThatThrownBy(
            () -> CreateBatch.of(List.of(Append.of("a", 3, List.of(event(1)), summary("a")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("creates its session");
    assertThatThrownBy(
            () -> CreateBatch.of(List.of(create("a").withRows(RowWrite.upsert(claim("k", "a"))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inserts or deletes");
    assertThat(store().createAll(CreateBatch.of(List.of()))).isEmpty();
  }

  @Test
  void racingBatchesOnTwoNodesCreateEachKeyExactlyOnce() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int keys = 60;
    List<SessionStore> nodes = List.of(store(), another(), another());
    CyclicBarrier start = new CyclicBarrier(nodes.size());
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
    try {
      List<Future<List<CreateOutcome>>> runs = new ArrayList<>();
      for (int n = 0; n < nodes.size(); n++) {
        List<Integer> mine = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
          if (random.nextInt(3) > 0) {
            mine.add(k);
          }
        }
        Collections.shuffle(mine, random);
        List<Append> items = new ArrayList<>();
        for (int k : mine) {
          String id = "n" + n + "-" + k;
          items.add(create(id).withRows(insert("occ@" + String.format("%03d", k), id)));
        }
        SessionStore node = nodes.get(n);
        runs.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return node.createAll(CreateBatch.of(items));
                }));
      }
      Set<String> createdKeys = new HashSet<>();
      int created = 0;
      for (Future<List<CreateOutcome>> run : runs) {
        for (CreateOutcome o : run.get(60, TimeUnit.SECONDS)) {
          if (o.created()) {
            created++;
            Row row =
                store()
                    .queryRows(RowQuery.builder("triggers.claim").sessionId(o.sessionId()).build())
                    .get(0);
            assertThat(createdKeys.add(row.key())).as("seed %d: %s", seed, row.key()).isTrue();
          } else {
            assertThat(o.takenBy()).as("seed %d", seed).isNotNull();
          }
        }
      }
      int stored = store().query(SessionQuery.builder().limit(1000).build()).sessions().size();
      assertThat(stored).as("seed %d", seed).isEqualTo(created);
      assertThat(store().queryRows(RowQuery.builder("triggers.claim").limit(1000).build()))
          .as("seed %d", seed)
          .hasSize(created);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void lastRowsGivesTheGreatestKeyPerPrefixInCodePointOrder() {
    List<RowWrite> writes = new ArrayList<>();
    for (String key :
        List.of(
            "a@2026-03-01T09:00:00Z",
            "a@2026-03-01T10:00:00Z",
            "ab@2026-03-01T11:00:00Z",
            "b@2026-03-01T08:00:00Z",
            "b@\uD83D\uDE80",
            "b@\uFFFD",
            "c")) {
      writes.add(RowWrite.insert(claim(key, null)));
    }
    store().writeRows(writes);
    store().writeRows(List.of(RowWrite.insert(Row.of("elsewhere", "a@9", null, value("x")))));

    Map<String, Row> last = store().lastRows("triggers.claim", List.of("a@", "b@", "d@", "ab@"));

    assertThat(last).containsOnlyKeys("a@", "b@", "ab@");
    assertThat(last).extractingByKey("a@").extracting(Row::key).isEqualTo("a@2026-03-01T10:00:00Z");
    assertThat(last)
        .extractingByKey("ab@")
        .extracting(Row::key)
        .isEqualTo("ab@2026-03-01T11:00:00Z");
    assertThat(last)
        .extractingByKey("b@")
        .extracting(Row::key)
        .isEqualTo("b@\uD83D\uDE80"); // U+1F680 after U+FFFD
    assertThat(another().lastRows("triggers.claim", List.of())).isEmpty();
  }

  @Test
  void existingKeysNamesExactlyTheKeysThatHaveARowInTheNamespace() {
    store()
        .writeRows(
            List.of(
                insert("a@2026-03-01T09:00:00Z", null),
                insert("a@2026-03-01T09:00:00Z2", null),
                insert("b@\uD83D\uDE80", null)));
    store().writeRows(List.of(RowWrite.insert(Row.of("elsewhere", "c@1", null, value("x")))));

    Set<String> found =
        store()
            .existingKeys(
                "triggers.claim",
                List.of("a@2026-03-01T09:00:00Z", "a@2026-03-01T09:00", "b@\uD83D\uDE80", "c@1"));

    assertThat(found).containsExactlyInAnyOrder("a@2026-03-01T09:00:00Z", "b@\uD83D\uDE80");
    assertThat(another().existingKeys("triggers.claim", List.of())).isEmpty();
  }

  private static RowWrite insert(String key, @Nullable String sessionId) {
    return RowWrite.insert(claim(key, sessionId));
  }

  private static Row claim(String key, @Nullable String sessionId) {
    return Row.of("triggers.claim", key, sessionId, value(key));
  }

  private static tools.jackson.databind.JsonNode value(String key) {
    return JSON.createObjectNode().put("key", key).put("node", "n\u00e9");
  }

  private static Append create(String id) {
    return Append.of(id, 0, List.of(event(1), event(2)), summary(id));
  }

  private static SessionSummary summary(String id) {
    return SessionSummary.builder(id)
        .agent("triage")
        .status("running")
        .origin("cron:daily")
        .participants(Set.of("ana", "bo"))
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }

  private static NewEvent event(int n) {
    return new NewEvent("e", 1, JSON.createObjectNode().put("n", n), T0);
  }
}
