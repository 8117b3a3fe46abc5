package dev.agentmesh.triggers;

import dev.agentmesh.core.Agent;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.Sessions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Receives webhooks and starts sessions: framework-neutral (a {@link WebhookRequest} in, a {@link
 * WebhookResponse} out), routed by path to several {@link WebhookTrigger}s. {@link
 * JdkWebhookServer} serves it with the JDK's HTTP server; any other server needs a few lines.
 *
 * <pre>{@code
 * WebhookHandler webhooks = WebhookHandler.builder(sessions)
 *     .trigger(issues)
 *     .trigger(signups)
 *     .build();
 * WebhookResponse response = webhooks.handle(request); // 202 {"status":"accepted",...}
 * }</pre>
 *
 * <p>A request is checked in this order, and the first check that fails answers: the path names a
 * webhook (404), the method is {@code POST} (405), the body is JSON by its {@code Content-Type}
 * (415), the body is at most the webhook's limit (413), the signature verifies (401), the body
 * parses as JSON (400), it maps to the input (400) and the input matches the agent's input schema
 * (400). Only then is a session started, once per delivery: under the idempotency key {@code
 * webhook:<name>:<delivery key>}, made from content the signature covers ({@link
 * WebhookVerification#deliveryKey()}), so a replayed or re-sent delivery answers 200 with the
 * session the first one started and never starts a second, also when copies race on several nodes.
 * A first delivery answers 202. When the store fails the answer is 503: retrying is safe.
 *
 * <p>Immutable and thread-safe: call {@link #handle} from any number of threads at once. It never
 * throws for what a sender controls; no answer holds a secret or the body.
 */
public final class WebhookHandler {

  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

  /** Longest delivery id kept as an origin's reference; a longer one is replaced by its key. */
  private static final int MAX_REFERENCE = 200;

  private static final int MAX_PROBLEMS = 5;
  private static final int MAX_PROBLEM_LENGTH = 200;

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final Sessions sessions;
  private final Map<String, Route> routes;
  private final Supplier<String> ids;

  private WebhookHandler(Sessions sessions, Map<String, Route> routes, Supplier<String> ids) {
    this.sessions = sessions;
    this.routes = routes;
    this.ids = ids;
  }

  /**
   * A builder for a handler whose webhooks start sessions in {@code sessions}.
   *
   * @param sessions where sessions are started; its mesh must hold every webhook's agent
   * @return a new builder
   */
  public static Builder builder(Sessions sessions) {
    return new Builder(sessions);
  }

  /** {@return the webhooks served, in the order added} */
  public List<WebhookTrigger> triggers() {
    List<WebhookTrigger> out = new ArrayList<>();
    routes.values().forEach(route -> out.add(route.trigger()));
    return List.copyOf(out);
  }

  /**
   * The checks that need no body (path, method, content type, a declared {@code Content-Length}
   * over the limit), for an adapter to answer before it reads the body. {@link #handle} makes them
   * again.
   *
   * @param head the request; its body is not looked at
   * @return the answer refusing it, or empty when the body should be read
   */
  public Optional<WebhookResponse> precheck(WebhookRequest head) {
    Route route = routes.get(head.path());
    if (route == null) {
      return Optional.of(
          WebhookResponse.error(404, "not_found", "No webhook is served at this path"));
    }
    return Optional.ofNullable(checkHead(route.trigger(), head));
  }

  /**
   * The most body bytes to read for a request to {@code path}: an adapter reads one byte more, at
   * most, and passes what it read to {@link #handle}, which refuses a body over the limit.
   *
   * @param path the request's path
   * @return the webhook's limit, or 0 when no webhook is served there
   */
  public int bodyLimit(String path) {
    Route route = routes.get(path);
    return route == null ? 0 : route.trigger().maxBodyBytes();
  }

  /**
   * Checks the request and, when it passes, starts the webhook's session once per delivery.
   *
   * @param request the request as received, with its raw body
   * @return the answer
   */
  public WebhookResponse handle(WebhookRequest request) {
    Optional<WebhookResponse> refused = precheck(request);
    if (refused.isPresent()) {
      return refused.get();
    }
    Route route = Objects.requireNonNull(routes.get(request.path()));
    WebhookTrigger trigger = route.trigger();
    if (request.bodyLength() > trigger.maxBodyBytes()) {
      return tooLarge(trigger);
    }
    WebhookVerification verification = trigger.verifier().verify(request);
    if (!verification.verified()) {
      log.debug("Webhook '{}' refused a request: {}", trigger.name(), verification.reason());
      return WebhookResponse.error(
          401,
          "unauthorized",
          "The signature does not verify ("
              + verification.outcome().name().toLowerCase(Locale.ROOT)
              + "): "
              + verification.reason());
    }
    return parseAndStart(route, request, verification);
  }

  private WebhookResponse parseAndStart(
      Route route, WebhookRequest request, WebhookVerification verification) {
    WebhookTrigger trigger = route.trigger();
    JsonNode payload;
    try {
      payload = JSON.readTree(request.rawBody());
    } catch (JacksonException e) {
      return badRequest(trigger, "invalid_json", notJson(e));
    }
    if (payload == null || payload.isMissingNode()) {
      return badRequest(trigger, "invalid_json", "The body is empty; expected a JSON payload");
    }
    JsonNode input;
    try {
      input = trigger.input().apply(payload);
    } catch (InputMappingException e) {
      return badRequest(trigger, "unmappable_payload", String.valueOf(e.getMessage()));
    }
    List<String> problems = route.agent().inputProblems(input);
    if (!problems.isEmpty()) {
      return badRequest(trigger, "invalid_input", schemaProblems(trigger, problems));
    }
    return start(trigger, verification, input);
  }

  private WebhookResponse start(
      WebhookTrigger trigger, WebhookVerification verification, JsonNode input) {
    String deliveryKey = Objects.requireNonNull(verification.deliveryKey());
    String deliveryId = verification.deliveryId();
    String reference =
        deliveryId != null && !deliveryId.isBlank() && deliveryId.length() <= MAX_REFERENCE
            ? deliveryId
            : deliveryKey;
    String candidate = ids.get();
    Session session;
    try {
      session =
          sessions
              .newSession(trigger.agent())
              .input(input)
              .origin(Origin.webhook(trigger.name(), reference))
              .idempotencyKey(idempotencyKey(trigger, deliveryKey))
              .id(candidate)
              .start();
    } catch (RuntimeException e) {
      log.warn(
          "Webhook '{}' could not start a session of '{}'", trigger.name(), trigger.agent(), e);
      return WebhookResponse.error(
          503,
          "unavailable",
          "The session could not be started now; sending the delivery again is safe",
          Map.of("Retry-After", "5"));
    }
    return WebhookResponse.started(session.id(), session.id().equals(candidate));
  }

  /**
   * The key a delivery's session is created once under: {@code webhook:<name>:<delivery key>}.
   *
   * @param trigger the webhook
   * @param deliveryKey the verified request's {@link WebhookVerification#deliveryKey()}
   * @return the idempotency key
   */
  static String idempotencyKey(WebhookTrigger trigger, String deliveryKey) {
    return "webhook:" + trigger.name() + ":" + deliveryKey;
  }

  private static @Nullable WebhookResponse checkHead(WebhookTrigger trigger, WebhookRequest head) {
    if (!"POST".equals(head.method())) {
      return WebhookResponse.error(
          405,
          "method_not_allowed",
          "Webhooks are sent with POST, not " + InputMappingException.shown(head.method(), 20),
          Map.of("Allow", "POST"));
    }
    String mediaTypeProblem = ContentTypes.problem(head.headers("Content-Type"));
    if (mediaTypeProblem != null) {
      return WebhookResponse.error(415, "unsupported_media_type", mediaTypeProblem);
    }
    List<String> lengths = head.headers("Content-Length");
    if (lengths.size() == 1 && lengths.get(0).strip().matches("[0-9]{1,18}")) {
      if (Long.parseLong(lengths.get(0).strip()) > trigger.maxBodyBytes()) {
        return tooLarge(trigger);
      }
    }
    return null;
  }

  private static WebhookResponse tooLarge(WebhookTrigger trigger) {
    return WebhookResponse.error(
        413,
        "payload_too_large",
        "The body is longer than this webhook's limit of " + trigger.maxBodyBytes() + " bytes",
        Map.of("Connection", "close"));
  }

  private static WebhookResponse badRequest(WebhookTrigger trigger, String code, String message) {
    log.debug("Webhook '{}' refused a request: {}", trigger.name(), message);
    return WebhookResponse.error(400, code, message);
  }

  /** Where parsing stopped and Jackson's reason, shortened; never the body. */
  private static String notJson(JacksonException e) {
    TokenStreamLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String reason = e.getOriginalMessage();
    return "The body is not valid JSON"
        + where
        + ": "
        + InputMappingException.shown(reason == null ? "unreadable" : reason, 100)
        + ". Fix: send one JSON value, UTF-8, without duplicate property names";
  }

  private static String schemaProblems(WebhookTrigger trigger, List<String> problems) {
    List<String> shown = new ArrayList<>();
    for (String problem : problems.subList(0, Math.min(MAX_PROBLEMS, problems.size()))) {
      shown.add(InputMappingException.shown(problem, MAX_PROBLEM_LENGTH));
    }
    String more =
        problems.size() > MAX_PROBLEMS ? "; and " + (problems.size() - MAX_PROBLEMS) + " more" : "";
    return "The input does not match the input schema of agent '"
        + trigger.agent()
        + "': "
        + String.join("; ", shown)
        + more;
  }

  @Override
  public String toString() {
    return "WebhookHandler" + routes.keySet();
  }

  private record Route(WebhookTrigger trigger, Agent agent) {}

  /** Collects the webhooks to serve; {@link #build()} may be called again. */
  public static final class Builder {
    private final Sessions sessions;
    private final List<WebhookTrigger> triggers = new ArrayList<>();
    private @Nullable Supplier<String> ids;

    private Builder(Sessions sessions) {
      this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * Serves a webhook at its path.
     *
     * @param trigger the webhook
     * @return this builder
     */
    public Builder trigger(WebhookTrigger trigger) {
      triggers.add(Objects.requireNonNull(trigger, "trigger"));
      return this;
    }

    /**
     * Serves several webhooks.
     *
     * @param triggers the webhooks
     * @return this builder
     */
    public Builder triggers(List<WebhookTrigger> triggers) {
      triggers.forEach(this::trigger);
      return this;
    }

    /**
     * Makes the ids of the sessions it starts (default: the sessions' own, {@link
     * Sessions#newId()}).
     *
     * @param ids a supplier of fresh, unique session ids
     * @return this builder
     */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * Builds the handler.
     *
     * @return the handler
     * @throws IllegalStateException if no webhook was added
     * @throws IllegalArgumentException if two webhooks share a name or a path, or one names an
     *     agent the mesh does not have
     */
    public WebhookHandler build() {
      if (triggers.isEmpty()) {
        throw new IllegalStateException("no webhook to serve: call trigger(...) at least once");
      }
      Map<String, Route> routes = new LinkedHashMap<>();
      Map<String, String> names = new LinkedHashMap<>();
      for (WebhookTrigger trigger : triggers) {
        String taken = names.putIfAbsent(trigger.name(), trigger.path());
        if (taken != null) {
          throw new IllegalArgumentException(
              "two webhooks are named '"
                  + trigger.name()
                  + "'; a name scopes delivery keys, so"
                  + " give each webhook its own");
        }
        Route other = routes.putIfAbsent(trigger.path(), new Route(trigger, agent(trigger)));
        if (other != null) {
          throw new IllegalArgumentException(
              "webhooks '"
                  + other.trigger().name()
                  + "' and '"
                  + trigger.name()
                  + "' are both at path '"
                  + trigger.path()
                  + "'; give each its own path");
        }
      }
      return new WebhookHandler(sessions, Map.copyOf(routes), ids != null ? ids : sessions::newId);
    }

    private Agent agent(WebhookTrigger trigger) {
      try {
        return sessions.mesh().agent(trigger.agent());
      } catch (NoSuchElementException e) {
        throw new IllegalArgumentException(
            "webhook '"
                + trigger.name()
                + "' starts agent '"
                + trigger.agent()
                + "': "
                + e.getMessage(),
            e);
      }
    }
  }
}
