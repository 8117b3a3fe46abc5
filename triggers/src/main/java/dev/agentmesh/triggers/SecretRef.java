package dev.agentmesh.triggers;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a secret is found, never the secret itself: {@code env:ZENDESK_SECRET} (an environment
 * variable) or {@code <scheme>:<name>} for a host's own store ({@code vault:webhooks/zendesk}),
 * read by a {@link SecretResolver} when triggers are bound. Trigger files only hold references, so
 * they can be committed and printed.
 *
 * <pre>{@code
 * SecretRef ref = SecretRef.parse("env:ZENDESK_SECRET");
 * ref.scheme(); // "env"
 * ref.name();   // "ZENDESK_SECRET"
 * }</pre>
 *
 * @param scheme where to look: {@code env}, or a scheme a host's resolver knows; lower-case
 *     letters, digits and '-', starting with a letter, at most 20 characters
 * @param name what to look up there: for {@code env} an environment variable name ({@code
 *     [A-Za-z_][A-Za-z0-9_]*}), else letters, digits and {@code _ . / -}, at most 200 characters
 */
public record SecretRef(String scheme, String name) {

  /** The scheme of environment variables. */
  public static final String ENV = "env";

  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,199}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_./-]{1,200}");

  /**
   * Checks the two parts. Messages never repeat what was written, since a misplaced secret may be
   * there.
   *
   * @param scheme where to look
   * @param name what to look up there
   */
  public SecretRef {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(name, "name");
    if (!SCHEME.matcher(scheme).matches()) {
      throw new IllegalArgumentException(
          "a secret reference's scheme must be lower-case letters, digits and '-', starting with a"
              + " letter (such as env), but the one given is not");
    }
    if (!(scheme.equals(ENV) ? ENV_NAME : NAME).matcher(name).matches()) {
      throw new IllegalArgumentException(
          scheme.equals(ENV)
              ? "an env: secret reference names an environment variable (letters, digits and '_',"
                  + " not starting with a digit), such as env:ZENDESK_SECRET, but the one given is not"
              : "a secret reference's name must be 1 to 200 letters, digits or _ . / -, but the one"
                  + " given is not");
    }
  }

  /**
   * Reads {@code scheme:name}. What looks like a secret written inline (no {@code scheme:} prefix)
   * is refused; the message never repeats the text.
   *
   * @param text the reference as written, such as {@code env:ZENDESK_SECRET}
   * @return the reference
   * @throws IllegalArgumentException if the text is not a well-formed reference
   */
  public static SecretRef parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || !SCHEME.matcher(text.substring(0, colon)).matches()) {
      throw new IllegalArgumentException(
          "expected a reference to a secret, such as env:ZENDESK_SECRET, but found text that is"
              + " not one (not repeated here, in case it is the secret itself); keep secrets out of"
              + " trigger files and name where to find them");
    }
    return new SecretRef(text.substring(0, colon), text.substring(colon + 1));
  }

  /** {@return {@code scheme:name}, as written in trigger files} */
  @Override
  public String toString() {
    return scheme + ":" + name;
  }
}
