package dev.agentmesh.models.internal;

import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.jspecify.annotations.Nullable;

/**
 * The OkHttp client the adapters share unless the host passes its own, and the rule that every
 * request reaching a server is an attempt of the {@link dev.agentmesh.models.RetryPolicy}.
 */
public final class Clients {

  private static final MediaType JSON = MediaType.get("application/json");

  private Clients() {}

  private static final class Shared {
    static final OkHttpClient CLIENT = new OkHttpClient();
  }

  /**
   * A client with these timeouts that shares {@code base}'s connection pool, dispatcher and
   * interceptors (or the module's shared ones when {@code base} is null), and that never sends a
   * request again on its own: no {@code retryOnConnectionFailure} (which also repeats a 408), no
   * redirects. With {@link #oneShot} bodies, which OkHttp does not re-send for a 503 with {@code
   * Retry-After: 0}, a 401 answered by an authenticator or a 421, one attempt of the retry policy
   * is one request.
   */
  public static OkHttpClient withTimeouts(
      @Nullable OkHttpClient base, Duration connect, Duration read, Duration call) {
    return (base == null ? Shared.CLIENT : base)
        .newBuilder()
        .connectTimeout(connect)
        .readTimeout(read)
        .writeTimeout(read)
        .callTimeout(call)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  /**
   * A JSON body that OkHttp sends at most once per call: it never repeats it for a follow-up (a 503
   * with {@code Retry-After: 0}, an authenticator's answer to a 401, a 307 or 308 redirect) nor
   * after a connection failure. Our retries send it again, one call each.
   */
  public static RequestBody oneShot(byte[] json) {
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return JSON;
      }

      @Override
      public long contentLength() {
        return json.length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.write(json);
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };
  }

  /** Checks a key can travel in a header, without ever showing it. */
  public static boolean isHeaderSafe(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
