package dev.agentmesh.models.internal;

import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ModelException.Kind;
import dev.agentmesh.models.RetryPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Sends one model request over OkHttp, turns every failure into a classified {@link
 * ModelException}, and retries the retryable ones under a {@link RetryPolicy}.
 *
 * <p>Never logs or puts in a message a key, a header value or a body beyond the provider's own
 * (truncated, redacted) error message.
 */
public final class HttpCaller {

  /** Turns a successful body into a value; throws {@link ModelException} when it cannot. */
  @FunctionalInterface
  public interface BodyParser<T> {
    T parse(byte[] body);
  }

  private static final Logger log = LoggerFactory.getLogger(HttpCaller.class);
  private static final int MAX_PROVIDER_MESSAGE = 300;

  /**
   * Calls in flight at once past which each further 256 go through a connection pool of their own.
   * OkHttp's pool finds a connection for a call by looking at every connection it holds, busy ones
   * included, and again after it opens one: with thousands of calls waiting on a slow model at once
   * (each holding its own HTTP/1.1 connection) that look was a third of the process's CPU, growing
   * with the square of the calls. Lanes bound it by their size. Below the first threshold every
   * call uses the client's own pool, so connection reuse is as before.
   */
  public static final int CALLS_PER_LANE = 256;

  /** Enough lanes for 16,384 calls at once; beyond that the last lane takes the rest. */
  public static final int MAX_LANES = 64;

  private final OkHttpClient client;

  /**
   * Lane 0 is {@link #client}; the others share everything with it but the pool and the dispatcher,
   * made when first needed.
   */
  private final AtomicReferenceArray<@Nullable OkHttpClient> lanes =
      new AtomicReferenceArray<>(MAX_LANES);

  private final AtomicInteger inFlight = new AtomicInteger();
  private final RetryPolicy policy;
  private final String modelName;
  private final ProviderDialect dialect;

  public HttpCaller(
      OkHttpClient client, RetryPolicy policy, String modelName, ProviderDialect dialect) {
    this.client = Objects.requireNonNull(client, "client");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.modelName = Objects.requireNonNull(modelName, "modelName");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  /**
   * The instant, on the policy's clock, by which a call for {@code request} must be over: its
   * {@link ChatRequest#timeout()} from now, or {@code null} when it has none. Taken once per {@code
   * chat}, so that every request the adapter sends for it shares one budget.
   */
  public @Nullable Instant deadlineOf(ChatRequest request) {
    Duration timeout = request.timeout();
    return timeout == null ? null : policy.clock().instant().plus(timeout);
  }

  /**
   * Calls until success, a non-retryable failure, the last attempt, the retry deadline or the
   * caller's deadline. No attempt starts, and no backoff wait is begun, that would end after the
   * caller's deadline; an attempt still running at that deadline is cancelled.
   *
   * @param callerDeadline from {@link #deadlineOf}; null for none
   * @param keys gives the key for each attempt (a supplier may rotate keys); may give ""
   * @param requestFor builds the HTTP request carrying a key
   * @param parser reads a 2xx body
   */
  public <T> T call(
      @Nullable Instant callerDeadline,
      Supplier<String> keys,
      Function<String, Request> requestFor,
      BodyParser<T> parser) {
    Instant start = policy.clock().instant();
    Instant deadline = start.plus(policy.deadline());
    for (int attempt = 1; ; attempt++) {
      Duration left =
          callerDeadline == null
              ? null
              : Duration.between(policy.clock().instant(), callerDeadline);
      if (left != null && (left.isNegative() || left.isZero())) {
        throw new ModelException(
            Kind.TIMEOUT,
            modelName,
            0,
            null,
            "Model "
                + modelName
                + " was not called"
                + (attempt == 1
                    ? ""
                    : " again after " + (attempt - 1) + " attempt" + (attempt == 2 ? "" : "s"))
                + ": its caller's deadline had passed",
            null);
      }
      String key = key(keys);
      try {
        return once(requestFor.apply(key), key, parser, left);
      } catch (ModelException e) {
        if (!e.isRetryable()
            || callerDeadline != null && !policy.clock().instant().isBefore(callerDeadline)) {
          throw e;
        }
        if (attempt >= policy.maxAttempts()) {
          throw gaveUp(e, attempt, "no attempts left (maxAttempts " + policy.maxAttempts() + ")");
        }
        Duration delay = policy.delayBeforeRetry(attempt, e.retryAfter());
        Instant retryAt = policy.clock().instant().plus(delay);
        if (retryAt.isAfter(deadline)) {
          throw gaveUp(
              e,
              attempt,
              "waiting "
                  + delay.toMillis()
                  + " ms would pass the retry deadline of "
                  + policy.deadline().toMillis()
                  + " ms");
        }
        if (callerDeadline != null && !retryAt.isBefore(callerDeadline)) {
          throw gaveUp(
              e,
              attempt,
              "waiting "
                  + delay.toMillis()
                  + " ms would pass the caller's deadline, "
                  + Math.max(
                      0, Duration.between(policy.clock().instant(), callerDeadline).toMillis())
                  + " ms away");
        }
        log.warn(
            "Model {} failed with {} (status {}), retry {} of {} in {} ms",
            modelName,
            e.kind(),
            e.status(),
            attempt,
            policy.maxAttempts() - 1,
            delay.toMillis());
        sleep(delay, e);
      }
    }
  }

  private String key(Supplier<String> keys) {
    try {
      String key = keys.get();
      return key == null ? "" : key;
    } catch (RuntimeException e) {
      throw new ModelException(
          Kind.AUTHENTICATION,
          modelName,
          0,
          null,
          "The API key supplier of "
              + modelName
              + " threw "
              + e.getClass().getName()
              + "; fix the supplier passed to apiKeySupplier(...)",
          null);
    }
  }

  /**
   * One attempt: one HTTP request, never re-sent by OkHttp (see {@link Clients}). With {@code left}
   * shorter than the client's call timeout, the call is cancelled when it runs out.
   */
  private <T> T once(Request request, String key, BodyParser<T> parser, @Nullable Duration left) {
    OkHttpClient lane = lane(inFlight.incrementAndGet());
    try {
      return once(lane, request, key, parser, left);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * The client for a call that is the {@code inFlightNow}-th in flight; see {@link
   * #CALLS_PER_LANE}.
   */
  private OkHttpClient lane(int inFlightNow) {
    int i = laneOf(inFlightNow);
    if (i == 0) return client;
    OkHttpClient lane = lanes.get(i);
    if (lane == null) {
      // A pool of its own bounds the pool's scan; a dispatcher of its own bounds the dispatcher's:
      // it keeps every synchronous call in flight in one deque, and removes each finished call by
      // looking through it, under one lock shared by every call of the client.
      lane =
          client
              .newBuilder()
              .connectionPool(new ConnectionPool())
              .dispatcher(new Dispatcher())
              .build();
      if (!lanes.compareAndSet(i, null, lane)) lane = lanes.get(i);
    }
    return lane;
  }

  /** Which lane the {@code inFlightNow}-th call in flight takes. */
  public static int laneOf(int inFlightNow) {
    return Math.min(Math.max(inFlightNow - 1, 0) / CALLS_PER_LANE, MAX_LANES - 1);
  }

  private <T> T once(
      OkHttpClient client,
      Request request,
      String key,
      BodyParser<T> parser,
      @Nullable Duration left) {
    Call call = client.newCall(request);
    Duration cut =
        left != null
                && (client.callTimeoutMillis() == 0 || left.toMillis() < client.callTimeoutMillis())
            ? left
            : null;
    if (cut != null) {
      call.timeout().timeout(Math.max(1, cut.toNanos()), TimeUnit.NANOSECONDS);
    }
    try (Response response = call.execute()) {
      byte[] body = readBody(response, cut);
      if (!response.isSuccessful()) {
        throw classify(response.code(), response.headers(), body, key);
      }
      return parser.parse(body);
    } catch (IOException e) {
      throw transport(e, "waiting for the response", cut);
    }
  }

  private byte[] readBody(Response response, @Nullable Duration cut) {
    try {
      return response.body().bytes();
    } catch (IOException e) {
      throw transport(e, "reading the response body (HTTP " + response.code() + ")", cut);
    }
  }

  /** The exception for a non-2xx answer. */
  public ModelException classify(int status, Headers headers, byte[] body, @Nullable String key) {
    JsonNode json = parseQuietly(body);
    String type = json == null ? null : dialect.errorType(json);
    String providerMessage = json == null ? null : dialect.errorMessage(json);
    if (providerMessage == null) {
      providerMessage =
          body.length == 0
              ? "(empty body)"
              : new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
    Kind kind = kindFor(status, type);
    Duration retryAfter =
        kind.isRetryable() ? RetryAfter.from(headers, policy.clock().instant(), dialect) : null;
    String message =
        dialect.label()
            + " answered HTTP "
            + status
            + " for model "
            + modelName
            + ": "
            + Json.truncate(Redactor.redact(providerMessage, key), MAX_PROVIDER_MESSAGE)
            + (type == null ? "" : " [" + Json.truncate(type, 60) + "]")
            + ". "
            + (status >= 300 && status < 400
                ? redirectHint(headers.get("Location"), key)
                : hint(kind, retryAfter));
    return new ModelException(kind, modelName, status, retryAfter, message, null);
  }

  static Kind kindFor(int status, @Nullable String type) {
    if ("insufficient_quota".equals(type)) {
      return Kind.AUTHENTICATION;
    }
    if ("overloaded_error".equals(type)) {
      return Kind.OVERLOADED;
    }
    return switch (status) {
      case 401, 403 -> Kind.AUTHENTICATION;
      case 400, 413, 422 -> Kind.BAD_REQUEST;
      case 404 -> Kind.MODEL_NOT_FOUND;
      case 408 -> Kind.TIMEOUT;
      case 429 -> Kind.RATE_LIMITED;
      case 503, 529 -> Kind.OVERLOADED;
      case 409 -> Kind.SERVER_ERROR;
      default ->
          status >= 500 ? Kind.SERVER_ERROR : status >= 400 ? Kind.BAD_REQUEST : Kind.UNKNOWN;
    };
  }

  private static String hint(Kind kind, @Nullable Duration retryAfter) {
    return switch (kind) {
      case AUTHENTICATION -> "Check the API key, its permissions and the account's quota";
      case BAD_REQUEST ->
          "The provider rejected the request as invalid; fix what its message names";
      case MODEL_NOT_FOUND -> "Check the model id and the base URL";
      case RATE_LIMITED ->
          "Rate limited"
              + (retryAfter == null ? "" : "; retry after " + retryAfter.toMillis() + " ms");
      case OVERLOADED -> "The provider is overloaded; retry later";
      default -> "The provider failed; retry later";
    };
  }

  /**
   * Redirects are not followed: a model request is never re-sent, and a key never travels
   * elsewhere.
   */
  private static String redirectHint(@Nullable String location, @Nullable String key) {
    return "The server redirects"
        + (location == null ? "" : " to " + Json.truncate(Redactor.redact(location, key), 200))
        + "; requests to a model are not re-sent to a redirect, so set baseUrl to the address that answers";
  }

  private ModelException transport(IOException e, String during, @Nullable Duration cut) {
    if (Thread.currentThread().isInterrupted()) {
      return new ModelException(
          Kind.UNKNOWN,
          modelName,
          0,
          null,
          "Call to model " + modelName + " was interrupted while " + during,
          e);
    }
    boolean callTimedOut = e instanceof InterruptedIOException && "timeout".equals(e.getMessage());
    if (callTimedOut && cut != null) {
      return new ModelException(
          Kind.TIMEOUT,
          modelName,
          0,
          null,
          "Model "
              + modelName
              + " did not answer within the "
              + cut.toMillis()
              + " ms left before its caller's deadline; the call was cancelled while "
              + during,
          e);
    }
    if (e instanceof SocketTimeoutException || callTimedOut) {
      return new ModelException(
          Kind.TIMEOUT,
          modelName,
          0,
          null,
          "Model "
              + modelName
              + " timed out while "
              + during
              + " (connectTimeout "
              + client.connectTimeoutMillis()
              + " ms, readTimeout "
              + client.readTimeoutMillis()
              + " ms, callTimeout "
              + client.callTimeoutMillis()
              + " ms); raise the timeouts or retry",
          e);
    }
    return new ModelException(
        Kind.CONNECTION,
        modelName,
        0,
        null,
        "Connection to model "
            + modelName
            + " failed while "
            + during
            + ": "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null
                ? ""
                : " (" + Json.truncate(Redactor.redact(e.getMessage(), null), 200) + ")")
            + "; check the base URL and the network, or retry",
        e);
  }

  private ModelException gaveUp(ModelException last, int attempts, String why) {
    if (attempts == 1 && policy.maxAttempts() == 1) {
      return last;
    }
    return new ModelException(
        last.kind(),
        modelName,
        last.status(),
        last.retryAfter(),
        last.getMessage()
            + " (gave up after "
            + attempts
            + " attempt"
            + (attempts == 1 ? "" : "s")
            + ": "
            + why
            + ")",
        last);
  }

  private void sleep(Duration delay, ModelException cause) {
    try {
      policy.sleeper().sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(
          Kind.UNKNOWN,
          modelName,
          cause.status(),
          null,
          "Interrupted while waiting "
              + delay.toMillis()
              + " ms to retry model "
              + modelName
              + " after "
              + cause.kind(),
          cause);
    }
  }

  private static @Nullable JsonNode parseQuietly(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      return null;
    }
  }
}
