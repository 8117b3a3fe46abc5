package dev.agentmesh.examples.crmupdate;

import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.examples.support.CrmClient;
import dev.agentmesh.examples.support.CrmProcess;
import dev.agentmesh.examples.support.CrmRecord;
import dev.agentmesh.examples.support.CrmServer;
import dev.agentmesh.examples.support.ExampleModel;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.examples.support.SlackProcess;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.PublishHandler;
import dev.agentmesh.review.PublishRefusedException;
import dev.agentmesh.review.RecordChange;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.review.notify.Notifier;
import dev.agentmesh.review.notify.SlackNotifier;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SqliteSessionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Example 2, the conversational CRM update. The CRM and a Slack webhook receiver run as processes
 * of their own on loopback, started here. Three reps tell the {@code crm-update} agent about a
 * call; each time the agent reads the company from the CRM (over HTTP, with its version) and
 * proposes a {@link RecordChange} (last touch, call logged) that waits for the rep's approval; the
 * review request reaches the rep through the review module's {@link SlackNotifier}, and the
 * receiver prints it as Slack would show it:
 *
 * <ol>
 *   <li>maya approves as proposed: the change is applied once, conditionally on the version read;
 *   <li>luis edits the call note, then approves: the edited change is applied;
 *   <li>priya's company is changed in the CRM meanwhile: her approval is refused at apply time, and
 *       the CRM keeps the other person's change.
 * </ol>
 *
 * <pre>
 * ./mvnw -q -pl examples/crm-update -am package -DskipTests exec:java
 * </pre>
 */
public final class CrmUpdateApp {

  static final Duration TURN = Duration.ofMinutes(2);

  /** The reps' credentials: the host's authenticator turns each into reviewer {@code <rep>}. */
  static final Map<String, String> TOKENS =
      Map.of("maya", "token-of-maya", "luis", "token-of-luis", "priya", "token-of-priya");

  /**
   * One conversation of the demo.
   *
   * @param rep who spoke and decided
   * @param said what the rep said
   * @param sessionId the session
   * @param proposed what the agent proposed
   * @param decided what the rep approved (the edit, when edited)
   * @param outcome the decision's outcome (its effect: applied or failed)
   * @param refusal why the CRM refused the change, empty when applied
   * @param events the session log's event types, in order
   */
  record Conversation(
      String rep,
      String said,
      String sessionId,
      RecordChange proposed,
      RecordChange decided,
      ReviewOutcome outcome,
      String refusal,
      List<String> events) {}

  /**
   * What the demo did, for tests.
   *
   * @param conversations the three conversations
   * @param companies the companies in the CRM at the end
   * @param calls the calls in the CRM at the end
   * @param requests every request the CRM answered
   */
  record Demo(
      List<Conversation> conversations,
      List<CrmRecord> companies,
      List<CrmRecord> calls,
      List<CrmServer.RecordedRequest> requests) {}

  private CrmUpdateApp() {}

  public static void main(String[] args) {
    run(System.getenv(), System.getProperties(), System.out);
  }

  /** The whole demo, with the environment and system properties it reads passed in. */
  static Demo run(Map<String, String> env, Properties props, PrintStream out) {
    return run(env, props, out, Clock.systemUTC());
  }

  /** The demo with the tool's clock given (tests fix "today"). */
  static Demo run(Map<String, String> env, Properties props, PrintStream out, Clock clock) {
    ChatModel model = ExampleModel.from(env, out, ScriptedCrmModel::new);
    List<String> refusals = new CopyOnWriteArrayList<>();
    try (CrmProcess crm = CrmProcess.start(out);
        SlackProcess slack = SlackProcess.start(out);
        SqliteSessionStore store = ExampleStore.sqlite("crm-update", props, env);
        Mesh mesh = mesh(model, crm.client(), clock);
        Reviews reviews = reviews(mesh, store, crm.client(), refusals, slack.webhookUri());
        Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build()) {
      out.println("CRM: " + crm.baseUri() + " (HubSpot-shaped API, the sample accounts)");
      out.println("Slack incoming webhook: " + slack.webhookUri());
      out.println("Session store: " + ExampleStore.path("crm-update", props, env));
      Conversations demo =
          new Conversations(
              sessions,
              reviews,
              refusals,
              () -> {
                reviews.runDue(); // the sweep hands the review request to the Slack notifier
                slack.sync(); // the receiver printed it before answering: now it is in `out`
              },
              out);
      demo.converse("maya", "I called Acme and left a message", change -> change);
      demo.converse(
          "luis",
          "Called Globex, spoke to Hank: their IT unblocked the data import",
          change ->
              edited(
                  change,
                  "activity.hs_call_body",
                  "Spoke to Hank Scorpio: their IT unblocked the data import; onboarding resumes"
                      + " this week."));
      demo.beforeDeciding(
          () -> {
            CrmRecord edited = crm.edit("companies", "1004", "onboarding_status", "in_progress");
            out.println(
                "  meanwhile dana changes Umbrella Health in the CRM: onboarding_status"
                    + " in_progress (version "
                    + edited.version()
                    + ")");
          });
      demo.converse("priya", "I called Umbrella Health and left a message", change -> change);
      out.println();
      out.println("CRM requests:");
      for (CrmServer.RecordedRequest r : crm.requests())
        if (!r.method().equals("GET") && !r.path().endsWith("/search"))
          out.println(
              "  "
                  + r.line()
                  + (r.ifMatch() == null ? "" : " If-Match " + r.ifMatch())
                  + " -> "
                  + r.status());
      return new Demo(demo.done(), crm.records("companies"), crm.records("calls"), crm.requests());
    }
  }

  /** The example's mesh: the {@code crm-update} spec, this model, the CRM tool. */
  static Mesh mesh(ChatModel model, CrmClient crm, Clock clock) {
    return Mesh.builder()
        .agent(AgentSpecs.parse(resource("agents/crm-update.yaml"), "agents/crm-update.yaml"))
        .model("default", model)
        .tools(new CrmTools(crm, clock))
        .build();
  }

  /**
   * Reviews on the example's store: reps authenticate by token; each review request goes to Slack
   * (delivered on the thread that runs the sweep, so the demo prints in order); approvals apply to
   * the CRM.
   */
  static Reviews reviews(
      Mesh mesh, SqliteSessionStore store, CrmClient crm, List<String> refusals, URI slack) {
    Notifier toSlack = SlackNotifier.builder(slack).build();
    PublishHandler apply = CrmChangePublisher.handler(crm);
    Map<String, Reviewer> reviewers = new java.util.HashMap<>();
    TOKENS.forEach((rep, token) -> reviewers.put(token, Reviewer.of(rep)));
    return Reviews.builder(mesh)
        .store(store)
        .authenticator(Authenticator.tokens(reviewers))
        .publisher(
            "record-change",
            PublishHandler.idempotent(
                publication -> {
                  try {
                    return apply.publish(publication);
                  } catch (PublishRefusedException e) {
                    refusals.add(String.valueOf(e.getMessage()));
                    throw e;
                  }
                }))
        .notifier("slack", requestsOnly(toSlack))
        .deliveryExecutor(Runnable::run)
        .sweepInterval(null)
        .build();
  }

  /** Only what a rep must act on reaches Slack: review requests, not decisions or failures. */
  static Notifier requestsOnly(Notifier notifier) {
    return n -> {
      if (n.kind() == Notification.Kind.REVIEW_REQUESTED) notifier.deliver(n);
    };
  }

  static RecordChange edited(RecordChange change, String field, String after) {
    List<RecordChange.FieldChange> changes = new ArrayList<>();
    for (RecordChange.FieldChange f : change.changes())
      changes.add(
          f.field().equals(field) ? new RecordChange.FieldChange(field, f.before(), after) : f);
    return new RecordChange(
        change.system(), change.recordType(), change.recordId(), change.versionRead(), changes);
  }

  private static String resource(String name) {
    try (InputStream in = CrmUpdateApp.class.getResourceAsStream("/" + name)) {
      if (in == null) throw new IllegalStateException("the example's jar lacks " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
