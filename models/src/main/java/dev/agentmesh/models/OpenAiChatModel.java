package dev.agentmesh.models;

import dev.agentmesh.core.ReasoningLevel;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.models.internal.Clients;
import dev.agentmesh.models.internal.Dialects;
import dev.agentmesh.models.internal.HttpCaller;
import dev.agentmesh.models.internal.OpenAiCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChatModel} over the OpenAI Chat Completions API, for OpenAI and every server that speaks
 * it: Azure OpenAI's v1 endpoint, Ollama, vLLM, LM Studio, OpenRouter, Groq, Together.
 *
 * <pre>{@code
 * ChatModel openai = OpenAiChatModel.builder()
 *     .apiKey(System.getenv("OPENAI_API_KEY"))
 *     .model("gpt-4.1-mini")
 *     .build();
 * ChatModel ollama = OpenAiChatModel.builder()
 *     .baseUrl("http://localhost:11434/v1")
 *     .model("qwen3:8b")
 *     .build();
 * }</pre>
 *
 * <p>Tools map to {@code tools} of type {@code function} (several calls in one answer are returned
 * in order); an output schema to {@code response_format} {@code json_schema} (strict). When a
 * server rejects {@code json_schema}, this instance switches to JSON mode ({@code json_object} plus
 * the schema in a system message) and remembers it; when it rejects {@code reasoning_effort}, it
 * stops sending it. The reasoning level maps to {@code reasoning_effort} {@code low}, {@code
 * medium} or {@code high} ({@code NONE} sends nothing). Failures are {@link ModelException}s,
 * retried under the {@link RetryPolicy}.
 *
 * <p>Immutable and thread-safe; share one instance per model.
 */
public final class OpenAiChatModel implements ChatModel {

  private static final Logger log = LoggerFactory.getLogger(OpenAiChatModel.class);

  private final ClientSettings.Frozen settings;

  /** The endpoint every request goes to, parsed once (a parse per call showed in profiles). */
  private final HttpUrl url;

  private final HttpCaller caller;
  private final boolean strictJsonSchema;
  private final boolean legacyMaxTokens;
  private final AtomicBoolean jsonSchemaRejected = new AtomicBoolean();
  private final AtomicBoolean reasoningEffortRejected = new AtomicBoolean();

  private OpenAiChatModel(Builder b) {
    this.settings = b.settings.freeze("gpt-4.1-mini");
    this.url = settings.endpoint("chat/completions");
    this.strictJsonSchema = b.strictJsonSchema;
    this.legacyMaxTokens = b.legacyMaxTokens;
    this.caller =
        new HttpCaller(settings.client(), settings.retryPolicy(), settings.name(), Dialects.OPENAI);
  }

  /** {@return a new builder; {@link Builder#model(String)} is required} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return settings.name();
  }

  /**
   * True: a call gives up at the request's {@link ChatRequest#timeout()}. The HTTP call still
   * running then is cancelled, and no retry starts, nor a backoff wait begins, that would end after
   * it; the failure is a {@link ModelException} of kind {@code TIMEOUT} (or the last failure,
   * saying that no time was left to retry it).
   */
  @Override
  public boolean honoursTimeout() {
    return true;
  }

  /** {@return the model id sent to the server} */
  public String model() {
    return settings.model();
  }

  /**
   * {@return whether this instance has fallen back to JSON mode because the server rejected
   * json_schema}
   */
  public boolean usesJsonModeFallback() {
    return jsonSchemaRejected.get();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    Instant deadline = caller.deadlineOf(request);
    for (int fallbacks = 0; ; fallbacks++) {
      OpenAiCodec.Options options = options();
      try {
        ChatResponse response = send(request, options, deadline);
        return response.toBuilder()
            .usage(
                settings.priceTable().price(response.usage(), settings.model(), response.modelId()))
            .build();
      } catch (ModelException e) {
        if (fallbacks < 2 && fallBack(request, options, e)) {
          continue;
        }
        throw e;
      }
    }
  }

  private OpenAiCodec.Options options() {
    return new OpenAiCodec.Options(
        settings.model(),
        jsonSchemaRejected.get()
            ? OpenAiCodec.SchemaMode.JSON_OBJECT
            : OpenAiCodec.SchemaMode.JSON_SCHEMA,
        strictJsonSchema,
        !reasoningEffortRejected.get(),
        legacyMaxTokens);
  }

  private ChatResponse send(
      ChatRequest request, OpenAiCodec.Options options, @Nullable Instant deadline) {
    RequestBody body = Clients.oneShot(OpenAiCodec.encode(request, options));
    return caller.call(
        deadline,
        settings.keys(),
        key -> httpRequest(key, body),
        bytes -> OpenAiCodec.decode(bytes, settings.name()));
  }

  private Request httpRequest(String key, RequestBody body) {
    Request.Builder r = new Request.Builder().url(url).post(body);
    settings.headers().forEach(r::header);
    String checked = settings.checkedKey(key);
    if (!checked.isEmpty()) {
      r.header("Authorization", "Bearer " + checked);
    }
    return r.build();
  }

  /** Whether a rejected request can be retried without the feature the server lacks. */
  private boolean fallBack(ChatRequest request, OpenAiCodec.Options options, ModelException e) {
    if (e.kind() != ModelException.Kind.BAD_REQUEST) {
      return false;
    }
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (request.outputSchema() != null
        && options.schemaMode() == OpenAiCodec.SchemaMode.JSON_SCHEMA
        && (message.contains("json_schema") || message.contains("response_format"))
        && !message.contains("invalid schema")) {
      jsonSchemaRejected.set(true);
      log.info(
          "Model {}: the server rejected response_format json_schema (HTTP {}); using JSON mode from now on",
          settings.name(),
          e.status());
      return true;
    }
    if (request.reasoning() != ReasoningLevel.NONE
        && options.sendReasoningEffort()
        && message.contains("reasoning_effort")) {
      reasoningEffortRejected.set(true);
      log.info(
          "Model {}: the server rejected reasoning_effort (HTTP {}); not sending it from now on",
          settings.name(),
          e.status());
      return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return "OpenAiChatModel{name=" + settings.name() + ", baseUrl=" + settings.baseUrl() + "}";
  }

  /**
   * Builds an {@link OpenAiChatModel}. Each setter checks its value and names it in the error. Not
   * thread-safe; {@link #build()} may be called again.
   */
  public static final class Builder {
    private final ClientSettings settings =
        new ClientSettings("openai", "https://api.openai.com/v1/");
    private boolean strictJsonSchema = true;
    private boolean legacyMaxTokens;

    private Builder() {}

    /**
     * The API key, sent as a bearer token. Leave unset for servers without keys (Ollama).
     *
     * @param apiKey the key; never logged
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      settings.apiKey(apiKey);
      return this;
    }

    /**
     * Gives the API key for each attempt, for keys that rotate.
     *
     * @param apiKeySupplier called before each attempt; thread-safe
     * @return this builder
     */
    public Builder apiKeySupplier(Supplier<String> apiKeySupplier) {
      settings.apiKeySupplier(apiKeySupplier);
      return this;
    }

    /**
     * The model id, such as {@code gpt-4.1-mini}. Required.
     *
     * @param model the model id
     * @return this builder
     */
    public Builder model(String model) {
      settings.model(model);
      return this;
    }

    /**
     * The API's base URL, up to and including the version: {@code https://api.openai.com/v1}
     * (default), {@code http://localhost:11434/v1} (Ollama), {@code https://openrouter.ai/api/v1}.
     *
     * @param baseUrl the URL, up to and including {@code /v1}
     * @return this builder
     */
    public Builder baseUrl(String baseUrl) {
      settings.baseUrl(baseUrl);
      return this;
    }

    /**
     * Sends {@code OpenAI-Organization}.
     *
     * @param organization the organization id
     * @return this builder
     */
    public Builder organization(String organization) {
      settings.header("OpenAI-Organization", organization);
      return this;
    }

    /**
     * Sends {@code OpenAI-Project}.
     *
     * @param project the project id
     * @return this builder
     */
    public Builder project(String project) {
      settings.header("OpenAI-Project", project);
      return this;
    }

    /**
     * Adds a header to every request, such as OpenRouter's {@code HTTP-Referer}.
     *
     * @param name the header's name
     * @param value its value
     * @return this builder
     */
    public Builder header(String name, String value) {
      settings.header(name, value);
      return this;
    }

    /**
     * Adds headers to every request.
     *
     * @param headers names to values
     * @return this builder
     */
    public Builder headers(Map<String, String> headers) {
      headers.forEach(settings::header);
      return this;
    }

    /**
     * Time to open a connection, between 1 ms and 1 hour; default 10 s.
     *
     * @param connectTimeout the connect timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      settings.connectTimeout = ClientSettings.timeout("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * Longest silence while reading a response, between 1 ms and 1 hour; default 120 s.
     *
     * @param readTimeout the read timeout
     * @return this builder
     */
    public Builder readTimeout(Duration readTimeout) {
      settings.readTimeout = ClientSettings.timeout("readTimeout", readTimeout);
      return this;
    }

    /**
     * Whole time of one attempt, between 1 ms and 1 hour; default 180 s.
     *
     * @param callTimeout the call timeout
     * @return this builder
     */
    public Builder callTimeout(Duration callTimeout) {
      settings.callTimeout = ClientSettings.timeout("callTimeout", callTimeout);
      return this;
    }

    /**
     * The client whose connection pool and dispatcher to share; timeouts are set on a derived
     * client. Beyond 256 calls in flight at once, further calls go through pools and dispatchers of
     * their own (docs/models.md): the client's {@code dispatcher().cancelAll()} and {@code
     * connectionPool().evictAll()} reach only the first 256, and its dispatcher's idle callback may
     * run while later calls are still in flight.
     *
     * @param httpClient the client to share
     * @return this builder
     */
    public Builder httpClient(OkHttpClient httpClient) {
      settings.httpClient = java.util.Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The name in events, metrics and messages; default {@code openai:<model>}.
     *
     * @param name the name; never a secret
     * @return this builder
     */
    public Builder name(String name) {
      settings.name(name);
      return this;
    }

    /**
     * How failures are retried; default {@link RetryPolicy#defaults()}.
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      settings.retryPolicy = java.util.Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Prices that turn usage into cost; default none.
     *
     * @param priceTable the prices by model id
     * @return this builder
     */
    public Builder priceTable(PriceTable priceTable) {
      settings.priceTable = java.util.Objects.requireNonNull(priceTable, "priceTable");
      return this;
    }

    /**
     * Whether json_schema is sent with {@code strict: true}; default true.
     *
     * @param strictJsonSchema whether to send {@code strict: true}
     * @return this builder
     */
    public Builder strictJsonSchema(boolean strictJsonSchema) {
      this.strictJsonSchema = strictJsonSchema;
      return this;
    }

    /**
     * Send {@code max_tokens} instead of {@code max_completion_tokens}, for older servers.
     *
     * @param legacyMaxTokens whether to send {@code max_tokens}
     * @return this builder
     */
    public Builder legacyMaxTokens(boolean legacyMaxTokens) {
      this.legacyMaxTokens = legacyMaxTokens;
      return this;
    }

    /**
     * Builds the model.
     *
     * @return the model
     */
    public OpenAiChatModel build() {
      return new OpenAiChatModel(this);
    }
  }
}
