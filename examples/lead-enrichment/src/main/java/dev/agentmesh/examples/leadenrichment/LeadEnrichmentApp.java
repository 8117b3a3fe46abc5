package dev.agentmesh.examples.leadenrichment;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.examples.support.CrmClient;
import dev.agentmesh.examples.support.CrmProcess;
import dev.agentmesh.examples.support.CrmRecord;
import dev.agentmesh.examples.support.ExampleModel;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.examples.support.LoopbackProcess;
import dev.agentmesh.examples.support.SlackProcess;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.EffectStatus;
import dev.agentmesh.review.RecordChange;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.review.notify.Notifier;
import dev.agentmesh.review.notify.SlackNotifier;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.triggers.JdkWebhookServer;
import dev.agentmesh.triggers.SecretResolver;
import dev.agentmesh.triggers.TriggerBinding;
import dev.agentmesh.triggers.TriggerSpecs;
import dev.agentmesh.triggers.WebhookHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lead enrichment on signup. The CRM, the enrichment service and a Slack webhook receiver run as
 * processes of their own on loopback, started here. The sign-up system sends a signed webhook
 * (Standard Webhooks); the webhook trigger starts a session of the {@code enrich-lead} agent, which
 * looks the company up in a local enrichment service and proposes the new lead for the CRM as a
 * {@code RecordChange}. Its review policy approves the low-risk fields (the company's facts, the
 * e-mail from the form): they are written at once, creating the lead. The owner assignment and
 * status wait for Dana, a sales lead, who is asked in Slack (the review module's {@code
 * SlackNotifier}); once she approves, they are applied to that lead, conditionally on the version
 * the first write left. The same delivery sent again starts nothing. A second sign-up shows the
 * other side of the rule: the lead is changed in the CRM before Dana approves, and her approval is
 * refused, not written over the change.
 *
 * <pre>
 * ./mvnw -q -pl examples/lead-enrichment -am package -DskipTests exec:java
 * </pre>
 */
public final class LeadEnrichmentApp {

  /** What one run did, for tests. */
  record Result(
      String sessionId,
      String leadId,
      Map<String, String> lead,
      List<ReviewState> reviews,
      int firstStatus,
      int replayStatus,
      int sessionsStartedByReplay,
      EffectStatus staleApproval) {}

  static final String DANA_TOKEN = "demo-token-of-dana-the-sales-lead";
  static final Duration TURN = Duration.ofMinutes(2);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LeadEnrichmentApp() {}

  public static void main(String[] args) {
    run(System.getenv(), System.getProperties(), System.out);
  }

  /** The whole example, with the environment and system properties it reads passed in. */
  static Result run(Map<String, String> env, Properties props, PrintStream out) {
    ChatModel model = ExampleModel.from(env, out, OfflineLeadModel::new);
    String secret = env.getOrDefault("SIGNUP_WEBHOOK_SECRET", SignupSystem.newSecret());
    Clock clock = Clock.systemUTC();
    try (CrmProcess crm = CrmProcess.start(out);
        LoopbackProcess enrichment =
            LoopbackProcess.start(
                "the enrichment service", EnrichmentService.class, List.of(), out);
        SlackProcess slack = SlackProcess.start(out);
        SqliteSessionStore store = ExampleStore.sqlite("lead-enrichment", props, env);
        Mesh mesh = mesh(model, URI.create(enrichment.baseUri() + "/"), crm.client());
        Reviews reviews = reviews(mesh, store, crm.client(), out, slack.webhookUri());
        Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build();
        JdkWebhookServer server =
            JdkWebhookServer.builder(webhooks(sessions, secret, clock)).start()) {
      out.println("CRM at " + crm.baseUri() + ", enrichment service at " + enrichment.baseUri());
      out.println("Slack incoming webhook at " + slack.webhookUri());
      URI endpoint = server.uri("/webhooks/signup");
      out.println("Sign-up webhook (Standard Webhooks) at " + endpoint);
      SignupSystem signups = new SignupSystem(secret, clock);
      String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

      out.println();
      SignupSystem.Delivery delivery =
          signups.signup(
              "su_" + run + "_1", "Rachael Rosen", "rachael@tyrell.example", "tyrell.example");
      HttpResponse<String> first = signups.send(endpoint, delivery);
      String sessionId = JSON.readTree(first.body()).path("session").asString();
      out.println(
          "1. The sign-up system delivers "
              + delivery.id()
              + ": "
              + first.statusCode()
              + " "
              + first.body());
      SessionState waiting = sessions.session(sessionId).awaitIdle(TURN);
      List<ReviewState> proposed = reviews.reviews(sessionId);
      ReviewState byPolicy = proposed.get(0);
      ReviewState rest = proposed.get(proposed.size() - 1);
      out.println("2. Session " + sessionId + " (" + waiting.status() + ") proposed the lead:");
      out.println(
          "   "
              + byPolicy.id()
              + " "
              + fields(byPolicy)
              + ": "
              + byPolicy.status()
              + " by "
              + byPolicy.decisions().get(0).reviewer()
              + " (below the risk tier)");
      out.println(
          "   "
              + rest.id()
              + " "
              + fields(rest)
              + ": "
              + rest.status()
              + " for dana (tier "
              + rest.risk()
              + ")");
      out.println("3. The sweep applies policy's fields and asks Dana about the rest in Slack:");
      reviews.runDue();
      slack.sync();
      String leadId = newestLead(crm);
      out.println("   lead " + leadId + " exists, without owner or status yet");

      int before = count(sessions);
      HttpResponse<String> replay = signups.send(endpoint, delivery);
      out.println("4. The same delivery again: " + replay.statusCode() + " " + replay.body());
      int started = count(sessions) - before;

      ReviewOutcome approved =
          reviews.decide(rest.id(), rest.hash(), DANA_TOKEN, Decision.approve());
      SessionState done = sessions.session(sessionId).awaitFinished(TURN);
      CrmRecord lead = crm.client().get("leads", leadId);
      out.println(
          "5. Dana approves: review "
              + approved.status()
              + ", effect "
              + approved.effect()
              + ", session "
              + done.status());
      out.println(
          "   lead "
              + leadId
              + " (version "
              + lead.version()
              + "): "
              + new java.util.TreeMap<>(lead.properties()));

      out.println();
      EffectStatus stale =
          changedMeanwhile(signups, endpoint, run, sessions, reviews, crm, slack, out);
      return new Result(
          sessionId,
          leadId,
          lead.properties(),
          reviews.reviews(sessionId),
          first.statusCode(),
          replay.statusCode(),
          started,
          stale);
    }
  }

  /** A second sign-up whose lead someone edits in the CRM before Dana approves the rest. */
  private static EffectStatus changedMeanwhile(
      SignupSystem signups,
      URI endpoint,
      String run,
      Sessions sessions,
      Reviews reviews,
      CrmProcess crm,
      SlackProcess slack,
      PrintStream out) {
    SignupSystem.Delivery delivery =
        signups.signup(
            "su_" + run + "_2", "Peter Gibbons", "peter@initech.example", "initech.example");
    String sessionId =
        JSON.readTree(signups.send(endpoint, delivery).body()).path("session").asString();
    sessions.session(sessionId).awaitIdle(TURN);
    out.println("6. A second sign-up; the sweep again:");
    reviews.runDue();
    slack.sync();
    String leadId = newestLead(crm);
    crm.edit("leads", leadId, "hs_lead_status", "WORKING");
    out.println(
        "   lead "
            + leadId
            + " created by policy, then a rep sets its status"
            + " to WORKING in the CRM before Dana decides");
    ReviewState rest = reviews.pending(sessionId).get(0);
    ReviewOutcome outcome = reviews.decide(rest.id(), rest.hash(), DANA_TOKEN, Decision.approve());
    out.println(
        "7. Dana approves: effect "
            + outcome.effect()
            + "; the lead keeps "
            + crm.client().get("leads", leadId).property("hs_lead_status"));
    return outcome.effect();
  }

  private static String newestLead(CrmProcess crm) {
    List<CrmRecord> leads = crm.client().list("leads");
    return leads.get(leads.size() - 1).id();
  }

  static Mesh mesh(ChatModel model, URI enrichment, CrmClient crm) {
    return Mesh.builder()
        .agent(spec("agents/enrich-lead.yaml"))
        .model("fast", model)
        .tools(new LeadTools(enrichment, crm))
        .build();
  }

  /**
   * Reviews on the example's store: Dana authenticates by token; each review request goes to Slack
   * (delivered on the thread that runs the sweep, so the demo prints in order); approvals apply to
   * the CRM.
   */
  static Reviews reviews(
      Mesh mesh, SqliteSessionStore store, CrmClient crm, PrintStream out, URI slack) {
    Notifier toSlack = SlackNotifier.builder(slack).build();
    return Reviews.builder(mesh)
        .store(store)
        .authenticator(Authenticator.tokens(Map.of(DANA_TOKEN, Reviewer.of("dana"))))
        .publisher("record-change", new CrmLeads(crm, out))
        .notifier(
            "slack",
            n -> {
              // only what Dana must act on: review requests, not decisions or failures
              if (n.kind() == Notification.Kind.REVIEW_REQUESTED) toSlack.deliver(n);
            })
        .deliveryExecutor(Runnable::run)
        .sweepInterval(null) // the example runs the sweep itself, to show the order
        .build();
  }

  /** The trigger file bound to the sessions, its secret reference resolved to {@code secret}. */
  static WebhookHandler webhooks(Sessions sessions, String secret, Clock clock) {
    TriggerBinding bound =
        TriggerBinding.of(
            TriggerSpecs.parse(resource("triggers/signup.yaml"), "triggers/signup.yaml"),
            SecretResolver.from(Map.of("SIGNUP_WEBHOOK_SECRET", secret)),
            clock);
    return WebhookHandler.builder(sessions).triggers(bound.webhooks()).build();
  }

  private static List<String> fields(ReviewState review) {
    return ((RecordChange) review.artifact())
        .changes().stream().map(RecordChange.FieldChange::field).toList();
  }

  private static int count(Sessions sessions) {
    return sessions.query(SessionQuery.builder().limit(1000).build()).sessions().size();
  }

  static AgentSpec spec(String resource) {
    return AgentSpecs.parse(resource(resource), resource);
  }

  private static String resource(String name) {
    try (InputStream in = LeadEnrichmentApp.class.getResourceAsStream("/" + name)) {
      if (in == null) throw new IllegalStateException("the example's jar lacks " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
