package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Across generated schedules, zones and outages, two nodes ticking at random moments on one store:
 * fire times never go backwards, no occurrence fires twice, and under {@code allWithin(window)}
 * exactly the occurrences that the first tick after them finds inside the window fire.
 */
class TriggersPropertiesTest {

  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("America/New_York"),
          ZoneId.of("Australia/Sydney"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("UTC"));
  private static final List<String> CRONS =
      List.of(
          "*/15 * * * *",
          "30 2 * * *",
          "0 1,2,3 * * *",
          "45 */2 * * *",
          "0 9 * * MON-FRI",
          "*/20 1-3 * * *",
          "10 2 * * 0");

  /** Daylight-saving nights of the zones above in 2026, to start near. */
  private static final List<Instant> NEAR =
      List.of(
          Instant.parse("2026-03-28T12:00:00Z"),
          Instant.parse("2026-10-24T12:00:00Z"),
          Instant.parse("2026-03-07T12:00:00Z"),
          Instant.parse("2026-10-31T12:00:00Z"),
          Instant.parse("2026-04-04T06:00:00Z"),
          Instant.parse("2026-10-03T06:00:00Z"));

  static Stream<Long> seeds() {
    return Seeds.of(12);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void noOccurrenceFiresTwiceOrOutOfOrderAndEveryOneTheWindowKeepsFires(long seed) {
    Random random = new Random(seed);
    ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
    Instant start =
        NEAR.get(random.nextInt(NEAR.size())).plus(Duration.ofMinutes(random.nextInt(600)));
    Duration window = Duration.ofMinutes(10 + random.nextInt(360));
    TriggerDefinition def =
        random.nextInt(4) == 0
            ? TriggerDefinition.interval(
                    "p",
                    Duration.ofMinutes(7 + random.nextInt(120)),
                    start.minusSeconds(random.nextInt(5000)))
                .agent("digest")
                .overlap(OverlapPolicy.CONCURRENT)
                .catchUp(CatchUpPolicy.allWithin(window))
                .build()
            : TriggerDefinition.cron("p", CRONS.get(random.nextInt(CRONS.size())))
                .zone(zone)
                .agent("digest")
                .overlap(OverlapPolicy.CONCURRENT)
                .catchUp(CatchUpPolicy.allWithin(window))
                .build();
    Seeds.print(getClass(), seed, def.schedule().describe() + ", window " + window);

    SessionStore store = InMemorySessionStore.create();
    FakeClock clock = FakeClock.at(start);
    List<Node> nodes = List.of(node("a", store, clock, def), node("b", store, clock, def));
    List<Instant> ticks = new ArrayList<>();
    List<List<Instant>> firedPerTick = new ArrayList<>();
    try {
      Instant end = start.plus(Duration.ofHours(36));
      Instant t = start;
      while (t.isBefore(end)) {
        t = t.plus(gap(random));
        clock.set(t);
        Node node = nodes.get(random.nextInt(2));
        TreeSet<Instant> before = claimed(node);
        node.triggers.tick();
        TreeSet<Instant> after = claimed(node);
        after.removeAll(before);
        ticks.add(t);
        firedPerTick.add(List.copyOf(after));
      }
      TreeSet<Instant> all = claimed(nodes.get(0));
      // never backwards: each tick fires only occurrences after everything fired before it
      Instant latest = Instant.MIN;
      int total = 0;
      for (List<Instant> fired : firedPerTick) {
        for (Instant o : fired) {
          assertThat(o).as("seed %d", seed).isAfter(latest);
        }
        if (!fired.isEmpty()) {
          latest = fired.get(fired.size() - 1);
        }
        total += fired.size();
      }
      // never twice: one session per claim, one claim per occurrence
      assertThat(total).as("seed %d", seed).isEqualTo(all.size());
      assertThat(
              store
                  .query(dev.agentmesh.sessions.spi.SessionQuery.builder().limit(1000).build())
                  .sessions())
          .as("seed %d", seed)
          .hasSize(all.size());
      // none skipped: the oracle
      assertThat(all)
          .as("seed %d", seed)
          .containsExactlyElementsOf(expected(def, start, ticks, window));
    } finally {
      nodes.forEach(Node::close);
    }
  }

  /** Each occurrence after registration whose first tick comes at most {@code window} later. */
  private static List<Instant> expected(
      TriggerDefinition def, Instant registered, List<Instant> ticks, Duration window) {
    List<Instant> out = new ArrayList<>();
    Instant last = ticks.get(ticks.size() - 1);
    for (Instant o = def.schedule().nextAfter(registered);
        o != null && !o.isAfter(last);
        o = def.schedule().nextAfter(o)) {
      Instant occurrence = o;
      Instant firstTick =
          ticks.stream().filter(t -> !t.isBefore(occurrence)).findFirst().orElseThrow();
      if (!firstTick.isAfter(o.plus(window))) {
        out.add(o);
      }
    }
    return out;
  }

  private static Duration gap(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> Duration.ofMinutes(60 + random.nextInt(8 * 60)); // an outage
      case 1, 2 -> Duration.ofMinutes(5 + random.nextInt(55));
      default -> Duration.ofSeconds(1 + random.nextInt(300));
    };
  }

  private static TreeSet<Instant> claimed(Node node) {
    TreeSet<Instant> at = new TreeSet<>();
    Instant from = Instant.EPOCH;
    while (true) {
      List<TriggerClaim> page =
          node.triggers.claims("p", from, Instant.parse("2100-01-01T00:00:00Z"), 1000);
      page.forEach(c -> at.add(c.scheduledAt()));
      if (page.size() < 1000) {
        return at;
      }
      from = page.get(page.size() - 1).scheduledAt().plusNanos(1);
    }
  }

  private static Node node(
      String name, SessionStore store, FakeClock clock, TriggerDefinition def) {
    // Claims are the oracle here: kept past the 36 hours simulated (pruning has its own tests).
    return new Node(name, store, clock, b -> b.add(def).retainClaims(Duration.ofDays(3)));
  }
}
