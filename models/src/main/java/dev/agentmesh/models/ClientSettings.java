package dev.agentmesh.models;

import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.models.internal.Clients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The settings both adapters' builders share, checked when set. Not thread-safe (a builder's
 * state); {@link #freeze} makes the immutable {@link Frozen} copy an adapter keeps.
 */
final class ClientSettings {

  private static final Set<String> KEY_HEADERS = Set.of("authorization", "x-api-key", "api-key");

  private final String kind;
  @Nullable Supplier<String> apiKeySupplier;
  @Nullable String staticKey;
  @Nullable String model;
  HttpUrl baseUrl;
  Duration connectTimeout = Duration.ofSeconds(10);
  Duration readTimeout = Duration.ofSeconds(120);
  Duration callTimeout = Duration.ofSeconds(180);
  @Nullable OkHttpClient httpClient;
  final Map<String, String> headers = new LinkedHashMap<>();
  @Nullable String name;
  RetryPolicy retryPolicy = RetryPolicy.defaults();
  PriceTable priceTable = PriceTable.empty();

  ClientSettings(String kind, String defaultBaseUrl) {
    this.kind = kind;
    this.baseUrl = url(defaultBaseUrl);
  }

  void apiKey(String key) {
    Objects.requireNonNull(key, "apiKey");
    staticKey = key;
    apiKeySupplier = () -> key;
  }

  void apiKeySupplier(Supplier<String> supplier) {
    apiKeySupplier = Objects.requireNonNull(supplier, "apiKeySupplier");
    staticKey = null;
  }

  void model(String id) {
    Objects.requireNonNull(id, "model");
    if (id.isBlank()) {
      throw new IllegalArgumentException("model must not be blank but was '" + id + "'");
    }
    model = id;
  }

  void baseUrl(String url) {
    baseUrl = url(url);
  }

  static Duration timeout(String setting, Duration value) {
    Objects.requireNonNull(value, setting);
    if (value.toMillis() < 1 || value.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          setting + " must be between 1 ms and 1 hour but was " + value);
    }
    return value;
  }

  void header(String headerName, String value) {
    Objects.requireNonNull(headerName, "header name");
    Objects.requireNonNull(value, "header value");
    if (KEY_HEADERS.contains(headerName.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "header '"
              + headerName
              + "' carries the API key; set it with apiKey(...) or apiKeySupplier(...) so it is never logged");
    }
    try {
      new Headers.Builder().add(headerName, "x");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "header name '" + headerName + "' is not a valid HTTP header name", e);
    }
    if (!Clients.isHeaderSafe(value)) {
      throw new IllegalArgumentException(
          "header '"
              + headerName
              + "' has a value with characters not allowed in HTTP headers (control or non-ASCII characters)");
    }
    headers.put(headerName, value);
  }

  void name(String value) {
    Objects.requireNonNull(value, "name");
    if (value.isBlank() || value.length() > 100) {
      throw new IllegalArgumentException(
          "name must be 1 to 100 characters but was '" + value + "'");
    }
    name = value;
  }

  Frozen freeze(String example) {
    if (model == null) {
      throw new IllegalStateException(
          "model is not set; call model(\"" + example + "\") with the id the server serves");
    }
    String n = name != null ? name : kind + ":" + model;
    if (staticKey != null && staticKey.length() >= 4 && n.contains(staticKey)) {
      throw new IllegalStateException("name must not contain the API key; choose another name");
    }
    OkHttpClient client =
        Clients.withTimeouts(httpClient, connectTimeout, readTimeout, callTimeout);
    Supplier<String> keys = apiKeySupplier != null ? apiKeySupplier : () -> "";
    return new Frozen(
        keys, model, baseUrl, client, Map.copyOf(headers), n, retryPolicy, priceTable);
  }

  private static HttpUrl url(String value) {
    Objects.requireNonNull(value, "baseUrl");
    HttpUrl url = HttpUrl.parse(value);
    if (url == null) {
      throw new IllegalArgumentException(
          "baseUrl must be an http or https URL, such as "
              + "http://localhost:11434/v1, but was '"
              + value
              + "'");
    }
    return url;
  }

  /** The immutable settings an adapter keeps. */
  record Frozen(
      Supplier<String> keys,
      String model,
      HttpUrl baseUrl,
      OkHttpClient client,
      Map<String, String> headers,
      String name,
      RetryPolicy retryPolicy,
      PriceTable priceTable) {

    /** {@code baseUrl} joined with a relative path such as {@code chat/completions}. */
    HttpUrl endpoint(String path) {
      String base = baseUrl.toString();
      return HttpUrl.get(base.endsWith("/") ? base + path : base + "/" + path);
    }

    /** The key for one attempt, checked to be header-safe without showing it. */
    String checkedKey(String key) {
      if (!Clients.isHeaderSafe(key)) {
        throw new ModelException(
            ModelException.Kind.AUTHENTICATION,
            name,
            "The API key of "
                + name
                + " has characters not allowed in an HTTP header (a trailing "
                + "newline or space?); trim it where it is read");
      }
      return key;
    }
  }
}
