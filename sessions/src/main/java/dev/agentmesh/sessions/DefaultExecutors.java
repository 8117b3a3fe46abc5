package dev.agentmesh.sessions;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The default executor for turns: virtual threads on JDK 21+, else a bounded daemon pool. */
final class DefaultExecutors {

  private DefaultExecutors() {}

  static ExecutorService forSessions() {
    try {
      return (ExecutorService) MethodHandles.publicLookup()
          .findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
              MethodType.methodType(ExecutorService.class))
          .invoke();
    } catch (Throwable notOnThisJdk) {
      AtomicInteger n = new AtomicInteger();
      ThreadFactory daemons = r -> {
        Thread t = new Thread(r, "agentmesh-session-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      int threads = Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
      ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), daemons);
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }

  /** One daemon thread for lease renewals and the periodic sweep. */
  static java.util.concurrent.ScheduledExecutorService sweeper() {
    return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "agentmesh-session-scheduler");
      t.setDaemon(true);
      return t;
    });
  }
}
