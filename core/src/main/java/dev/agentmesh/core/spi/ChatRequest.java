package dev.agentmesh.core.spi;

import dev.agentmesh.core.ReasoningLevel;
import dev.agentmesh.core.internal.turn.Transcript;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the agent loop sends to a {@link ChatModel}: the conversation so far, the tools on offer and
 * how to answer.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *     .addMessage(ChatMessage.system("You triage tickets."))
 *     .addMessage(ChatMessage.user("Invoice wrong"))
 *     .tools(List.of(lookupTier))
 *     .outputSchema(schema)
 *     .reasoning(ReasoningLevel.LOW)
 *     .maxTokens(1024)
 *     .build();
 * }</pre>
 *
 * <p>The agent loop sets {@link #timeout()}, the time left before its run's deadline; a model gives
 * up once it has passed (see {@link ChatModel#honoursTimeout()}).
 *
 * <p>Immutable and thread-safe. {@link #toBuilder()} makes a changed copy.
 */
public final class ChatRequest {

  private static final String[] NO_LABELS = {};

  private final List<ChatMessage> messages;
  private final List<ToolDefinition> tools;
  private final @Nullable JsonNode outputSchema;
  private final String outputName;
  private final ReasoningLevel reasoning;
  private final @Nullable Double temperature;
  private final @Nullable Integer maxTokens;

  /** The labels, sorted by key: key, value, key, value. */
  private final String[] metadata;

  private final @Nullable Duration timeout;

  private ChatRequest(Builder builder) {
    if (builder.messages.isEmpty()) {
      throw new IllegalStateException("a ChatRequest needs at least one message");
    }
    // A transcript's immutable view is shared (copying it would cost its length for nothing).
    this.messages = Transcript.immutable(builder.messages);
    this.tools = builder.tools; // copied when given
    this.outputSchema = builder.outputSchema;
    this.outputName = builder.outputName;
    this.reasoning = builder.reasoning;
    this.temperature = builder.temperature;
    this.maxTokens = builder.maxTokens;
    // Handed over, not copied: the builder copies it before it changes it again.
    builder.metadataShared = true;
    this.metadata = builder.metadata;
    this.timeout = builder.timeout;
  }

  /** {@return a new, empty builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this request's values} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.messages(messages);
    b.tools = tools;
    b.outputSchema = outputSchema;
    b.outputName = outputName;
    b.reasoning = reasoning;
    b.temperature = temperature;
    b.maxTokens = maxTokens;
    b.metadata = metadata;
    b.metadataShared = true;
    b.timeout = timeout;
    return b;
  }

  /** {@return the conversation, oldest first; system messages come first} */
  public List<ChatMessage> messages() {
    return messages;
  }

  /** {@return the tools the model may call; empty when none} */
  public List<ToolDefinition> tools() {
    return tools;
  }

  /** {@return the JSON Schema the final answer must match, or {@code null} for free text} */
  public @Nullable JsonNode outputSchema() {
    return outputSchema;
  }

  /** {@return a name for the output schema (providers require one); defaults to {@code output}} */
  public String outputName() {
    return outputName;
  }

  /** {@return how hard the model should think} */
  public ReasoningLevel reasoning() {
    return reasoning;
  }

  /** {@return sampling temperature, or {@code null} for the provider's default} */
  public @Nullable Double temperature() {
    return temperature;
  }

  /** {@return the most output tokens to produce, or {@code null} for the provider's default} */
  public @Nullable Integer maxTokens() {
    return maxTokens;
  }

  /** {@return labels for logs and metrics (agent name, run id); never sent to the provider} */
  public Map<String, String> metadata() {
    return new Labels(metadata);
  }

  /**
   * How long the caller waits for this call, counted from when the request was built, or {@code
   * null} when it sets no limit. The agent loop sets the time left before its run's deadline
   * ({@code limits.timeout}), so one budget covers the call, every retry and every wait between
   * them. It is a duration rather than an instant so that it holds whatever clock the model
   * measures with. A model should cancel its I/O and stop retrying once it has passed, and not
   * start an attempt or a backoff wait that would end after it; the loop stops waiting then anyway
   * (see {@link ChatModel#honoursTimeout()}).
   *
   * @return the time the caller waits, or {@code null}
   */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** {@return the text of the last user message, or the empty string when there is none} */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == ChatMessage.Role.USER) {
        return messages.get(i).textOrEmpty();
      }
    }
    return "";
  }

  @Override
  public String toString() {
    // Never the prompt: it may hold personal data.
    return "ChatRequest{messages="
        + messages.size()
        + ", tools="
        + tools.size()
        + ", outputSchema="
        + (outputSchema != null)
        + ", reasoning="
        + reasoning
        + (timeout == null ? "" : ", timeout=" + timeout.toMillis() + "ms")
        + "}";
  }

  /** An immutable view of sorted key-value pairs, in key order. */
  private static final class Labels extends AbstractMap<String, String> {
    private final String[] pairs;

    Labels(String[] pairs) {
      this.pairs = pairs;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, String>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < pairs.length;
            }

            @Override
            public Entry<String, String> next() {
              if (!hasNext()) throw new NoSuchElementException();
              Entry<String, String> e = new SimpleImmutableEntry<>(pairs[next], pairs[next + 1]);
              next += 2;
              return e;
            }
          };
        }

        @Override
        public int size() {
          return pairs.length / 2;
        }
      };
    }

    @Override
    public @Nullable String get(@Nullable Object key) {
      int i = indexOf(pairs, key);
      return i < 0 ? null : pairs[i + 1];
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return indexOf(pairs, key) >= 0;
    }
  }

  /** Where {@code key} is among the pairs' keys, or -1. */
  private static int indexOf(String[] pairs, @Nullable Object key) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(key)) return i;
    }
    return -1;
  }

  /** Builds a {@link ChatRequest}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    /** Either a list this builder owns, or an immutable one it shares until it adds to it. */
    private List<ChatMessage> messages = List.of();

    private boolean messagesShared = true; // the empty list, until the first addMessage
    private List<ToolDefinition> tools = List.of();
    private @Nullable JsonNode outputSchema;
    private String outputName = "output";
    private ReasoningLevel reasoning = ReasoningLevel.NONE;
    private @Nullable Double temperature;
    private @Nullable Integer maxTokens;
    private String[] metadata = NO_LABELS;
    private boolean metadataShared;
    private @Nullable Duration timeout;

    private Builder() {}

    /**
     * Replaces the messages.
     *
     * @param messages the conversation, oldest first
     * @return this builder
     */
    public Builder messages(List<ChatMessage> messages) {
      if (Transcript.isImmutable(messages)) {
        this.messages = messages;
        messagesShared = true;
      } else {
        this.messages = new ArrayList<>(messages);
        messagesShared = false;
      }
      return this;
    }

    /**
     * Appends one message.
     *
     * @param message the next message
     * @return this builder
     */
    public Builder addMessage(ChatMessage message) {
      Objects.requireNonNull(message, "message");
      if (messagesShared) {
        messages = new ArrayList<>(messages);
        messagesShared = false;
      }
      messages.add(message);
      return this;
    }

    /**
     * Replaces the tools on offer.
     *
     * @param tools the tools the model may call
     * @return this builder
     */
    public Builder tools(List<ToolDefinition> tools) {
      this.tools = List.copyOf(tools);
      return this;
    }

    /**
     * The JSON Schema the final answer must match; {@code null} for free text.
     *
     * @param outputSchema a JSON Schema object, or {@code null}
     * @return this builder
     */
    public Builder outputSchema(@Nullable JsonNode outputSchema) {
      if (outputSchema != null && !outputSchema.isObject()) {
        throw new IllegalArgumentException(
            "outputSchema must be a JSON object but was " + outputSchema.getNodeType());
      }
      this.outputSchema = outputSchema;
      return this;
    }

    /**
     * The output schema's name, letters, digits, '_' and '-' only.
     *
     * @param outputName the name, 1 to 64 characters
     * @return this builder
     */
    public Builder outputName(String outputName) {
      if (!isName(outputName)) {
        throw new IllegalArgumentException(
            "outputName must be 1 to 64 of [A-Za-z0-9_-] but was '" + outputName + "'");
      }
      this.outputName = outputName;
      return this;
    }

    /** 1 to 64 of [A-Za-z0-9_-]; checked by hand because it runs for every request. */
    private static boolean isName(String s) {
      if (s.isEmpty() || s.length() > 64) return false;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!(c >= 'a' && c <= 'z'
            || c >= 'A' && c <= 'Z'
            || c >= '0' && c <= '9'
            || c == '_'
            || c == '-')) return false;
      }
      return true;
    }

    /**
     * How hard the model should think.
     *
     * @param reasoning the level
     * @return this builder
     */
    public Builder reasoning(ReasoningLevel reasoning) {
      this.reasoning = Objects.requireNonNull(reasoning, "reasoning");
      return this;
    }

    /**
     * Sampling temperature between 0 and 2, or {@code null} for the provider's default.
     *
     * @param temperature the temperature, or {@code null}
     * @return this builder
     */
    public Builder temperature(@Nullable Double temperature) {
      if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException(
            "temperature must be between 0 and 2 but was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /**
     * The most output tokens, at least 1, or {@code null} for the provider's default.
     *
     * @param maxTokens the limit, or {@code null}
     * @return this builder
     */
    public Builder maxTokens(@Nullable Integer maxTokens) {
      if (maxTokens != null && maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be >= 1 but was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Adds a label for logs and metrics.
     *
     * @param key the label's key, such as {@code agent}
     * @param value its value
     * @return this builder
     */
    public Builder metadata(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      int at = indexOf(metadata, key);
      if (at >= 0) {
        if (metadataShared) {
          metadata = metadata.clone(); // a request built before holds the old one
          metadataShared = false;
        }
        metadata[at + 1] = value;
        return this;
      }
      // A new key, at its place in key order, in a new array (a request built before keeps its
      // own).
      int place = 0;
      while (place < metadata.length && metadata[place].compareTo(key) < 0) place += 2;
      String[] more = new String[metadata.length + 2];
      System.arraycopy(metadata, 0, more, 0, place);
      more[place] = key;
      more[place + 1] = value;
      System.arraycopy(metadata, place, more, place + 2, metadata.length - place);
      metadata = more;
      metadataShared = false;
      return this;
    }

    /**
     * How long the caller waits for the call, zero or more, or {@code null} for no limit; see
     * {@link ChatRequest#timeout()}.
     *
     * @param timeout the time the caller waits, or {@code null}
     * @return this builder
     */
    public Builder timeout(@Nullable Duration timeout) {
      if (timeout != null && timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must not be negative but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public ChatRequest build() {
      return new ChatRequest(this);
    }
  }
}
