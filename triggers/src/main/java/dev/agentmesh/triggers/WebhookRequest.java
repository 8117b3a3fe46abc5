package dev.agentmesh.triggers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A received webhook as the verifier sees it: the headers (names compared without regard to case)
 * and the raw body bytes exactly as they came off the wire (verify before parsing: a re-serialized
 * body no longer matches its signature).
 *
 * <pre>{@code
 * WebhookRequest request = WebhookRequest.builder()
 *     .header("X-Hub-Signature-256", signature)
 *     .body(rawBytes)
 *     .build();
 * }</pre>
 */
public final class WebhookRequest {

  private final Map<String, List<String>> headers;
  private final byte[] body;

  private WebhookRequest(Map<String, List<String>> headers, byte[] body) {
    this.headers = headers;
    this.body = body;
  }

  /**
   * From a server's header map (e.g. {@code HttpExchange.getRequestHeaders()}) and raw body.
   *
   * @param headers header names to their values
   * @param body the raw body
   * @return the request
   */
  public static WebhookRequest of(Map<String, List<String>> headers, byte[] body) {
    Builder builder = builder().body(body);
    headers.forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
    return builder.build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every value of header {@code name}, in the order received; empty when absent.
   *
   * @param name the header's name, in any case
   * @return the values
   */
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** {@return a copy of the raw body} */
  public byte[] body() {
    return body.clone();
  }

  byte[] rawBody() {
    return body;
  }

  /** Collects headers (repeated names keep every value) and the body. */
  public static final class Builder {
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];

    private Builder() {}

    /**
     * Adds a value of a header.
     *
     * @param name the header's name
     * @param value the value
     * @return this builder
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    /**
     * Sets the raw body.
     *
     * @param body the bytes, as received
     * @return this builder
     */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body").clone();
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public WebhookRequest build() {
      Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
      return new WebhookRequest(copy, Arrays.copyOf(body, body.length));
    }
  }
}
