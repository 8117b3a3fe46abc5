package dev.agentmesh.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.triggers.CatchUpPolicy;
import dev.agentmesh.triggers.OverlapPolicy;
import dev.agentmesh.triggers.TickReport;
import dev.agentmesh.triggers.TriggerDefinition;
import dev.agentmesh.triggers.Triggers;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 10,000 cron triggers due in the same minute on three nodes (three {@link Triggers}, each with its
 * own connection pool, {@link Sessions} and {@link PostgresSessionStore} over one schema): the time
 * from the minute until every node's tick has returned, by which every session is created and
 * claimed exactly once, committed (checked after each minute). The nodes tick together at the
 * minute, as started {@link Triggers} do (they schedule a tick at the next occurrence due); a tick
 * a second before it (not timed) stands for the ticks that find nothing due. This measures creating
 * the sessions: their first turns wait in each node's executor queue until the minute is timed,
 * then run (not timed) before the next minute, as they would have on a running node by then (a
 * drive waiting in an executor keeps its session's state in memory, so a queue never drained would
 * keep every session of every minute in the heap).
 *
 * <p>Wall time depends on the machine's load much more than the CPU each created session costs. At
 * the end of a trial it prints the CPU time the timed ticks spent per created session, after the
 * first minute: in the threads running the three nodes' ticks, and in the PostgreSQL backends of
 * their pools (read from {@code /proc}, so only when PostgreSQL runs on this machine, on Linux).
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ClusteredFiringBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ClusteredFiringBenchmark {

  private static final int TRIGGERS = 10_000;
  private static final int NODES = 3;
  private static final Instant FIRST_MINUTE = Instant.parse("2026-03-02T08:00:00Z");
  private static final String APPLICATION = "agentmesh-clustered-firing-benchmark";

  /** Occurrences a node starts per transaction ({@code Triggers.Builder.batchSize}). */
  @Param("1000")
  public int batchSize;

  private final List<HikariDataSource> pools = new ArrayList<>();
  private String schema;
  private final MovableClock clock = new MovableClock(FIRST_MINUTE.minusSeconds(30));
  private final List<Sessions> sessions = new ArrayList<>();
  private final List<Triggers> nodes = new ArrayList<>();
  private ExecutorService pool;
  private Instant minute = FIRST_MINUTE.minus(Duration.ofMinutes(1));
  private int started;
  private final CpuMeter cpu = new CpuMeter();
  private final Queue<Runnable> turns = new ConcurrentLinkedQueue<>();

  @Setup(Level.Trial)
  public void open() throws Exception {
    schema = "bench_fire_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Mesh mesh =
        Mesh.builder()
            .model("default", request -> ChatResponse.ofText("done"))
            .agent(AgentSpec.builder("digest").instructions("Write the digest.").build())
            .build();
    List<TriggerDefinition> defs = new ArrayList<>();
    for (int i = 0; i < TRIGGERS; i++) {
      defs.add(
          TriggerDefinition.cron(String.format("t%05d", i), "* * * * *")
              .zone(ZoneId.of("Europe/Berlin"))
              .agent("digest")
              .overlap(OverlapPolicy.CONCURRENT)
              .catchUp(CatchUpPolicy.allWithin(Duration.ofMinutes(5)))
              .build());
    }
    for (int n = 0; n < NODES; n++) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(
          System.getenv()
              .getOrDefault(
                  "AGENTMESH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
      config.setMaximumPoolSize(4); // a node's own pool, as three processes would have
      config.addDataSourceProperty("ApplicationName", APPLICATION);
      HikariDataSource dataSource = new HikariDataSource(config);
      pools.add(dataSource);
      Sessions s =
          Sessions.builder(mesh)
              .store(PostgresSessionStore.builder(dataSource).schema(schema).build())
              .executor(turns::add) // queued while timed, run after each minute
              .clock(clock)
              .nodeId("node-" + n)
              .build();
      sessions.add(s);
      nodes.add(
          Triggers.builder(s)
              .addAll(defs)
              .clock(clock)
              .nodeId("node-" + n)
              .batchSize(batchSize)
              .build());
    }
    pool = Executors.newFixedThreadPool(NODES, cpu.factory());
    tickAll(); // registers every trigger and computes its next occurrences
    runTurns();
  }

  /** Before each minute: the quiet tick a second earlier, then the clock at the minute. */
  @Setup(Level.Invocation)
  public void beforeTheMinute() throws Exception {
    minute = minute.plus(Duration.ofMinutes(1));
    clock.set(minute.minusSeconds(1));
    tickAll();
    clock.set(minute);
    cpu.start(pools.get(0));
  }

  /** After each minute: the CPU its ticks spent, then the first turns of its sessions. */
  @TearDown(Level.Invocation)
  public void afterTheMinute() throws Exception {
    cpu.stop(TRIGGERS);
    runTurns();
  }

  /** Runs the queued turns on the ticking threads until none is left. */
  private void runTurns() throws Exception {
    while (!turns.isEmpty()) {
      runQueuedTurns();
    }
  }

  private void runQueuedTurns() throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      running.add(
          pool.submit(
              () -> {
                for (Runnable turn = turns.poll(); turn != null; turn = turns.poll()) {
                  turn.run();
                }
              }));
    }
    for (Future<?> r : running) {
      r.get(10, TimeUnit.MINUTES);
    }
  }

  @Benchmark
  public int tenThousandTriggersDueInOneMinuteOnThreeNodes() throws Exception {
    started = tickAll();
    if (started != TRIGGERS) {
      throw new IllegalStateException(
          "At " + minute + " the nodes started " + started + " sessions, not " + TRIGGERS);
    }
    return started;
  }

  private int tickAll() throws Exception {
    List<Future<TickReport>> ticks = new ArrayList<>();
    for (Triggers node : nodes) {
      ticks.add(pool.submit(node::tick));
    }
    int total = 0;
    for (Future<TickReport> tick : ticks) {
      total += tick.get(10, TimeUnit.MINUTES).started();
    }
    return total;
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    System.out.println(cpu.report());
    pool.shutdownNow();
    nodes.forEach(Triggers::close);
    sessions.forEach(Sessions::close);
    try (Connection c = pools.get(0).getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
    }
    pools.forEach(HikariDataSource::close);
  }

  /**
   * CPU time spent between {@link #start} and {@link #stop}, after the first minute (the JIT's):
   * that of the threads running the ticks (not the JIT's or the garbage collector's), and that of
   * the PostgreSQL backends whose application name is {@link #APPLICATION} (summed from {@code
   * /proc/<pid>/stat}, in clock ticks of 10 ms; not measured when PostgreSQL runs elsewhere); and
   * the garbage collectors' time then (G1's young collections stop every thread of the nodes).
   */
  static final class CpuMeter {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Thread> tickers = new CopyOnWriteArrayList<>();
    private long tickersAtStart;
    private Map<Integer, Long> backendsAtStart = Map.of();
    private DataSource dataSource;
    private long tickerNanos;
    private long bytesAtStart;
    private long bytes;
    private long gcMillisAtStart;
    private long gcMillis;
    private long backendTicks;
    private long sessions;
    private boolean backendsSeen;
    private boolean first = true;

    /** The threads that tick. */
    ThreadFactory factory() {
      return r -> {
        Thread t = new Thread(r, "ticker-" + tickers.size());
        tickers.add(t);
        return t;
      };
    }

    void start(DataSource dataSource) throws Exception {
      this.dataSource = dataSource;
      backendsAtStart = backendTicks(dataSource);
      tickersAtStart = tickerNanos();
      gcMillisAtStart = gcMillis();
      bytesAtStart = tickerBytes();
    }

    void stop(int created) throws Exception {
      long ticked = tickerNanos() - tickersAtStart;
      long collected = gcMillis() - gcMillisAtStart;
      long allocated = tickerBytes() - bytesAtStart;
      Map<Integer, Long> now = backendTicks(dataSource);
      if (first) {
        first = false;
        return;
      }
      tickerNanos += ticked;
      gcMillis += collected;
      bytes += allocated;
      for (Map.Entry<Integer, Long> e : now.entrySet()) {
        Long before = backendsAtStart.get(e.getKey());
        backendTicks += e.getValue() - (before == null ? 0 : before);
      }
      backendsSeen |= !now.isEmpty();
      sessions += created;
    }

    String report() {
      if (sessions == 0) {
        return "CPU per created session: measured after the first minute only, none measured";
      }
      String db =
          backendsSeen
              ? String.format("%.1f us", backendTicks * 10_000.0 / sessions) // 100 ticks a second
              : "not measured (their processes are not readable here)";
      return String.format(
          "CPU per created session over %d sessions (minutes after the first): ticking threads"
              + " %.1f us, PostgreSQL backends %s; the ticking threads allocated %.1f KB per"
              + " session; garbage collection paused the nodes %.0f ms a minute",
          sessions,
          tickerNanos / 1000.0 / sessions,
          db,
          bytes / 1000.0 / sessions,
          gcMillis * (double) TRIGGERS / sessions);
    }

    /** The collectors' accumulated collection time (for G1: its pauses), in ms. */
    private static long gcMillis() {
      long sum = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        sum += Math.max(0, gc.getCollectionTime());
      }
      return sum;
    }

    private long tickerNanos() {
      long sum = 0;
      for (Thread t : tickers) {
        sum += Math.max(0, threads.getThreadCpuTime(t.getId()));
      }
      return sum;
    }

    /** Bytes the ticking threads allocated so far (HotSpot's per-thread counter). */
    private long tickerBytes() {
      if (!(threads instanceof com.sun.management.ThreadMXBean hotspot)) {
        return 0;
      }
      long sum = 0;
      for (Thread t : tickers) {
        sum += Math.max(0, hotspot.getThreadAllocatedBytes(t.getId()));
      }
      return sum;
    }

    /** utime + stime of each of the benchmark's backends, in clock ticks. */
    private static Map<Integer, Long> backendTicks(DataSource dataSource) throws Exception {
      Map<Integer, Long> ticks = new HashMap<>();
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
        ps.setString(1, APPLICATION);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Path stat = Path.of("/proc", rs.getString(1), "stat");
            if (!Files.isReadable(stat)) {
              continue;
            }
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            ticks.put(rs.getInt(1), Long.parseLong(f[11]) + Long.parseLong(f[12]));
          }
        }
      }
      return ticks;
    }
  }

  /** A clock the benchmark moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
