package dev.agentmesh.examples.prioritylist;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.triggers.AgentTriggers;
import dev.agentmesh.triggers.HumanTrigger;
import dev.agentmesh.triggers.JdkWebhookServer;
import dev.agentmesh.triggers.SecretResolver;
import dev.agentmesh.triggers.StartRefusedException;
import dev.agentmesh.triggers.TriggerBinding;
import dev.agentmesh.triggers.TriggerClaim;
import dev.agentmesh.triggers.TriggerDefinition;
import dev.agentmesh.triggers.TriggerSpec;
import dev.agentmesh.triggers.Triggers;
import dev.agentmesh.triggers.WebhookHandler;
import dev.agentmesh.triggers.WebhookScheme;
import dev.agentmesh.triggers.WebhookVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The example's host: one mesh, sessions in the given store, and the four ways the {@code
 * daily-priorities} agent is started, each a method that returns the finished session:
 *
 * <ol>
 *   <li>{@link #byCron()}: the trigger file's 9:00 weekday cron, fired by moving the demo clock to
 *       the next occurrence and ticking the {@link Triggers} runtime;
 *   <li>{@link #byHuman}: a person with a token starts a session ({@link HumanTrigger});
 *   <li>{@link #byAgent(String)}: the {@code morning-briefing} agent starts it as a sub-task with
 *       {@code start_session} ({@link AgentTriggers});
 *   <li>{@link #byWebhook}: the CRM posts a signed webhook to the {@link JdkWebhookServer}.
 * </ol>
 *
 * <pre>{@code
 * try (PriorityHost host = PriorityHost.start(mesh, store, clock, zone, secrets, people)) {
 *   PriorityList list = host.byCron().output(PriorityList.class);
 * }
 * }</pre>
 */
public final class PriorityHost implements AutoCloseable {

  /** How long a session may take. */
  static final Duration TURN = Duration.ofMinutes(3);

  /** The environment variable (a secret reference in the trigger file) the CRM signs with. */
  public static final String WEBHOOK_SECRET = "CRM_WEBHOOK_SECRET";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final DemoClock clock;
  private final ZoneId zone;
  private final Sessions sessions;
  private final AgentTriggers children;
  private final Triggers triggers;
  private final TriggerDefinition cron;
  private final WebhookHandler webhooks;
  private final JdkWebhookServer server;
  private final HumanTrigger humans;
  private final String webhookSecret;

  private PriorityHost(
      Mesh mesh,
      SessionStore store,
      DemoClock clock,
      ZoneId zone,
      String webhookSecret,
      Map<String, String> people) {
    this.clock = clock;
    this.zone = zone;
    this.webhookSecret = webhookSecret;
    List<TriggerSpec> declared = PriorityMesh.triggers(zone);
    this.children = AgentTriggers.builder().declared(declared).build(); // refuses undeclared
    this.sessions = Sessions.builder(mesh).store(store).extension(children).build();
    TriggerBinding bound =
        TriggerBinding.of(
            declared, SecretResolver.from(Map.of(WEBHOOK_SECRET, webhookSecret)), clock);
    this.triggers = Triggers.builder(sessions).addAll(bound.definitions()).clock(clock).build();
    this.cron = triggers.definition(PriorityMesh.CRON).orElseThrow();
    this.webhooks = WebhookHandler.builder(sessions).triggers(bound.webhooks()).build();
    this.server = JdkWebhookServer.builder(webhooks).start();
    this.humans =
        HumanTrigger.builder(sessions)
            .authenticator(
                credential -> {
                  String person = people.get(String.valueOf(credential));
                  if (person == null) throw new StartRefusedException("unknown token");
                  return person;
                })
            .declared(bound.humanStarts())
            .build();
  }

  /**
   * Starts the host.
   *
   * @param mesh the example's mesh
   * @param store where sessions and trigger claims live
   * @param clock the demo clock (triggers, webhook signatures, the tools' today)
   * @param zone the host's zone
   * @param webhookSecret the CRM's Standard Webhooks secret ({@code whsec_...})
   * @param people token to person, for {@link #byHuman}
   * @return the running host
   */
  public static PriorityHost start(
      Mesh mesh,
      SessionStore store,
      DemoClock clock,
      ZoneId zone,
      String webhookSecret,
      Map<String, String> people) {
    return new PriorityHost(mesh, store, clock, zone, webhookSecret, people);
  }

  /** {@return the sessions runtime} */
  public Sessions sessions() {
    return sessions;
  }

  /** {@return the cron definition, in the host's zone} */
  public TriggerDefinition cron() {
    return cron;
  }

  /** {@return the webhook's URL on the loopback server} */
  public URI webhookUri() {
    return server.uri("/webhooks/crm");
  }

  /**
   * Fires the next 9:00 weekday occurrence after the clock's time: moves the clock five seconds
   * past it and ticks the triggers runtime. If that occurrence was fired before (a re-run on the
   * same store), its claim says which session it started and nothing starts again: an occurrence
   * fires once.
   *
   * @return the occurrence and its session, finished
   */
  public CronRun byCron() {
    Instant occurrence =
        Objects.requireNonNull(
            cron.schedule().nextAfter(clock.instant()),
            "the cron " + cron.id() + " never fires again");
    clock.set(occurrence.plusSeconds(5));
    boolean started = triggers.tick().started() > 0;
    List<TriggerClaim> claims =
        triggers.claims(cron.id(), occurrence, occurrence.plusSeconds(1), 10);
    String id =
        claims.stream()
            .map(TriggerClaim::sessionId)
            .filter(Objects::nonNull)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "The occurrence "
                            + occurrence
                            + " of "
                            + cron.id()
                            + " started no session; its claims: "
                            + claims));
    return new CronRun(occurrence, started, sessions.session(id).awaitFinished(TURN));
  }

  /**
   * One occurrence of the cron.
   *
   * @param occurrence the scheduled instant
   * @param firedNow whether this call started its session (false: an earlier run on the store did)
   * @param session its session, finished
   */
  public record CronRun(Instant occurrence, boolean firedNow, SessionState session) {}

  /**
   * A person starts the agent from a session (a chat box, a button), authenticated by a token.
   *
   * @param token the person's token
   * @return the session, finished
   */
  public SessionState byHuman(String token) {
    return humans
        .start(token, PriorityMesh.AGENT)
        .input(Map.of("reason", "a person asked for it"))
        .start()
        .awaitFinished(TURN);
  }

  /**
   * The {@code morning-briefing} agent starts the list as a sub-task; returns the child session
   * (the parent's own session is finished too, with the manager's summary as its output).
   *
   * @param person who asks for the briefing
   * @return the child session, finished
   */
  public Briefing byAgent(String person) {
    SessionState parent =
        sessions
            .newSession(PriorityMesh.BRIEFING)
            .input("Brief me for today")
            .origin(Origin.human(person))
            .start()
            .awaitFinished(TURN);
    List<SessionSummary> started =
        sessions
            .query(SessionQuery.builder().origin(Origin.session(parent.id(), "any")).build())
            .sessions();
    if (started.size() != 1)
      throw new IllegalStateException(
          "Expected the briefing session "
              + parent.id()
              + " to start one child but found "
              + started.size());
    return new Briefing(parent, sessions.session(started.get(0).id()).awaitFinished(TURN));
  }

  /**
   * A parent session and the child it started.
   *
   * @param parent the {@code morning-briefing} session
   * @param child the {@code daily-priorities} session it started
   */
  public record Briefing(SessionState parent, SessionState child) {}

  /**
   * The CRM tells us an account changed owner: a HubSpot-style event array, signed the Standard
   * Webhooks way, posted over HTTP to the webhook server.
   *
   * @param deliveryId the delivery's id ({@code webhook-id}); a repeat starts nothing new
   * @return the HTTP status and the session it started (or found), finished
   */
  public WebhookRun byWebhook(String deliveryId) {
    byte[] body =
        ("[{\"eventId\":1,\"subscriptionType\":\"company.propertyChange\",\"propertyName\":"
                + "\"hubspot_owner_id\",\"objectId\":1003,\"occurredAt\":"
                + clock.millis()
                + "}]")
            .getBytes(StandardCharsets.UTF_8);
    WebhookVerifier signer =
        WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
            .secret(webhookSecret)
            .clock(clock)
            .build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(webhookUri())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signer.sign(deliveryId, body).forEach(request::header);
    HttpResponse<String> response;
    try {
      response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "Cannot reach the webhook server at " + webhookUri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while posting the webhook", e);
    }
    List<SessionSummary> found =
        sessions
            .query(
                SessionQuery.builder()
                    .origin(Origin.webhook(PriorityMesh.WEBHOOK, deliveryId))
                    .build())
            .sessions();
    SessionState state =
        found.stream()
            .map(s -> sessions.session(s.id()).state())
            .filter(s -> deliveryId.equals(s.origin().reference()))
            .findFirst()
            .map(s -> sessions.session(s.id()).awaitFinished(TURN))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "The webhook answered "
                            + response.statusCode()
                            + " "
                            + response.body()
                            + " but started no session"));
    return new WebhookRun(response.statusCode(), state);
  }

  /**
   * A webhook delivery's answer and session.
   *
   * @param status the HTTP status (202 started, 200 a repeat)
   * @param session the session, finished
   */
  public record WebhookRun(int status, SessionState session) {}

  /**
   * The output of a finished session, or an exception saying why there is none.
   *
   * @param state a finished session
   * @return its output
   */
  public static JsonNode output(SessionState state) {
    JsonNode output = state.output();
    if (output == null)
      throw new IllegalStateException(
          "Session "
              + state.id()
              + " of "
              + state.agent()
              + " ended "
              + state.status()
              + " without an output: "
              + state.failure());
    return output;
  }

  /** {@return the host's zone} */
  public ZoneId zone() {
    return zone;
  }

  @Override
  public void close() {
    server.close();
    triggers.close();
    sessions.close();
    children.close();
  }
}
