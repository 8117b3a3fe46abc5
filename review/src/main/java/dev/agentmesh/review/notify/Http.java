package dev.agentmesh.review.notify;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import tools.jackson.databind.json.JsonMapper;

/** What the HTTP notifiers share: one default client, sending, status handling, safe URLs. */
final class Http {

  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static final OkHttpClient DEFAULT_CLIENT = new OkHttpClient();

  private Http() {}

  /** Sends {@code request}; throws a {@link NotificationException} unless the answer is 2xx. */
  static void send(OkHttpClient client, Request request, String where) {
    try (Response response = client.newCall(request).execute()) {
      int code = response.code();
      if (code / 100 != 2) {
        boolean retryable = code == 408 || code == 429 || code >= 500;
        throw new NotificationException(
            where
                + " answered HTTP "
                + code
                + "; expected 2xx"
                + (retryable
                    ? " (will retry)"
                    : " (not retried: fix the receiver or its configuration)"),
            retryable);
      }
    } catch (IOException e) {
      throw new NotificationException(
          where
              + " failed: "
              + e.getClass().getSimpleName()
              + ": "
              + NotifyText.visible(String.valueOf(e.getMessage()), 200),
          true,
          e);
    }
  }

  static URI checkUrl(URI url, String what) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException(
          what + " must be an http or https URL but has scheme '" + scheme + "'");
    }
    return url;
  }

  static Duration checkTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "timeout must be between 1 ms and 5 minutes but was " + timeout);
    }
    return timeout;
  }

  /** Scheme, host and port only: webhook paths often hold secrets (Slack's do). */
  static String redacted(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() == -1 ? "" : ":" + url.getPort())
        + "/...";
  }
}
