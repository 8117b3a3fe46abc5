package dev.agentmesh.triggers;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import dev.agentmesh.triggers.WebhookVerification.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What every scheme needs: careful header reading, timestamps, matching against several keys and
 * refusals; the HMAC itself and its encodings are {@link WebhookCrypto}, shared with review.
 */
final class Signatures {

  /** Longer header values are refused unread: no scheme needs more. */
  static final int MAX_HEADER_LENGTH = 8192;

  private Signatures() {}

  /** The one value of header {@code name}, printable ASCII and at most 8192 characters. */
  static String single(WebhookRequest request, String name) throws Refusal {
    String value = optional(request, name);
    if (value == null) {
      throw new Refusal(Outcome.MISSING_HEADER, "missing header '" + name + "'");
    }
    return value;
  }

  static @Nullable String optional(WebhookRequest request, String name) throws Refusal {
    List<String> values = request.headers(name);
    if (values.size() > 1) {
      throw malformed("header '" + name + "' appears " + values.size() + " times; expected once");
    }
    if (values.isEmpty()) {
      return null;
    }
    String value = values.get(0);
    if (value.length() > MAX_HEADER_LENGTH) {
      throw malformed(
          "header '"
              + name
              + "' is "
              + value.length()
              + " characters long; at most "
              + MAX_HEADER_LENGTH
              + " are read");
    }
    if (!value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw malformed("header '" + name + "' holds a character outside printable ASCII");
    }
    return value.strip();
  }

  /** Seconds since the epoch in {@code value}, checked against the clock both ways. */
  static Instant timestamp(String value, String header, Clock clock, Duration tolerance)
      throws Refusal {
    if (!value.matches("[0-9]{1,12}")) {
      throw malformed("header '" + header + "' is not a number of seconds since 1970");
    }
    Instant signed = Instant.ofEpochSecond(Long.parseLong(value));
    Duration off = Duration.between(signed, clock.instant()).abs();
    if (off.compareTo(tolerance) > 0) {
      throw new Refusal(
          Outcome.EXPIRED,
          "timestamp "
              + signed
              + " is "
              + off.toSeconds()
              + " s from now; the tolerance is "
              + tolerance.toSeconds()
              + " s");
    }
    return signed;
  }

  /**
   * True when some key's HMAC-SHA256 of {@code content} equals some candidate (constant time each).
   */
  static boolean matches(List<byte[]> keys, byte[] content, List<byte[]> candidates) {
    boolean match = false;
    for (byte[] key : keys) {
      byte[] expected = WebhookCrypto.hmacSha256(key, content);
      for (byte[] candidate : candidates) {
        match |= WebhookCrypto.constantTimeEquals(expected, candidate);
      }
    }
    return match;
  }

  /** {@code scheme:} and the SHA-256 hex of the signed parts: short, stable, safe to log. */
  static String deliveryKey(String scheme, Object... signedParts) {
    return scheme + ":" + WebhookCrypto.hex(Jitter.sha256(WebhookCrypto.concat(signedParts)));
  }

  static Refusal malformed(String reason) {
    return new Refusal(Outcome.MALFORMED, reason);
  }

  static Refusal badSignature(String header, int secrets) {
    return new Refusal(
        Outcome.BAD_SIGNATURE,
        "no signature in header '"
            + header
            + "' matches any of the "
            + secrets
            + " secret"
            + (secrets == 1 ? "" : "s"));
  }
}
