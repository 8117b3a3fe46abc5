package dev.agentmesh.examples.prioritylist;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.examples.support.CrmProcess;
import dev.agentmesh.examples.support.ExampleModel;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.examples.support.SlackProcess;
import dev.agentmesh.review.notify.Deliveries;
import dev.agentmesh.review.notify.DeliveryRecord;
import dev.agentmesh.review.notify.InProcessDeliveryScheduler;
import dev.agentmesh.review.notify.SlackNotifier;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SqliteSessionStore;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Example 1, the daily priority list. Starts a CRM and ticketing service and a Slack webhook
 * receiver as processes of their own on loopback (their output is shown with the demo's), sets the
 * demo clock to Monday 2026-11-30 08:59 in the host's zone, then:
 *
 * <ol>
 *   <li>moves the clock to 9:00, so the weekday cron fires; the {@code daily-priorities} session
 *       ranks each rep's accounts and its list goes to Slack (one message per rep, one per
 *       escalation to the manager);
 *   <li>starts the same agent three more ways (a person, the {@code morning-briefing} agent, a
 *       signed CRM webhook) and shows that all four made the same list.
 * </ol>
 *
 * <pre>
 * ./mvnw -q -pl examples/priority-list -am package -DskipTests exec:java
 * </pre>
 */
public final class PriorityListApp {

  /** When the demo clock starts, in the host's zone: a Monday, a minute before the cron. */
  static final LocalDateTime DEMO_START = LocalDateTime.parse("2026-11-30T08:59:00");

  /** The token the demo's person (Dana, the sales manager) starts a session with. */
  static final String DANA_TOKEN = "demo-token-dana";

  private PriorityListApp() {}

  /**
   * Runs the demo with the process's environment and system properties.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.getenv(), System.getProperties(), System.out);
  }

  /** The whole demo, with the environment and system properties it reads passed in. */
  static void run(Map<String, String> env, Properties props, PrintStream out) {
    ZoneId zone = ZoneId.systemDefault();
    ChatModel model = ExampleModel.from(env, out, ScriptedPriorityModel::new);
    DemoClock clock = DemoClock.at(DEMO_START.atZone(zone).toInstant());
    String secret = env.getOrDefault(PriorityHost.WEBHOOK_SECRET, demoSecret());
    try (CrmProcess crm = CrmProcess.start(out);
        SlackProcess slack = SlackProcess.start(out);
        SqliteSessionStore store = ExampleStore.sqlite("priority-list", props, env);
        Mesh mesh =
            PriorityMesh.mesh(
                model, new PriorityTools(crm.client(), PriorityRules.defaults(), clock, zone));
        PriorityHost host =
            PriorityHost.start(mesh, store, clock, zone, secret, Map.of(DANA_TOKEN, "dana"));
        InProcessDeliveryScheduler scheduler =
            InProcessDeliveryScheduler.of(
                Clock.systemUTC(),
                Executors.newSingleThreadScheduledExecutor(
                    r -> {
                      Thread t = new Thread(r, "priority-list-notify");
                      t.setDaemon(true);
                      return t;
                    }))) {
      out.println("CRM and ticketing service: " + crm.baseUri());
      out.println("Slack incoming webhook:    " + slack.webhookUri());
      out.println("Cron: " + host.cron().schedule().describe());
      out.println("Demo clock: " + clock.instant().atZone(zone) + ", moved to the next occurrence");

      PriorityHost.CronRun cron = host.byCron();
      SessionState daily = cron.session();
      out.println(
          "1. cron      "
              + cron.occurrence().atZone(zone)
              + " -> session "
              + daily.id()
              + " "
              + daily.status());
      if (cron.firedNow()) {
        deliver(daily, slack, scheduler, out);
      } else {
        out.println(
            "   that occurrence already fired in an earlier run on this store: an occurrence fires"
                + " once, and its list was delivered then (delete "
                + ExampleStore.path("priority-list", props, env)
                + " to see it again)");
      }
      JsonNode list = PriorityHost.output(daily);
      SessionState human = host.byHuman(DANA_TOKEN);
      out.println(line("2. human     ", human, list));
      PriorityHost.Briefing briefing = host.byAgent("dana");
      out.println(line("3. agent     ", briefing.child(), list));
      out.println(
          "   morning-briefing answered: " + PriorityHost.output(briefing.parent()).asString());
      PriorityHost.WebhookRun webhook = host.byWebhook("msg_" + UUID.randomUUID());
      out.println(line("4. webhook " + webhook.status(), webhook.session(), list));
      boolean same =
          list.equals(human.output())
              && list.equals(briefing.child().output())
              && list.equals(webhook.session().output());
      out.println(
          same
              ? "All four triggers made the same list for the same data."
              : "The four lists differ (a real model may word or order them differently).");
    }
  }

  private static void deliver(
      SessionState daily,
      SlackProcess slack,
      InProcessDeliveryScheduler scheduler,
      PrintStream out) {
    PriorityList list = daily.output(PriorityList.class);
    int count = PriorityDelivery.notifications(daily.id(), list).size();
    CountDownLatch done = new CountDownLatch(count);
    Deliveries deliveries =
        Deliveries.builder(scheduler)
            .notifier("slack", SlackNotifier.builder(slack.webhookUri()).build())
            .listener(
                r -> {
                  if (r.outcome() != DeliveryRecord.Outcome.RETRYING) done.countDown();
                })
            .build();
    out.println("   delivering " + count + " messages to Slack:");
    PriorityDelivery.to(deliveries).deliver(daily.id(), list);
    try {
      if (!done.await(60, TimeUnit.SECONDS))
        out.println("   Slack did not take every message within 60 s");
      slack.sync(); // the receiver printed each message before answering: now it is in `out`
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String line(String how, SessionState state, JsonNode cronList) {
    return how
        + " "
        + state.origin().key()
        + " -> session "
        + state.id()
        + " "
        + state.status()
        + (cronList.equals(state.output())
            ? ", the same list as the cron's"
            : ", a different list");
  }

  private static String demoSecret() {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }
}
