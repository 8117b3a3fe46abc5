package dev.agentmesh.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The default executor: virtual threads where the JDK has them (21+), else daemon platform threads. */
final class Executors {

  private Executors() {}

  static ExecutorService forAgents() {
    try {
      return (ExecutorService) MethodHandles.publicLookup()
          .findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
              MethodType.methodType(ExecutorService.class))
          .invoke();
    } catch (Throwable notOnThisJdk) {
      AtomicInteger n = new AtomicInteger();
      ThreadFactory daemons = r -> {
        Thread t = new Thread(r, "agentmesh-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      return java.util.concurrent.Executors.newCachedThreadPool(daemons);
    }
  }
}
