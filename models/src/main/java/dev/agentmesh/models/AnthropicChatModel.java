package dev.agentmesh.models;

import dev.agentmesh.core.ReasoningLevel;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.models.internal.AnthropicCodec;
import dev.agentmesh.models.internal.Clients;
import dev.agentmesh.models.internal.Dialects;
import dev.agentmesh.models.internal.HttpCaller;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.JsonNode;

/**
 * A {@link ChatModel} over the Anthropic Messages API.
 *
 * <pre>{@code
 * ChatModel claude = AnthropicChatModel.builder()
 *     .apiKey(System.getenv("ANTHROPIC_API_KEY"))
 *     .model("claude-sonnet-4-5")
 *     .maxTokens(4096)
 *     .build();
 * }</pre>
 *
 * <p>System messages become the {@code system} prompt; tool calls and results become {@code
 * tool_use} and {@code tool_result} blocks (results of parallel calls travel in one user message).
 * An output schema is asked for with a tool the model is made to call ({@link
 * StructuredOutput#TOOL}, the default, works on every model) or with the native {@code
 * output_config.format} ({@link StructuredOutput#NATIVE}). A reasoning level above {@code NONE}
 * turns on extended thinking with the level's token budget, added to {@code max_tokens}; thinking
 * blocks are sent back with the tool calls they preceded. Usage counts cache reads and writes.
 * Failures are classified (529 is {@link dev.agentmesh.core.spi.ModelException.Kind#OVERLOADED})
 * and retried under the {@link RetryPolicy}.
 *
 * <p>Immutable and thread-safe; share one instance per model.
 */
public final class AnthropicChatModel implements ChatModel {

  /** How an output schema is asked for. */
  public enum StructuredOutput {
    /** A tool whose input schema is the output schema, which the model is made to call. */
    TOOL,
    /** The API's native {@code output_config.format}, on models that support it. */
    NATIVE
  }

  private static final int REMEMBERED_THINKING = 1024;

  private final ClientSettings.Frozen settings;

  /** The endpoint every request goes to, parsed once (a parse per call showed in profiles). */
  private final HttpUrl url;

  private final HttpCaller caller;
  private final AnthropicCodec.Options options;
  private final String apiVersion;
  private final Map<String, List<JsonNode>> thinking =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<JsonNode>> eldest) {
          return size() > REMEMBERED_THINKING;
        }
      };

  private AnthropicChatModel(Builder b) {
    this.settings = b.settings.freeze("claude-sonnet-4-5");
    this.url = settings.endpoint("messages");
    this.apiVersion = b.apiVersion;
    this.options =
        new AnthropicCodec.Options(
            settings.model(),
            b.maxTokens,
            Map.copyOf(b.budgets),
            b.structuredOutput == StructuredOutput.NATIVE
                ? AnthropicCodec.SchemaMode.NATIVE
                : AnthropicCodec.SchemaMode.TOOL);
    this.caller =
        new HttpCaller(
            settings.client(), settings.retryPolicy(), settings.name(), Dialects.ANTHROPIC);
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
   * it; the failure is a {@link dev.agentmesh.core.spi.ModelException} of kind {@code TIMEOUT} (or
   * the last failure, saying that no time was left to retry it).
   */
  @Override
  public boolean honoursTimeout() {
    return true;
  }

  /** {@return the model id sent to the API} */
  public String model() {
    return settings.model();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    RequestBody body = Clients.oneShot(AnthropicCodec.encode(request, options, this::thinkingFor));
    String outputTool =
        request.outputSchema() != null && options.schemaMode() == AnthropicCodec.SchemaMode.TOOL
            ? request.outputName()
            : null;
    AnthropicCodec.Decoded decoded =
        caller.call(
            caller.deadlineOf(request),
            settings.keys(),
            key -> httpRequest(key, body),
            bytes -> AnthropicCodec.decode(bytes, settings.name(), outputTool));
    ChatResponse response = decoded.response();
    if (!decoded.thinking().isEmpty()) {
      synchronized (thinking) {
        thinking.put(response.toolCalls().get(0).id(), List.copyOf(decoded.thinking()));
      }
    }
    return response.toBuilder()
        .usage(settings.priceTable().price(response.usage(), settings.model(), response.modelId()))
        .build();
  }

  private List<JsonNode> thinkingFor(String toolCallId) {
    synchronized (thinking) {
      return thinking.getOrDefault(toolCallId, List.of());
    }
  }

  private Request httpRequest(String key, RequestBody body) {
    Request.Builder r = new Request.Builder().url(url).post(body);
    settings.headers().forEach(r::header);
    r.header("anthropic-version", apiVersion);
    String checked = settings.checkedKey(key);
    if (!checked.isEmpty()) {
      r.header("x-api-key", checked);
    }
    return r.build();
  }

  @Override
  public String toString() {
    return "AnthropicChatModel{name=" + settings.name() + ", baseUrl=" + settings.baseUrl() + "}";
  }

  /**
   * Builds an {@link AnthropicChatModel}. Each setter checks its value and names it in the error.
   * Not thread-safe; {@link #build()} may be called again.
   */
  public static final class Builder {
    private final ClientSettings settings =
        new ClientSettings("anthropic", "https://api.anthropic.com/v1/");
    private String apiVersion = "2023-06-01";
    private int maxTokens = 4096;
    private StructuredOutput structuredOutput = StructuredOutput.TOOL;
    private final Map<ReasoningLevel, Integer> budgets =
        new EnumMap<>(
            Map.of(
                ReasoningLevel.LOW, 1024, ReasoningLevel.MEDIUM, 4096, ReasoningLevel.HIGH, 16384));

    private Builder() {}

    /**
     * The API key, sent as {@code x-api-key}.
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
     * The model id, such as {@code claude-sonnet-4-5}. Required.
     *
     * @param model the model id
     * @return this builder
     */
    public Builder model(String model) {
      settings.model(model);
      return this;
    }

    /**
     * The API's base URL up to the version; default {@code https://api.anthropic.com/v1}.
     *
     * @param baseUrl the URL, such as {@code https://api.anthropic.com/v1}
     * @return this builder
     */
    public Builder baseUrl(String baseUrl) {
      settings.baseUrl(baseUrl);
      return this;
    }

    /**
     * The {@code anthropic-version} header; default {@code 2023-06-01}.
     *
     * @param apiVersion the version date
     * @return this builder
     */
    public Builder apiVersion(String apiVersion) {
      Objects.requireNonNull(apiVersion, "apiVersion");
      if (!apiVersion.matches("\\d{4}-\\d{2}-\\d{2}")) {
        throw new IllegalArgumentException(
            "apiVersion must be a date like 2023-06-01 but was '" + apiVersion + "'");
      }
      this.apiVersion = apiVersion;
      return this;
    }

    /**
     * Adds a header to every request, such as {@code anthropic-beta}.
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
     * max_tokens when a request sets none, between 1 and 1,000,000; default 4096.
     *
     * @param maxTokens the default max_tokens
     * @return this builder
     */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 1 || maxTokens > 1_000_000) {
        throw new IllegalArgumentException(
            "maxTokens must be between 1 and 1000000 but was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * The thinking budget for a reasoning level, at least 1024 tokens (the API's minimum).
     * Defaults: LOW 1024, MEDIUM 4096, HIGH 16384.
     *
     * @param level the reasoning level
     * @param budgetTokens the budget, 1024 or more
     * @return this builder
     */
    public Builder thinkingBudget(ReasoningLevel level, int budgetTokens) {
      Objects.requireNonNull(level, "level");
      if (level == ReasoningLevel.NONE) {
        throw new IllegalArgumentException(
            "thinkingBudget is for LOW, MEDIUM or HIGH; NONE turns thinking off");
      }
      if (budgetTokens < 1024 || budgetTokens > 1_000_000) {
        throw new IllegalArgumentException(
            "thinkingBudget for "
                + level
                + " must be between 1024 and 1000000 but was "
                + budgetTokens);
      }
      budgets.put(level, budgetTokens);
      return this;
    }

    /**
     * How an output schema is asked for; default {@link StructuredOutput#TOOL}.
     *
     * @param structuredOutput the way
     * @return this builder
     */
    public Builder structuredOutput(StructuredOutput structuredOutput) {
      this.structuredOutput = Objects.requireNonNull(structuredOutput, "structuredOutput");
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
      settings.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The name in events, metrics and messages; default {@code anthropic:<model>}.
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
      settings.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Prices that turn usage into cost; default none.
     *
     * @param priceTable the prices by model id
     * @return this builder
     */
    public Builder priceTable(PriceTable priceTable) {
      settings.priceTable = Objects.requireNonNull(priceTable, "priceTable");
      return this;
    }

    /**
     * Builds the model.
     *
     * @return the model
     */
    public AnthropicChatModel build() {
      return new AnthropicChatModel(this);
    }
  }
}
