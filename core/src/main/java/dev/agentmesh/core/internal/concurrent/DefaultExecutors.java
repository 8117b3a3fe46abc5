package dev.agentmesh.core.internal.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The executors agentmesh makes when the host gives none: virtual threads where the JDK has them
 * (21+), else daemon platform threads; and one daemon scheduler thread for the session runtime.
 *
 * <pre>{@code
 * ExecutorService executor = DefaultExecutors.forAgents();
 * }</pre>
 */
public final class DefaultExecutors {

  private DefaultExecutors() {}

  /**
   * The mesh's executor for concurrent tool calls and model hand-offs: virtual threads on JDK 21+,
   * else an unbounded cached pool of daemon threads named {@code agentmesh-N}.
   *
   * @return a new executor; its owner shuts it down
   */
  public static ExecutorService forAgents() {
    ExecutorService virtual = virtualThreads();
    return virtual != null ? virtual : Executors.newCachedThreadPool(daemons("agentmesh-"));
  }

  /**
   * How many platform threads the session runtime's default executor grows to on a JDK without
   * virtual threads. A turn spends nearly all its time blocked on a model's HTTP call, so the pool
   * is sized for waiting, not for CPU: this many turns wait on their models at once, later turns
   * queue. Threads are made on demand and end after a minute idle.
   */
  public static final int SESSION_PLATFORM_THREADS = 1024;

  /**
   * The session runtime's executor for turns: virtual threads on JDK 21+, else a pool of up to
   * {@value #SESSION_PLATFORM_THREADS} daemon threads named {@code agentmesh-session-N}, made on
   * demand, whose idle threads end after a minute; turns beyond that wait in its queue.
   *
   * @return a new executor; its owner shuts it down
   */
  public static ExecutorService forSessions() {
    ExecutorService virtual = virtualThreads();
    if (virtual != null) {
      return virtual;
    }
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            SESSION_PLATFORM_THREADS,
            SESSION_PLATFORM_THREADS,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemons("agentmesh-session-"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * One daemon thread, {@code agentmesh-session-scheduler}, for lease renewals and the periodic
   * sweep.
   *
   * @return a new scheduler; its owner shuts it down
   */
  public static ScheduledExecutorService sessionScheduler() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "agentmesh-session-scheduler");
          t.setDaemon(true);
          return t;
        });
  }

  private static @Nullable ExecutorService virtualThreads() {
    try {
      return (ExecutorService)
          MethodHandles.publicLookup()
              .findStatic(
                  Executors.class,
                  "newVirtualThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class))
              .invoke();
    } catch (Throwable notOnThisJdk) {
      return null;
    }
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
