package dev.agentmesh.benchmarks;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.models.OpenAiChatModel;
import dev.agentmesh.sessions.Retention;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.StartOutcome;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Many sessions waiting on a slow model at once: N sessions on the in-memory store, started in one
 * burst ({@link Sessions#startAll}, as triggers start them), each one turn calling the real {@link
 * OpenAiChatModel} over HTTP against {@link SlowChatServer} (run in its own process), which answers
 * every request after a fixed delay. Reports the time from the burst's start until every session
 * has finished, and the peak heap used (sampled every 10 ms after a full GC). Not JMH: one burst is
 * the measurement; warm-up bursts of the same size run first, at least the warm-up's sessions in
 * all and then more until a burst leaves the JIT quiet (at most 12 bursts), so that the JIT has
 * compiled the turn (a service that runs for hours has); the finished warm-up sessions are purged
 * after each, as a service's retention policy would.
 *
 * <pre>
 * ./mvnw -B -o -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar dev.agentmesh.benchmarks.ManySessionsHarness 10000
 * # arguments: sessions (10000), answer delay in ms (1000), warm-up sessions (three times the
 * #            larger of 2000 and sessions, in bursts of at most sessions, then more bursts
 * #            until one leaves the JIT quiet; 0 = none),
 * #            turn threads (0 = the Sessions default executor; N = a fixed pool of N threads),
 * #            OkHttp fastFallback (true = the adapter's default client; false = a client without),
 * #            model (http = OpenAiChatModel against the server; sleep = the floor, a model that
 * #            blocks for the delay without HTTP)
 * </pre>
 *
 * <p>Mind the open-file limit ({@code ulimit -n}): each waiting session holds one socket here and
 * one in the server's process.
 */
public final class ManySessionsHarness {

  private ManySessionsHarness() {}

  /**
   * Runs the burst and prints the figures.
   *
   * @param args sessions, delay in ms, warm-up sessions, turn threads (see the class javadoc)
   * @throws Exception if the server does not start or a session does not finish in time
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    long delay = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    // Warm-up: the JIT compiles the turn's code during the first few thousand sessions; a burst
    // measured before that measures the compiler (a 200-session warm-up made 1,000 sessions on JDK
    // 17 take 9.7 s instead of 3.4 s under the same load).
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3 * Math.max(2_000, count);
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    boolean fastFallback = args.length <= 4 || Boolean.parseBoolean(args[4]);
    boolean http = args.length <= 5 || !args[5].equals("sleep");
    Process server = startServer(delay);
    try {
      int port = readPort(server);
      long serverCpuBefore = cpuNanos(server.toHandle());
      run(port, count, warmup, threads, delay, fastFallback, http);
      System.out.printf(
          "server process CPU during the warm-up and the burst: %.2f s%n",
          (cpuNanos(server.toHandle()) - serverCpuBefore) / 1e9);
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
    }
  }

  private static void run(
      int port, int count, int warmup, int threads, long delay, boolean fastFallback, boolean http)
      throws Exception {
    OpenAiChatModel.Builder adapter = OpenAiChatModel.builder();
    if (!fastFallback) adapter.httpClient(new OkHttpClient.Builder().fastFallback(false).build());
    OpenAiChatModel model =
        adapter
            .baseUrl("http://127.0.0.1:" + port + "/v1")
            .apiKey("sk-harness")
            .model("slow-stub")
            .build();
    ExecutorService turns = threads > 0 ? Executors.newFixedThreadPool(threads) : null;
    try (Mesh mesh =
        Mesh.builder()
            .agent(AgentSpec.builder("waiter").instructions("Answer in one word.").build())
            .model("default", http ? model : sleeping(delay))
            .build()) {
      // A service that runs for hours purges its finished sessions; so does the harness after its
      // warm-up, so that the burst is measured on a heap that holds the burst, not the warm-up.
      Sessions.Builder builder =
          Sessions.builder(mesh).retention(Retention.purgeFinishedAfter(Duration.ZERO));
      if (turns != null) builder.executor(turns);
      try (Sessions sessions = builder.build()) {
        // The warm-up runs in bursts of the measured size, and goes on while a burst still made
        // the JIT work: after one burst of 10,000, and even after three, JFR showed C2 compiling
        // the turn's hottest methods (HttpCaller.call among them) through the measured burst,
        // 1.3 s of a core. C2 raises its thresholds while its queue is long, as it is on two busy
        // cores, so hot methods wait bursts for it.
        int warmups = 0;
        int purged = 0;
        long jitInLastWarmup = 0;
        for (int left = warmup; warmup > 0 && warmups < MAX_WARMUPS; ) {
          long jitBefore = jitMillis();
          burst(sessions, left > 0 ? Math.min(left, count) : count);
          purged += sessions.purge();
          awaitCompilerIdle();
          jitInLastWarmup = jitMillis() - jitBefore;
          warmups++;
          left -= count;
          if (left <= 0 && jitInLastWarmup < QUIET_JIT_MILLIS) break;
        }
        long jitBeforeBurst = jitMillis();
        System.gc();
        HeapSampler heap = new HeapSampler();
        heap.start();
        Recording recording = profile();
        Map<String, Long> threadsBefore = threadTicks();
        long cpuBefore = cpuNanos();
        long start = System.nanoTime();
        Result result = burst(sessions, count);
        long total = System.nanoTime() - start;
        long cpu = cpuNanos() - cpuBefore;
        Map<String, Long> threadsAfter = threadTicks();
        long jitInBurst = jitMillis() - jitBeforeBurst;
        heap.stop();
        if (recording != null) {
          recording.stop();
          recording.close();
        }
        System.out.printf(
            "java %s (%s), %d cores, max heap %d MB, turn executor: %s, model: %s; %d warm-up"
                + " sessions in %d bursts (the JIT's compile time in the last: %d ms), then purged%n",
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20,
            threads > 0 ? "fixed pool of " + threads : "Sessions default",
            http ? "OpenAiChatModel over HTTP, fastFallback " + fastFallback : "sleeps, no HTTP",
            purged,
            warmups,
            jitInLastWarmup);
        System.out.printf(
            "%d sessions, model answers after %d ms: all finished in %.2f s (burst started in %d"
                + " ms); peak heap used %d MB; process CPU %.2f s (%.0f us a session);"
                + " statuses %s%s%n",
            count,
            delay,
            total / 1e9,
            TimeUnit.NANOSECONDS.toMillis(result.startNanos),
            heap.peak() >> 20,
            cpu / 1e9,
            cpu / 1e3 / count,
            result.statuses,
            result.firstFailure == null ? "" : "; first failure: " + result.firstFailure);
        System.out.printf("JIT compile time during the measured burst: %d ms%n", jitInBurst);
        if (!threadsAfter.isEmpty()) {
          StringBuilder line = new StringBuilder("CPU by thread kind (s):");
          threadsAfter.entrySet().stream()
              .map(
                  e ->
                      Map.entry(
                          e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)))
              .filter(e -> e.getValue() > 0)
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .forEach(
                  e -> line.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / 100.0)));
          System.out.println(line);
        }
      }
    } finally {
      if (turns != null) turns.shutdown();
    }
  }

  /**
   * A flight recording of the measured burst alone, when {@code -Dharness.jfr=<file>} names where
   * to write it ({@code -Dharness.jfc=<settings>} picks the settings, default {@code profile}).
   */
  private static @Nullable Recording profile() throws Exception {
    String file = System.getProperty("harness.jfr");
    if (file == null) return null;
    String settings = System.getProperty("harness.jfc", "profile");
    Recording recording =
        new Recording(
            settings.endsWith(".jfc")
                ? Configuration.create(Path.of(settings))
                : Configuration.getConfiguration(settings));
    recording.setDestination(Path.of(file));
    recording.start();
    return recording;
  }

  /**
   * CPU ticks (1/100 s) of this process's threads so far, by the kind of thread (the name without
   * its digits: GC, compiler, carrier threads), read from {@code /proc}; empty where there is none.
   * Threads that ended during the burst are missed.
   */
  private static Map<String, Long> threadTicks() {
    Map<String, Long> ticks = new TreeMap<>();
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) return ticks;
    for (File task : tasks) {
      try {
        String stat = Files.readString(task.toPath().resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        ticks.merge(name.replaceAll("[0-9]+", "N"), used, Long::sum);
      } catch (IOException | RuntimeException ended) {
        // the thread ended while we looked
      }
    }
    return ticks;
  }

  /** At most this many warm-up bursts. */
  private static final int MAX_WARMUPS = 12;

  /** A warm-up burst during which the JIT compiled for less than this is the last one. */
  private static final long QUIET_JIT_MILLIS = 300;

  /** The JIT's total compile time so far, in milliseconds (0 where the JVM does not say). */
  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit == null || !jit.isCompilationTimeMonitoringSupported()
        ? 0
        : jit.getTotalCompilationTime();
  }

  /** Waits until the JIT has compiled nothing for half a second (at most 30 s). */
  private static void awaitCompilerIdle() throws InterruptedException {
    long start = System.nanoTime();
    long last = jitMillis();
    long quietSince = start;
    while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(500)
        && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
      Thread.sleep(50);
      long now = jitMillis();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
  }

  /** What one burst did. */
  static final class Result {
    /** From the call of {@code startAll} until it returned. */
    long startNanos;

    /** From the call of {@code startAll} until every session had finished. */
    long finishedNanos;

    final Map<String, Integer> statuses = new TreeMap<>();
    String firstFailure;
  }

  /** Starts {@code count} sessions of agent {@code waiter} at once and waits until all finished. */
  static Result burst(Sessions sessions, int count) throws Exception {
    Result result = new Result();
    List<Sessions.NewSession> starts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) starts.add(sessions.newSession("waiter").input("task " + i));
    long t0 = System.nanoTime();
    List<StartOutcome> outcomes = sessions.startAll(starts);
    result.startNanos = System.nanoTime() - t0;
    List<CompletableFuture<SessionState>> finished = new ArrayList<>(count);
    for (StartOutcome outcome : outcomes) {
      Session session = Objects.requireNonNull(outcome.session(), "session");
      finished.add(session.finished());
    }
    CompletableFuture.allOf(finished.toArray(new CompletableFuture<?>[0]))
        .get(10, TimeUnit.MINUTES);
    result.finishedNanos = System.nanoTime() - t0;
    for (CompletableFuture<SessionState> f : finished) {
      SessionState state = f.join();
      result.statuses.merge(state.status().id(), 1, Integer::sum);
      if (result.firstFailure == null && state.failure() != null) {
        result.firstFailure = state.failure();
      }
    }
    return result;
  }

  /** The floor: a model that blocks for the delay without any HTTP (0: answers at once). */
  static ChatModel sleeping(long delay) {
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return ChatResponse.ofText("Done.");
      }

      @Override
      public boolean honoursTimeout() {
        return true;
      }
    };
  }

  /** CPU time this process has used, on every thread (what a loaded machine does not inflate). */
  private static long cpuNanos() {
    return cpuNanos(ProcessHandle.current());
  }

  /** CPU time {@code process} has used, on every thread. */
  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }

  private static Process startServer(long delay) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            SlowChatServer.class.getName(),
            Long.toString(delay))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static int readPort(Process server) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("port ")) {
      throw new IllegalStateException("SlowChatServer did not start; it said: " + line);
    }
    return Integer.parseInt(line.substring(5).trim());
  }

  /** The most heap used, sampled every 10 ms on a daemon thread. */
  private static final class HeapSampler {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread =
        new Thread(
            () -> {
              while (running) {
                sample();
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
      sample();
    }

    private void sample() {
      peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    long peak() {
      return peak.get();
    }
  }
}
