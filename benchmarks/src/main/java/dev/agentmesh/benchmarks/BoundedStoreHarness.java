package dev.agentmesh.benchmarks;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Sessions;
import java.util.concurrent.TimeUnit;

/**
 * Sessions started into a full, bounded {@link InMemorySessionStore}: each round starts as many
 * sessions as the store holds ({@link Sessions#startAll}), each one turn on a model that answers at
 * once, so from the second round on every creation first evicts a finished session. Prints how long
 * each round's {@code startAll} took and how long until all its sessions finished, bounded and, for
 * comparison, unbounded. The first round fills the store (and warms up the JIT).
 *
 * <pre>
 * ./mvnw -B -o -q -pl benchmarks -am package -DskipTests
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.agentmesh.benchmarks.BoundedStoreHarness 10000
 * # arguments: sessions the store holds (10000), rounds (4)
 * </pre>
 */
public final class BoundedStoreHarness {

  private BoundedStoreHarness() {}

  /**
   * Runs the rounds, bounded then unbounded, and prints their times.
   *
   * @param args the store's maximum, the rounds
   * @throws Exception if a session does not finish in time
   */
  public static void main(String[] args) throws Exception {
    int maximum = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    for (boolean bounded : new boolean[] {true, false}) {
      InMemorySessionStore store =
          bounded
              ? InMemorySessionStore.builder().maximumSessions(maximum).build()
              : InMemorySessionStore.create();
      try (Mesh mesh =
              Mesh.builder()
                  .agent(AgentSpec.builder("waiter").instructions("Answer in one word.").build())
                  .model("default", ManySessionsHarness.sleeping(0))
                  .build();
          Sessions sessions = Sessions.builder(mesh).store(store).build()) {
        for (int round = 1; round <= rounds; round++) {
          ManySessionsHarness.Result result = ManySessionsHarness.burst(sessions, maximum);
          System.out.printf(
              "%s store of %d, round %d: startAll %d ms, all finished %d ms, %d sessions held%n",
              bounded ? "bounded" : "unbounded",
              maximum,
              round,
              TimeUnit.NANOSECONDS.toMillis(result.startNanos),
              TimeUnit.NANOSECONDS.toMillis(result.finishedNanos),
              store.size());
        }
      }
    }
  }
}
