package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of {@link CronSchedule} over generated expressions, zones and start instants, most of
 * them a few hours from a daylight-saving change: fire times strictly increase, iterating {@code
 * nextAfter} finds exactly the fires of a brute-force minute-by-minute oracle that applies our
 * policy to local times, and asking from any instant gives the next of those fires. Each case
 * prints its seed: rerun it with {@code -Dagentmesh.seed=<seed>}.
 */
class SchedulePropertiesTest {

  private static final List<ZoneId> ZONES =
      Stream.of(
              "Europe/Berlin",
              "America/New_York",
              "Australia/Sydney",
              "Australia/Lord_Howe",
              "Asia/Kolkata",
              "UTC")
          .map(ZoneId::of)
          .toList();
  private static final Duration WINDOW = Duration.ofDays(3);

  static Stream<Long> seeds() {
    return Seeds.of(40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void iteratingFindsExactlyTheOracleFiresInIncreasingOrder(long seed) {
    Random random = new Random(seed);
    Case c = Case.generate(random);
    Seeds.print(getClass(), seed, c);

    List<Instant> fires = iterate(c.schedule(), c.start(), c.start().plus(WINDOW));

    for (int i = 1; i < fires.size(); i++) {
      assertThat(fires.get(i)).as("%s fire %d", c, i).isAfter(fires.get(i - 1));
    }
    assertThat(fires).as(c.toString()).containsExactlyElementsOf(c.oracle(WINDOW));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void askingFromAnyInstantGivesTheNextFireOfTheIteration(long seed) {
    Random random = new Random(seed);
    Case c = random.nextBoolean() ? Case.generate(random) : Case.generateQuartz(random);
    Seeds.print(getClass(), seed, c);
    Instant end = c.start().plus(WINDOW);
    List<Instant> fires = iterate(c.schedule(), c.start(), end.plus(WINDOW));

    for (int i = 0; i < 200; i++) {
      Instant t = c.start().plusNanos((long) (random.nextDouble() * WINDOW.toNanos()));
      Instant expected = fires.stream().filter(f -> f.isAfter(t)).findFirst().orElse(null);
      Instant actual = c.schedule().nextAfter(t);
      if (expected != null) {
        assertThat(actual).as("%s from %s", c, t).isEqualTo(expected);
      } else {
        assertThat(actual == null || actual.isAfter(end.plus(WINDOW)))
            .as("%s from %s: %s", c, t, actual)
            .isTrue();
      }
    }
  }

  private static List<Instant> iterate(Schedule schedule, Instant start, Instant end) {
    List<Instant> fires = new ArrayList<>();
    for (Instant t = schedule.nextAfter(start);
        t != null && !t.isAfter(end);
        t = schedule.nextAfter(t)) {
      fires.add(t);
    }
    return fires;
  }

  /** A generated schedule: its expression, the fields the oracle reads, its zone and start. */
  record Case(
      String expression,
      CronDialect dialect,
      List<BitSet> fields,
      boolean fixedHour,
      ZoneId zone,
      DstGapPolicy gap,
      Instant start) {

    private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};

    static Case generate(Random random) {
      List<String> texts = new ArrayList<>();
      List<BitSet> fields = new ArrayList<>();
      for (int f = 0; f < 5; f++) {
        String text = field(random, f);
        texts.add(text);
        fields.add(bits(text, RANGES[f][0], RANGES[f][1]));
      }
      boolean fixedHour = !texts.get(1).startsWith("*");
      String expression = String.join(" ", texts);
      return withZone(random, expression, CronDialect.UNIX, fields, fixedHour);
    }

    static Case generateQuartz(Random random) {
      Case unix = generate(random);
      String[] f = unix.expression().split(" ");
      String dow = f[4].equals("*") ? "?" : "MON-FRI";
      String dom = f[4].equals("*") ? f[2] : "?";
      String expression =
          random.nextInt(3) + "0 " + f[0] + " " + f[1] + " " + dom + " " + f[3] + " " + dow;
      return withZone(random, expression, CronDialect.QUARTZ, List.of(), unix.fixedHour());
    }

    private static Case withZone(
        Random random,
        String expression,
        CronDialect dialect,
        List<BitSet> fields,
        boolean fixedHour) {
      ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
      DstGapPolicy gap = random.nextInt(4) == 0 ? DstGapPolicy.SKIP : DstGapPolicy.FIRE_AFTER_GAP;
      return new Case(expression, dialect, fields, fixedHour, zone, gap, start(random, zone));
    }

    /** Mostly a few hours before a transition of 2025-2028, so the window crosses it. */
    private static Instant start(Random random, ZoneId zone) {
      Instant year =
          Instant.parse("2025-01-01T00:00:00Z").plus(Duration.ofDays(random.nextInt(4 * 365)));
      ZoneOffsetTransition next = zone.getRules().nextTransition(year);
      Instant base = next == null || random.nextInt(5) == 0 ? year : next.getInstant();
      return base.minusSeconds(random.nextInt(36 * 3600)).plusMillis(random.nextInt(1000));
    }

    private static String field(Random random, int f) {
      int min = RANGES[f][0];
      int max = RANGES[f][1];
      int a = min + random.nextInt(max - min + 1);
      int b = min + random.nextInt(max - min + 1);
      return switch (f == 2 || f == 3
          ? random.nextInt(8)
          : f == 4 ? random.nextInt(7) : random.nextInt(6)) {
        case 0 -> "*/" + (1 + random.nextInt(Math.min(max, 20)));
        case 1 -> String.valueOf(a);
        case 2 -> a == b ? String.valueOf(a) : Math.min(a, b) + "," + Math.max(a, b);
        case 3 -> Math.min(a, b) + "-" + Math.max(a, b);
        case 4 -> f == 0 ? "*/" + (5 + random.nextInt(26)) : "*";
        default -> "*";
      };
    }

    private static BitSet bits(String text, int min, int max) {
      BitSet bits = new BitSet();
      for (String item : text.split(",")) {
        if (item.startsWith("*")) {
          int step = item.contains("/") ? Integer.parseInt(item.substring(2)) : 1;
          for (int v = min; v <= max; v += step) {
            bits.set(v);
          }
        } else if (item.contains("-")) {
          bits.set(Integer.parseInt(item.split("-")[0]), Integer.parseInt(item.split("-")[1]) + 1);
        } else {
          bits.set(Integer.parseInt(item));
        }
      }
      return bits;
    }

    Schedule schedule() {
      return CronSchedule.builder(expression).dialect(dialect).zone(zone).dstGap(gap).build();
    }

    /** Every minute of the window, checked against the fields and our policy, in local time. */
    List<Instant> oracle(Duration window) {
      ZoneRules rules = zone.getRules();
      TreeSet<Instant> fires = new TreeSet<>();
      Instant first = start.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
      for (Instant i = first; !i.isAfter(start.plus(window)); i = i.plusSeconds(60)) {
        LocalDateTime local = LocalDateTime.ofInstant(i, zone);
        boolean second =
            rules.getValidOffsets(local).size() == 2
                && rules.getOffset(i).equals(rules.getValidOffsets(local).get(1));
        if (matches(local) && !(fixedHour && second)) {
          fires.add(i);
        }
        // A gap's transition instant is the first instant after the gap (its local time is the
        // gap's end, which is valid, so getTransition(local) would not find it).
        ZoneOffsetTransition t = rules.nextTransition(i.minusSeconds(1));
        if (t != null && t.isGap() && t.getInstant().equals(i) && firesInGap(t)) {
          fires.add(i);
        }
      }
      return new ArrayList<>(fires);
    }

    private boolean firesInGap(ZoneOffsetTransition t) {
      if (!fixedHour || gap == DstGapPolicy.SKIP) {
        return false;
      }
      for (LocalDateTime l = t.getDateTimeBefore();
          l.isBefore(t.getDateTimeAfter());
          l = l.plusMinutes(1)) {
        if (matches(l)) {
          return true;
        }
      }
      return false;
    }

    private boolean matches(LocalDateTime l) {
      boolean dom = fields.get(2).get(l.getDayOfMonth());
      boolean dow = fields.get(4).get(l.getDayOfWeek().getValue() % 7);
      // Our rule (docs/triggers.md): a day field is restricted unless it is '*' (or '*/1'), so
      // '0-6' or '*/2' beside a restricted day of month means "either".
      String[] text = expression.split(" ");
      boolean bothRestricted = restricts(text[2]) && restricts(text[4]);
      return fields.get(0).get(l.getMinute())
          && fields.get(1).get(l.getHour())
          && fields.get(3).get(l.getMonthValue())
          && (bothRestricted ? dom || dow : dom && dow);
    }

    private static boolean restricts(String dayField) {
      return !dayField.equals("*") && !dayField.equals("*/1");
    }

    @Override
    public String toString() {
      return "cron \""
          + expression
          + "\" ("
          + dialect.label()
          + ") in "
          + zone
          + ", gap "
          + gap
          + ", from "
          + start;
    }
  }
}
