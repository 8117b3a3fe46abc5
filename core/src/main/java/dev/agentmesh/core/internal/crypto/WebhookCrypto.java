package dev.agentmesh.core.internal.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not API: HMAC-SHA256, its encodings, a constant-time comparison and the signed content
 * of the two schemes both triggers and review speak, Standard Webhooks ({@code v1,<base64>} over
 * {@code id.timestamp.body}, {@code whsec_<base64>} secrets) and Slack ({@code v0=<hex>} over
 * {@code v0:timestamp:body}). Stateless and thread-safe.
 *
 * <pre>{@code
 * String header = WebhookCrypto.standardWebhooksSignature(key, "msg_1", "1700000000", body);
 * boolean ok = WebhookCrypto.constantTimeEquals(expected, given);
 * }</pre>
 */
public final class WebhookCrypto {

  private static final HexFormat HEX = HexFormat.of();
  private static final String WHSEC = "whsec_";

  private WebhookCrypto() {}

  /**
   * The HMAC-SHA256 of {@code content} under {@code key}.
   *
   * @param key the secret key
   * @param content the bytes to sign
   * @return the 32-byte HMAC
   */
  public static byte[] hmacSha256(byte[] key, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is on every Java platform", e);
    }
  }

  /**
   * True when both arrays hold the same bytes, in time that does not depend on where they differ.
   *
   * @param expected the bytes computed here
   * @param given the bytes received
   * @return whether they are equal
   */
  public static boolean constantTimeEquals(byte[] expected, byte[] given) {
    return MessageDigest.isEqual(expected, given);
  }

  /**
   * The bytes of {@code parts} one after another: byte arrays as they are, anything else as UTF-8
   * text.
   *
   * @param parts byte arrays and values to write as text
   * @return the joined bytes
   */
  public static byte[] concat(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      out.writeBytes(
          part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /**
   * Lower-case hex.
   *
   * @param bytes the bytes
   * @return the hex text
   */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * The 32 bytes of exactly 64 hex digits (an HMAC-SHA256), or null for anything else.
   *
   * @param hex the text
   * @return the bytes, or null
   */
  public static byte @Nullable [] hex32(String hex) {
    return hex.matches("[0-9a-fA-F]{64}") ? HEX.parseHex(hex) : null;
  }

  /**
   * Standard (padded) base64.
   *
   * @param bytes the bytes
   * @return the base64 text
   */
  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The bytes of standard base64 text, or null when it is not base64.
   *
   * @param base64 the text
   * @return the bytes, or null
   */
  public static byte @Nullable [] fromBase64(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * True when {@code secret} starts with Standard Webhooks' {@code whsec_} prefix.
   *
   * @param secret the secret as configured
   * @return whether it has the prefix
   */
  public static boolean hasWhsecPrefix(String secret) {
    return secret.startsWith(WHSEC);
  }

  /**
   * The key of a Standard Webhooks secret, {@code whsec_<base64>} (prefix optional), or null when
   * not base64.
   *
   * @param secret the secret as configured
   * @return the key bytes, or null
   */
  public static byte @Nullable [] whsecKey(String secret) {
    return fromBase64(hasWhsecPrefix(secret) ? secret.substring(WHSEC.length()) : secret);
  }

  /**
   * What Standard Webhooks signs: {@code id.timestamp.body}.
   *
   * @param id the message id
   * @param timestamp the timestamp, in Unix seconds, as sent
   * @param body the raw body
   * @return the signed content
   */
  public static byte[] standardWebhooksContent(String id, String timestamp, byte[] body) {
    return concat(id, ".", timestamp, ".", body);
  }

  /**
   * The Standard Webhooks {@code webhook-signature} entry: {@code v1,} and the base64 HMAC.
   *
   * @param key the secret key
   * @param id the message id
   * @param timestamp the timestamp, in Unix seconds, as sent
   * @param body the raw body
   * @return the signature entry
   */
  public static String standardWebhooksSignature(
      byte[] key, String id, String timestamp, byte[] body) {
    return "v1," + base64(hmacSha256(key, standardWebhooksContent(id, timestamp, body)));
  }

  /**
   * What Slack signs, its basestring: {@code v0:timestamp:body}.
   *
   * @param timestamp the timestamp, in Unix seconds, as sent
   * @param body the raw body
   * @return the basestring
   */
  public static byte[] slackBasestring(String timestamp, byte[] body) {
    return concat("v0:", timestamp, ":", body);
  }

  /**
   * The Slack {@code X-Slack-Signature} value: {@code v0=} and the hex HMAC of the basestring.
   *
   * @param signingSecret the Slack app's signing secret
   * @param timestamp the timestamp, in Unix seconds, as sent
   * @param body the raw body
   * @return the signature value
   */
  public static String slackSignature(byte[] signingSecret, String timestamp, byte[] body) {
    return "v0=" + hex(hmacSha256(signingSecret, slackBasestring(timestamp, body)));
  }
}
