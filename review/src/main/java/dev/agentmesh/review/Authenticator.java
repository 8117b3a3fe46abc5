package dev.agentmesh.review;

import java.util.Map;
import java.util.Objects;

/**
 * Turns the opaque credential a caller hands to a decision (a session token, a signed Slack user, a
 * verified JWT) into the {@link Reviewer} who decides, or refuses it. The host supplies it; the
 * review runtime never reads a reviewer id from the caller, so an id a caller makes up is ignored.
 *
 * <p>Threading: called from any thread, possibly concurrently, on the caller's thread before
 * anything is recorded; keep it fast (cache directory lookups). Errors: refuse with a {@link
 * ReviewRefusedException} whose reason is {@link ReviewRefusedException.Reason#UNAUTHENTICATED};
 * never put the credential in the message. {@link #guarded} turns anything else (a {@code null}
 * result, another exception) into a refusal, and the runtime calls authenticators through it.
 *
 * <pre>{@code
 * Authenticator sso = credential -> {
 *   Session s = sso.verify((String) credential); // the host's own check
 *   if (s == null) {
 *     throw new ReviewRefusedException(Reason.UNAUTHENTICATED, "the session token is not valid");
 *   }
 *   return new Reviewer(s.user(), s.groups());
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * The reviewer the credential proves, or a refusal.
   *
   * @param credential what the caller presented; its type is the host's choice
   * @return the reviewer, never {@code null}
   * @throws ReviewRefusedException when the credential is not accepted
   */
  Reviewer authenticate(Object credential);

  /**
   * An authenticator for tests and examples: each token (a string credential) names one reviewer.
   * Tokens are compared by their SHA-256 digests in constant time.
   *
   * @param reviewersByToken each token and the reviewer it proves
   * @return the authenticator
   */
  static Authenticator tokens(Map<String, Reviewer> reviewersByToken) {
    return new Authenticators.TokenAuthenticator(reviewersByToken);
  }

  /**
   * Wraps {@code delegate} so that it only ever returns a reviewer or throws a {@link
   * ReviewRefusedException}: a {@code null} credential or result is {@code UNAUTHENTICATED}, any
   * other exception becomes {@code AUTHENTICATOR_FAILED} (its class named, its message left out, as
   * it may hold the credential).
   *
   * @param delegate the host's authenticator
   * @return the guarded authenticator
   */
  static Authenticator guarded(Authenticator delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return delegate instanceof Authenticators.Guarded
        ? delegate
        : new Authenticators.Guarded(delegate);
  }
}
