package dev.agentmesh.review;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The implementations behind {@link Authenticator}'s factories. */
final class Authenticators {

  private Authenticators() {}

  /** Tokens compared by their SHA-256 digests, in constant time. */
  static final class TokenAuthenticator implements Authenticator {
    private final List<Map.Entry<byte[], Reviewer>> digests = new ArrayList<>();

    TokenAuthenticator(Map<String, Reviewer> reviewersByToken) {
      reviewersByToken.forEach(
          (token, reviewer) ->
              digests.add(
                  Map.entry(
                      Sha256.of(Objects.requireNonNull(token, "token")),
                      Objects.requireNonNull(reviewer, "reviewer"))));
    }

    @Override
    public Reviewer authenticate(Object credential) {
      if (!(credential instanceof String token)) {
        throw new ReviewRefusedException(
            ReviewRefusedException.Reason.UNAUTHENTICATED,
            "expected a token (a String) but the credential was a "
                + credential.getClass().getSimpleName());
      }
      byte[] digest = Sha256.of(token);
      Reviewer found = null;
      for (Map.Entry<byte[], Reviewer> e : digests) {
        if (MessageDigest.isEqual(e.getKey(), digest)) {
          found = e.getValue();
        }
      }
      if (found == null) {
        throw new ReviewRefusedException(
            ReviewRefusedException.Reason.UNAUTHENTICATED,
            "the token is not a known reviewer's; present a token the host issued");
      }
      return found;
    }
  }

  /** Only ever returns a reviewer or throws a {@link ReviewRefusedException}. */
  static final class Guarded implements Authenticator {
    private final Authenticator delegate;

    Guarded(Authenticator delegate) {
      this.delegate = delegate;
    }

    @Override
    public Reviewer authenticate(@Nullable Object credential) {
      if (credential == null) {
        throw new ReviewRefusedException(
            ReviewRefusedException.Reason.UNAUTHENTICATED,
            "no credential was given; pass what the host's authenticator accepts");
      }
      @Nullable Reviewer reviewer;
      try {
        reviewer = delegate.authenticate(credential);
      } catch (ReviewRefusedException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new ReviewRefusedException(
            ReviewRefusedException.Reason.AUTHENTICATOR_FAILED,
            "the authenticator "
                + delegate.getClass().getName()
                + " threw "
                + e.getClass().getName()
                + "; nothing was decided, try again");
      }
      if (reviewer == null) {
        throw new ReviewRefusedException(
            ReviewRefusedException.Reason.UNAUTHENTICATED,
            "the authenticator "
                + delegate.getClass().getName()
                + " returned no reviewer; it must return one or throw ReviewRefusedException");
      }
      return reviewer;
    }
  }
}
