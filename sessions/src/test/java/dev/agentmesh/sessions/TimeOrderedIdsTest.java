package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.Seeds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default session ids: version 7 UUIDs carrying the clock's milliseconds, in strictly
 * increasing text order for one instance whatever the clock does, unique across threads.
 */
class TimeOrderedIdsTest {

  static Stream<Long> seeds() {
    return Seeds.of(20);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void idsAreVersion7UuidsInIncreasingOrderWhateverTheClockDoes(long seed) {
    Seeds.print(TimeOrderedIdsTest.class, seed);
    Random random = new Random(seed);
    FakeClock clock =
        FakeClock.at(Instant.ofEpochMilli(1_780_000_000_000L + random.nextInt(1_000_000)));
    TimeOrderedIds ids = new TimeOrderedIds(clock);
    String previous = "";
    long highestMillis = 0;
    for (int i = 0; i < 20_000; i++) {
      switch (random.nextInt(4)) {
        case 0 -> clock.advance(Duration.ofMillis(1 + random.nextInt(5))); // moves on
        case 1 -> clock.advance(Duration.ofMillis(-random.nextInt(50))); // steps back
        default -> {} // stands still: 4,096 ids a millisecond before borrowing the next one
      }
      String id = ids.get();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.toString()).isEqualTo(id);
      assertThat(uuid.version()).isEqualTo(7);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(id).as("id %d after %s", i, previous).isGreaterThan(previous);
      long millis = uuid.getMostSignificantBits() >>> 16;
      highestMillis = Math.max(highestMillis, clock.millis());
      assertThat(millis)
          .as("its milliseconds: the clock's, or the last used when the clock stepped back")
          .isBetween(clock.millis(), highestMillis + 20_000 / 4096 + 1);
      previous = id;
    }
  }

  @Test
  void aClockThatStandsStillStillGetsUniqueIncreasingIds() {
    TimeOrderedIds ids = new TimeOrderedIds(FakeClock.at(Instant.ofEpochMilli(1_780_000_000_000L)));
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(ids.get());
    }
    assertThat(made).isSorted().doesNotHaveDuplicates();
    assertThat(UUID.fromString(made.get(0)).getMostSignificantBits() >>> 16)
        .isEqualTo(1_780_000_000_000L);
  }

  @Test
  void idsMadeOnManyThreadsAreUniqueAndSoAreTheirRandomBits() throws Exception {
    TimeOrderedIds ids = new TimeOrderedIds(Clock.systemUTC());
    Set<String> all = ConcurrentHashMap.newKeySet();
    Set<Long> randomBits = ConcurrentHashMap.newKeySet();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                Set<String> mine = new HashSet<>();
                for (int i = 0; i < 25_000; i++) {
                  mine.add(ids.get());
                }
                all.addAll(mine);
                // The random bits are drawn many ids at a time: none may be handed out twice.
                mine.forEach(id -> randomBits.add(UUID.fromString(id).getLeastSignificantBits()));
              }));
    }
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(all).hasSize(100_000);
    assertThat(randomBits).hasSize(100_000);
  }

  @Test
  void sessionsMakeTheirIdsFromTheirClock() {
    Instant at = Instant.parse("2026-03-02T08:00:00.123Z");
    Clock clock = Clock.fixed(at, ZoneOffset.UTC);
    Sessions sessions = Sessions.builder(Fixtures.mesh(clock)).clock(clock).build();
    try {
      String id = sessions.newId();
      assertThat(UUID.fromString(id).getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
      assertThat(sessions.newId()).isGreaterThan(id);
    } finally {
      sessions.close();
    }
  }
}
