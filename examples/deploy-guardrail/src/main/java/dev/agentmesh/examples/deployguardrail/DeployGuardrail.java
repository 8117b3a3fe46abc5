package dev.agentmesh.examples.deployguardrail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Guardrail;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.triggers.EventBus;
import dev.agentmesh.triggers.EventSubscription;
import dev.agentmesh.triggers.RabbitMqSource;
import dev.agentmesh.triggers.TriggerSpec;
import dev.agentmesh.triggers.TriggerSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The running guardrail: the mesh with the deterministic {@code deploy-guardrail} agent, its
 * sessions, the event bus fed by a {@link RabbitMqSource} on the {@code deploy.requested} queue,
 * and the verdict outbox that publishes each completed session's verdict back to the broker.
 *
 * <p>Exactly once where it matters: the {@code RabbitMqSource} acks a message only after its
 * session is committed with the create-once key {@code event:deploy-requested:<message id>}, so a
 * redelivered message finds the session and is not checked twice. A verdict is published (with
 * publisher confirms, {@code message_id} {@code verdict:<request message id>}) and then recorded in
 * the session as {@code deploy.verdict-published}; a crash between the two publishes it again with
 * the same {@code message_id}, which a consumer deduplicates.
 *
 * <pre>{@code
 * try (DeployGuardrail guardrail =
 *     DeployGuardrail.start(factory, DeployGuardrail.Names.prefixed("acme"), store,
 *         DeployChecks.standard())) {
 *   // publish deploy.requested messages to guardrail.names().exchange()
 * }
 * }</pre>
 */
public final class DeployGuardrail implements AutoCloseable {

  /** The session event recorded once a session's verdict is confirmed by the broker. */
  public static final String VERDICT_PUBLISHED = "deploy.verdict-published";

  /** The routing key of requests. */
  public static final String REQUESTED = "deploy.requested";

  /** The routing key verdicts are published with. */
  public static final String VERDICT = "deploy.verdict";

  /** The agent, as its spec names it. */
  public static final String AGENT = "deploy-guardrail";

  private static final Logger log = LoggerFactory.getLogger(DeployGuardrail.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * The broker objects the guardrail uses, all named from one prefix so that several runs (and
   * tests) share a broker without meeting.
   *
   * <pre>{@code
   * DeployGuardrail.Names names = DeployGuardrail.Names.prefixed("demo-3f2a");
   * names.exchange(); // "demo-3f2a.deploys"
   * }</pre>
   *
   * @param exchange the topic exchange requests arrive on and verdicts leave by
   * @param requests the queue of {@code deploy.requested} messages
   * @param deadLetters the exchange requests that can never be checked go to
   */
  public record Names(String exchange, String requests, String deadLetters) {

    /**
     * The names under {@code prefix}.
     *
     * @param prefix a prefix, such as {@code demo-3f2a}
     * @return the names
     */
    public static Names prefixed(String prefix) {
      return new Names(prefix + ".deploys", prefix + "." + REQUESTED, prefix + ".deploys.dead");
    }
  }

  private final Names names;
  private final Mesh mesh;
  private final Sessions sessions;
  private final EventBus bus;
  private final RabbitMqSource source;
  private final Connection connection;
  private final Channel verdicts;
  private final ScheduledExecutorService outbox;

  private DeployGuardrail(
      Names names,
      Mesh mesh,
      Sessions sessions,
      EventBus bus,
      RabbitMqSource source,
      Connection connection,
      Channel verdicts) {
    this.names = names;
    this.mesh = mesh;
    this.sessions = sessions;
    this.bus = bus;
    this.source = source;
    this.connection = connection;
    this.verdicts = verdicts;
    this.outbox =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "deploy-guardrail-outbox");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The mesh of the example: the agents under {@code agents/} on the class path, {@code
   * deploy-check} bound to {@code checks}, and the guardrail {@code block-says-why} (a blocked
   * deploy carries at least one finding). No model is bound: none is needed.
   *
   * @param checks the rules
   * @return the mesh
   */
  public static Mesh mesh(DeployChecks checks) {
    return Mesh.builder()
        .agents(AgentSpecs.loadResources("agents"))
        .function("deploy-check", DeployRequest.class, checks::verdict)
        .guardrail("block-says-why", blockSaysWhy())
        .build();
  }

  /** {@return the trigger of the example, from {@code triggers/deploy-requested.yaml}} */
  public static TriggerSpec trigger() {
    String name = "triggers/deploy-requested.yaml";
    try (InputStream in =
        Objects.requireNonNull(
            DeployGuardrail.class.getClassLoader().getResourceAsStream(name), name)) {
      return TriggerSpecs.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Declares the exchange and the requests queue (bound to {@code deploy.requested}), and starts
   * consuming it and publishing verdicts.
   *
   * @param factory connects to the broker
   * @param names the broker objects
   * @param store where sessions are kept
   * @param checks the rules
   * @return the running guardrail; close it
   * @throws IOException when the broker cannot be reached or refuses a declaration
   * @throws TimeoutException when connecting timed out
   */
  public static DeployGuardrail start(
      ConnectionFactory factory, Names names, SessionStore store, DeployChecks checks)
      throws IOException, TimeoutException {
    Connection connection = factory.newConnection("deploy-guardrail verdicts");
    try {
      Channel channel = connection.createChannel();
      channel.exchangeDeclare(names.exchange(), "topic", false, false, null);
      channel.queueDeclare(names.requests(), false, false, false, null);
      channel.queueBind(names.requests(), names.exchange(), REQUESTED);
      channel.confirmSelect();
      Mesh mesh = mesh(checks);
      Sessions sessions = Sessions.builder(mesh).store(store).build();
      TriggerSpec trigger = trigger();
      EventBus bus =
          EventBus.builder(sessions)
              .subscribe(
                  EventSubscription.builder(trigger.id())
                      .topic(Objects.requireNonNull(trigger.source()))
                      .agent(trigger.agent())
                      .build())
              .build();
      RabbitMqSource source =
          RabbitMqSource.builder(factory, bus)
              .queue(names.requests())
              .topic(REQUESTED)
              .deadLetterExchange(names.deadLetters())
              .connectionName("deploy-guardrail requests")
              .build();
      DeployGuardrail guardrail =
          new DeployGuardrail(names, mesh, sessions, bus, source, connection, channel);
      source.start();
      guardrail.outbox.scheduleWithFixedDelay(
          guardrail::publishPendingQuietly, 0, 100, TimeUnit.MILLISECONDS);
      return guardrail;
    } catch (IOException | RuntimeException e) {
      connection.abort();
      throw e;
    }
  }

  /** {@return the broker objects it uses} */
  public Names names() {
    return names;
  }

  /** {@return its sessions, to read the log of each check} */
  public Sessions sessions() {
    return sessions;
  }

  /** {@return the event bus the RabbitMQ source publishes into} */
  public EventBus bus() {
    return bus;
  }

  /**
   * Publishes the verdict of every completed check not published yet, and records each as {@value
   * #VERDICT_PUBLISHED} in its session once the broker confirmed it. Runs every 100 ms on its own
   * thread; call it to publish at once.
   *
   * @return how many verdicts it published
   * @throws IOException when the broker refused a verdict or did not confirm it in 10 seconds
   */
  public synchronized int publishPending() throws IOException {
    int published = 0;
    String cursor = null;
    do {
      var page =
          sessions.query(
              SessionQuery.builder()
                  .agent(AGENT)
                  .status(SessionStatus.COMPLETED.id())
                  .after(cursor)
                  .limit(SessionQuery.MAX_LIMIT)
                  .build());
      for (SessionSummary summary : page.sessions()) {
        Session session = sessions.session(summary.id());
        if (!published(session.history())) {
          publish(session, session.state());
          published++;
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return published;
  }

  private void publishPendingQuietly() {
    try {
      publishPending();
    } catch (IOException | RuntimeException e) {
      log.warn("Publishing verdicts failed; the next pass tries again", e);
    }
  }

  private static boolean published(List<LoggedEvent> history) {
    return history.stream()
        .anyMatch(
            e -> e.event() instanceof SessionEvent.Custom c && c.type().equals(VERDICT_PUBLISHED));
  }

  private void publish(Session session, SessionState state) throws IOException {
    JsonNode verdict = Objects.requireNonNull(state.output(), "a completed session has output");
    String requestId = Objects.requireNonNullElse(state.origin().reference(), session.id());
    String messageId = "verdict:" + requestId;
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .messageId(messageId)
            .correlationId(requestId)
            .contentType("application/json")
            .deliveryMode(2)
            .headers(Map.of("x-session-id", session.id()))
            .build();
    verdicts.basicPublish(names.exchange(), VERDICT, props, JSON.writeValueAsBytes(verdict));
    try {
      verdicts.waitForConfirmsOrDie(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the broker to confirm " + messageId, e);
    } catch (TimeoutException e) {
      throw new IOException("the broker did not confirm " + messageId + " within 10 seconds", e);
    }
    ObjectNode data = JSON.createObjectNode();
    data.put("exchange", names.exchange());
    data.put("routingKey", VERDICT);
    data.put("messageId", messageId);
    session.record(
        s ->
            Recording.of(new SessionEvent.Custom(mesh.clock().instant(), VERDICT_PUBLISHED, data)));
  }

  /** A blocked deploy must say which rules it broke: a check that blocks silently is a bug. */
  static Guardrail blockSaysWhy() {
    return new Guardrail() {
      @Override
      public Verdict checkOutput(JsonNode output) {
        boolean block = output.path("decision").asString("").equals("block");
        return block && output.path("findings").isEmpty()
            ? Verdict.block("a blocked deploy must list the rules it broke")
            : Verdict.allow();
      }
    };
  }

  /**
   * Stops consuming, publishes what is pending, closes the sessions and the mesh, and deletes the
   * exchange and queue it declared (the example's broker objects are its own).
   */
  @Override
  public void close() {
    source.close();
    outbox.shutdown();
    try {
      outbox.awaitTermination(10, TimeUnit.SECONDS);
      publishPending();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.warn("Publishing the last verdicts failed; they are published at the next start", e);
    }
    sessions.close();
    mesh.close();
    try {
      verdicts.queueDelete(names.requests());
      verdicts.exchangeDelete(names.exchange());
      verdicts.exchangeDelete(names.deadLetters());
    } catch (IOException | RuntimeException e) {
      log.warn("Deleting the example's broker objects failed", e);
    }
    try {
      connection.close();
    } catch (IOException | RuntimeException e) {
      log.warn("Closing the broker connection failed", e);
    }
  }

  @Override
  public String toString() {
    return "DeployGuardrail{" + names + "}";
  }
}
