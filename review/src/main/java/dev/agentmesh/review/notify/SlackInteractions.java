package dev.agentmesh.review.notify;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewRefusedException;
import dev.agentmesh.review.Reviews;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Handles Slack's interaction requests (the Approve and Reject buttons of {@link SlackNotifier})
 * and applies them to a {@link Reviews}: framework-neutral, the raw body and the headers in, a
 * {@link Result} out, which the host writes back as the HTTP answer ({@link Result#status()},
 * {@link Result#body()}). It verifies Slack's request signature ({@code v0=} HMAC-SHA256 of {@code
 * v0:<timestamp>:<body>} with the signing secret, compared in constant time, the timestamp within a
 * tolerance of the injected clock), then decides through {@link Reviews#decide} with the press's
 * {@link SlackUser} as the credential: the host's {@link dev.agentmesh.review.Authenticator} maps
 * it to a reviewer, and the policy checks them, the hash the button showed, and the review's state
 * as for any decision. A refused decision is answered 200 with what was refused and why, shown to
 * the person who pressed; only a request that is not Slack's is answered 4xx. After a decision, the
 * pressed message itself is replaced with it through the interaction's {@code response_url} (in the
 * background; only to {@value #SLACK_HOOKS} unless {@link Builder#responseUrlPrefix} says
 * otherwise), so its buttons are gone for everyone.
 *
 * <pre>{@code
 * SlackInteractions slack =
 *     SlackInteractions.builder(System.getenv("SLACK_SIGNING_SECRET"), reviews).build();
 * SlackInteractions.Result result = slack.handle(rawBody, headers);
 * response.status(result.status()).contentType("application/json").body(result.body());
 * }</pre>
 */
public final class SlackInteractions {

  static final String TIMESTAMP = "X-Slack-Request-Timestamp";
  static final String SIGNATURE = "X-Slack-Signature";

  /** Where Slack's {@code response_url}s point. */
  public static final String SLACK_HOOKS = "https://hooks.slack.com/";

  private static final Logger log = LoggerFactory.getLogger(SlackInteractions.class);

  private final byte[] secret;
  private final Reviews reviews;
  private final Clock clock;
  private final Duration tolerance;
  private final OkHttpClient client;
  private final String responseUrlPrefix;

  private SlackInteractions(Builder b) {
    this.secret = b.secret;
    this.reviews = b.reviews;
    this.clock = b.clock;
    this.tolerance = b.tolerance;
    this.client = b.client;
    this.responseUrlPrefix = b.responseUrlPrefix;
  }

  /**
   * A builder that verifies requests with Slack's signing secret and decides on {@code reviews}.
   *
   * @param signingSecret the Slack app's signing secret
   * @param reviews the reviews the buttons decide; its authenticator maps each {@link SlackUser}
   * @return a new builder
   */
  public static Builder builder(String signingSecret, Reviews reviews) {
    return new Builder(signingSecret, reviews);
  }

  /** What became of one interaction request. */
  public sealed interface Result {
    /** {@return the HTTP status to answer Slack with} */
    int status();

    /**
     * {@return the body to answer Slack with: for a press, an ephemeral message to the person who
     * pressed ({@code {"response_type":"ephemeral","replace_original":false,"text":...}}), else the
     * reason as plain text}
     */
    String body();

    /**
     * A verified press that was recorded as a decision.
     *
     * @param outcome what the decision did
     * @param text what the person who pressed is told
     */
    record Decided(ReviewOutcome outcome, String text) implements Result {
      @Override
      public int status() {
        return 200;
      }

      @Override
      public String body() {
        return ephemeral(text);
      }
    }

    /**
     * A verified press whose decision the review runtime refused (and recorded when there is a
     * review to record it on): a stale hash, a reviewer the policy does not allow or the
     * authenticator does not know, a review already decided. Answered 200, so Slack shows the text
     * rather than an error.
     *
     * @param reason why
     * @param text what the person who pressed is told
     */
    record NotDecided(ReviewRefusedException.Reason reason, String text) implements Result {
      @Override
      public int status() {
        return 200;
      }

      @Override
      public String body() {
        return ephemeral(text);
      }
    }

    /**
     * A verified interaction that is not one of our buttons (Slack wants a 200 anyway).
     *
     * @param reason why it was ignored
     */
    record Ignored(String reason) implements Result {
      @Override
      public int status() {
        return 200;
      }

      @Override
      public String body() {
        return "";
      }
    }

    /**
     * Refused before any decision: a bad or stale signature (401), a malformed request (400), the
     * review runtime failing (500).
     *
     * @param status the HTTP status to answer
     * @param reason why it was refused
     */
    record Refused(int status, String reason) implements Result {
      @Override
      public String body() {
        return reason;
      }
    }
  }

  private static String ephemeral(String text) {
    return Http.MAPPER
        .createObjectNode()
        .put("response_type", "ephemeral")
        .put("replace_original", false)
        .put("text", text)
        .toString();
  }

  /**
   * Verifies one request and applies its decision; never throws for anything in the request. The
   * decision runs on the caller's thread, with the effect of an approval (Slack wants an answer
   * within 3 seconds: keep publish handlers quick, or answer first and call this on another
   * thread).
   *
   * @param rawBody the request body, as received
   * @param headers the request headers
   * @return what came of it
   */
  public Result handle(byte[] rawBody, Map<String, List<String>> headers) {
    Objects.requireNonNull(rawBody, "rawBody");
    Objects.requireNonNull(headers, "headers");
    String body = new String(rawBody, StandardCharsets.UTF_8);
    Optional<String> timestamp = header(headers, TIMESTAMP);
    Optional<String> signature = header(headers, SIGNATURE);
    if (timestamp.isEmpty() || signature.isEmpty()) {
      return new Result.Refused(
          401, "missing header " + (timestamp.isEmpty() ? TIMESTAMP : SIGNATURE));
    }
    String stale = staleness(timestamp.get());
    if (stale != null) {
      return new Result.Refused(401, stale);
    }
    if (!signatureMatches(timestamp.get(), signature.get(), rawBody)) {
      return new Result.Refused(
          401, "header " + SIGNATURE + " does not match the body signed with the signing secret");
    }
    return read(body);
  }

  /** {@code v0=} and the hex HMAC-SHA256 of {@code v0:<timestamp>:<body>}. */
  static String sign(byte[] secret, String timestamp, String body) {
    return WebhookCrypto.slackSignature(secret, timestamp, body.getBytes(StandardCharsets.UTF_8));
  }

  private @org.jspecify.annotations.Nullable String staleness(String timestamp) {
    if (!timestamp.matches("[0-9]{1,12}")) {
      return "header " + TIMESTAMP + " is not a number of seconds since 1970";
    }
    Duration off =
        Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), clock.instant()).abs();
    return off.compareTo(tolerance) > 0
        ? "header "
            + TIMESTAMP
            + " is "
            + off.toSeconds()
            + " s from now; the tolerance is "
            + tolerance.toSeconds()
            + " s"
        : null;
  }

  private boolean signatureMatches(String timestamp, String signature, byte[] rawBody) {
    byte[] expected =
        WebhookCrypto.slackSignature(secret, timestamp, rawBody)
            .getBytes(StandardCharsets.US_ASCII);
    return WebhookCrypto.constantTimeEquals(
        expected, signature.strip().getBytes(StandardCharsets.US_ASCII));
  }

  private Result read(String body) {
    JsonNode payload;
    try {
      String json = null;
      for (String pair : body.split("&")) {
        if (pair.startsWith("payload=")) {
          json = URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
        }
      }
      if (json == null) {
        return new Result.Refused(400, "the body holds no 'payload' form field");
      }
      payload = Http.MAPPER.readTree(json);
    } catch (JacksonException | IllegalArgumentException e) {
      return new Result.Refused(400, "the 'payload' form field is not JSON");
    }
    JsonNode action = payload.path("actions").path(0);
    String actionId = action.path("action_id").asString("");
    Decision decision =
        switch (actionId) {
          case SlackNotifier.APPROVE_ACTION -> Decision.approve();
          case SlackNotifier.REJECT_ACTION -> Decision.reject("Rejected in Slack");
          default -> null;
        };
    if (decision == null) {
      return new Result.Ignored(
          "action '" + NotifyText.visible(actionId, 60) + "' is not an agentmesh decision");
    }
    return decide(payload, action.path("value").asString(""), decision);
  }

  private Result decide(JsonNode payload, String value, Decision decision) {
    String[] parts = value.split(" ");
    ContentHash hash;
    try {
      if (parts.length != 2 || parts[0].isEmpty()) {
        throw new IllegalArgumentException("expected '<artifact id> sha256:<hex>'");
      }
      hash = ContentHash.parse(parts[1]);
    } catch (IllegalArgumentException e) {
      return new Result.Refused(400, "the button value is not '<artifact id> sha256:<hex>'");
    }
    String team =
        payload.path("user").path("team_id").asString(payload.path("team").path("id").asString(""));
    String user = payload.path("user").path("id").asString("");
    if (user.isEmpty() || team.isEmpty()) {
      return new Result.Refused(400, "the payload names no user and team");
    }
    String what = decision.approves() ? "Approved" : "Rejected";
    try {
      ReviewOutcome outcome = reviews.decide(parts[0], hash, new SlackUser(team, user), decision);
      updateOriginal(payload, user, what, outcome);
      return new Result.Decided(outcome, what + " " + describe(outcome));
    } catch (ReviewRefusedException e) {
      return new Result.NotDecided(
          e.reason(),
          "Not "
              + what.toLowerCase(Locale.ROOT)
              + " ("
              + e.reason().code()
              + "): "
              + NotifyText.visible(String.valueOf(e.getMessage()), 500));
    } catch (RuntimeException e) {
      return new Result.Refused(
          500, "the review runtime failed to decide: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Replaces the message whose button was pressed with the decision (so the buttons go away for
   * everyone): a POST to the interaction's {@code response_url}, when it starts with the allowed
   * prefix. Sent in the background; a failure is logged and changes nothing of the decision.
   */
  private void updateOriginal(JsonNode payload, String user, String what, ReviewOutcome outcome) {
    String url = payload.path("response_url").asString("");
    if (url.isEmpty()) {
      return;
    }
    if (!url.startsWith(responseUrlPrefix)) {
      log.warn(
          "Not updating the Slack message of review {}: its response_url is not under {}",
          NotifyText.visible(outcome.reviewId(), 100),
          responseUrlPrefix);
      return;
    }
    String by = user.matches("[A-Z0-9]{1,32}") ? " by <@" + user + ">" : "";
    String body =
        Http.MAPPER
            .createObjectNode()
            .put("replace_original", true)
            .put("text", "*" + what + "*" + by + ": " + NotifyText.slack(describe(outcome)))
            .toString();
    Request request =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(body, MediaType.get("application/json; charset=utf-8")))
            .build();
    client
        .newCall(request)
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  if (!response.isSuccessful()) {
                    log.warn(
                        "Slack answered HTTP {} to the update of review {}'s message",
                        response.code(),
                        NotifyText.visible(outcome.reviewId(), 100));
                  }
                }
              }

              @Override
              public void onFailure(Call call, java.io.IOException e) {
                log.warn(
                    "Could not update the Slack message of review {}: {}",
                    NotifyText.visible(outcome.reviewId(), 100),
                    e.getClass().getSimpleName());
              }
            });
  }

  private static String describe(ReviewOutcome o) {
    String id = NotifyText.visible(o.reviewId(), 100);
    return switch (o.status()) {
      case PENDING ->
          id + ": " + o.approvals() + " of " + o.approvalsNeeded() + " approvals, still pending";
      case APPROVED -> id + "; its effect is " + o.effect().name().toLowerCase(Locale.ROOT);
      default -> id + "; it is now " + o.status().name().toLowerCase(Locale.ROOT);
    };
  }

  private static Optional<String> header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
          && e.getValue().size() == 1) {
        return Optional.of(e.getValue().get(0));
      }
    }
    return Optional.empty();
  }

  /** Builds {@link SlackInteractions}. */
  public static final class Builder {
    private final byte[] secret;
    private final Reviews reviews;
    private Clock clock = Clock.systemUTC();
    private Duration tolerance = Duration.ofMinutes(5);
    private OkHttpClient client = Http.DEFAULT_CLIENT;
    private String responseUrlPrefix = SLACK_HOOKS;

    private Builder(String signingSecret, Reviews reviews) {
      Objects.requireNonNull(signingSecret, "signingSecret");
      if (signingSecret.isBlank()) {
        throw new IllegalArgumentException(
            "the Slack signing secret must not be blank (Basic Information > App"
                + " Credentials > Signing Secret)");
      }
      this.secret = signingSecret.getBytes(StandardCharsets.UTF_8);
      this.reviews = Objects.requireNonNull(reviews, "reviews");
    }

    /**
     * Sets the clock request timestamps are checked against.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How far a request's timestamp may be from now (default 5 minutes, as Slack advises).
     *
     * @param tolerance the tolerance
     * @return this builder
     */
    public Builder tolerance(Duration tolerance) {
      if (tolerance.isNegative() || tolerance.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "tolerance must be between 0 and 1 hour but was " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /**
     * The HTTP client that updates the pressed message through the interaction's {@code
     * response_url} (default: a shared client).
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(OkHttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Where a {@code response_url} may point for the pressed message to be updated (default {@value
     * SlackInteractions#SLACK_HOOKS}, Slack's own); a test points it at its fake server.
     *
     * @param prefix the start every accepted {@code response_url} has, an http or https URL
     * @return this builder
     */
    public Builder responseUrlPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      Http.checkUrl(java.net.URI.create(prefix), "responseUrlPrefix");
      this.responseUrlPrefix = prefix;
      return this;
    }

    /**
     * Builds the handler.
     *
     * @return the handler
     */
    public SlackInteractions build() {
      return new SlackInteractions(this);
    }
  }
}
