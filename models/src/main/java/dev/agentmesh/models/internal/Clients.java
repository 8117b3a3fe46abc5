package dev.agentmesh.models.internal;

import java.time.Duration;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/** The OkHttp client the adapters share unless the host passes its own. */
public final class Clients {

  private Clients() {}

  private static final class Shared {
    static final OkHttpClient CLIENT = new OkHttpClient();
  }

  /**
   * A client with these timeouts that shares {@code base}'s connection pool and dispatcher (or the
   * module's shared ones when {@code base} is null).
   */
  public static OkHttpClient withTimeouts(
      @Nullable OkHttpClient base, Duration connect, Duration read, Duration call) {
    return (base == null ? Shared.CLIENT : base).newBuilder()
        .connectTimeout(connect)
        .readTimeout(read)
        .writeTimeout(read)
        .callTimeout(call)
        .build();
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
