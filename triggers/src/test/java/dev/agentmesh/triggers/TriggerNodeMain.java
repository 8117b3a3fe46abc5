package dev.agentmesh.triggers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A trigger node in its own process, for {@link ClusteredTriggersTest}: {@code count} minutely
 * triggers over PostgreSQL, ticking when told. Reads lines {@code tick <epoch-second>} on stdin;
 * prints {@code creating} as a batch of sessions goes to the store (the kill point) and {@code
 * ticked <epoch-second> <started> <taken>} after each tick.
 *
 * <p>Arguments: jdbc url, user, schema, node name, trigger count, batch size.
 */
public final class TriggerNodeMain {

  private TriggerNodeMain() {}

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    if (!args[1].isEmpty()) {
      config.setUsername(args[1]);
    }
    config.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      SessionStore postgres = PostgresSessionStore.builder(ds).schema(args[2]).build();
      FakeClock clock = FakeClock.at(Instant.parse("2026-03-02T07:59:30Z"));
      try (Node node =
          new Node(
              args[3],
              announcing(postgres),
              clock,
              b ->
                  b.addAll(ClusteredTriggersTest.minutely(Integer.parseInt(args[4])))
                      .batchSize(Integer.parseInt(args[5])))) {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          long second = Long.parseLong(line.substring("tick ".length()));
          clock.set(Instant.ofEpochSecond(second));
          TickReport r = node.triggers.tick();
          System.out.println("ticked " + second + " " + r.started() + " " + r.taken());
        }
      }
    }
  }

  /** The store, saying "creating" on stdout each time a batch is about to be stored. */
  private static SessionStore announcing(SessionStore store) {
    return (SessionStore)
        Proxy.newProxyInstance(
            SessionStore.class.getClassLoader(),
            new Class<?>[] {SessionStore.class},
            (proxy, method, methodArgs) -> {
              if (method.getName().equals("createAll")) {
                System.out.println("creating");
                System.out.flush();
              }
              try {
                return method.invoke(store, methodArgs);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
