package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.review.ReviewRefusedException.Reason;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTypesTest {

  @Test
  void aReviewerKeepsItsGroupsSortedAndRefusesBlankNames() {
    Reviewer ana = Reviewer.of("ana", "z-team", "leads");

    assertThat(ana.groups()).containsExactly("leads", "z-team");
    assertThat(ana.memberOf("leads")).isTrue();
    assertThat(ana).isEqualTo(new Reviewer("ana", Set.of("leads", "z-team")));
    assertThatThrownBy(() -> Reviewer.of(" "))
        .hasMessage(
            "a reviewer id must be 1 to 200 characters without control characters, not blank,"
                + " but was ' '");
    assertThatThrownBy(() -> Reviewer.of("ana", "a\nb"))
        .hasMessageStartingWith("a group name must be 1 to 200 characters");
  }

  @Test
  void theTokenAuthenticatorIgnoresAnyIdTheCallerMadeUp() {
    Authenticator auth = Authenticator.tokens(Map.of("t-ana", Reviewer.of("ana", "leads")));

    assertThat(auth.authenticate("t-ana")).isEqualTo(Reviewer.of("ana", "leads"));
    ReviewRefusedException made =
        catchThrowableOfType(ReviewRefusedException.class, () -> auth.authenticate("ana"));
    assertThat(made.reason()).isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(made)
        .hasMessage("the token is not a known reviewer's; present a token the host issued");
    ReviewRefusedException wrongType =
        catchThrowableOfType(
            ReviewRefusedException.class, () -> auth.authenticate(Reviewer.of("ana", "leads")));
    assertThat(wrongType)
        .hasMessage("expected a token (a String) but the credential was a Reviewer");
  }

  @Test
  void theGuardTurnsNullsAndFailuresIntoRefusalsWithoutTheCredential() {
    Authenticator nothing = credential -> nullReviewer();
    Authenticator broken =
        credential -> {
          throw new IllegalStateException("directory down for secret-token-123");
        };

    ReviewRefusedException none =
        catchThrowableOfType(
            ReviewRefusedException.class, () -> Authenticator.guarded(nothing).authenticate("x"));
    assertThat(none.reason()).isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(none)
        .hasMessageEndingWith(
            "returned no reviewer; it must return one or throw ReviewRefusedException");
    ReviewRefusedException failed =
        catchThrowableOfType(
            ReviewRefusedException.class,
            () -> Authenticator.guarded(broken).authenticate("secret-token-123"));
    assertThat(failed.reason()).isEqualTo(Reason.AUTHENTICATOR_FAILED);
    assertThat(failed.getMessage())
        .contains("threw java.lang.IllegalStateException; nothing was decided, try again")
        .doesNotContain("secret-token-123");
    Authenticator guarded = Authenticator.guarded(broken);
    assertThat(Authenticator.guarded(guarded)).isSameAs(guarded);
  }

  @SuppressWarnings("NullAway")
  private static Reviewer nullReviewer() {
    return null;
  }

  @Test
  void decisionsCheckTheirReasonsAndComments() {
    assertThat(Decision.approve().approves()).isTrue();
    assertThat(Decision.edit(Samples.document()).approves()).isTrue();
    assertThat(Decision.reject("wrong customer").approves()).isFalse();
    assertThat(
            List.of(
                Decision.approve().kind(),
                Decision.edit(Samples.document()).kind(),
                Decision.reject("no").kind(),
                Decision.requestChanges("again", List.of()).kind()))
        .containsExactly("approve", "edit", "reject", "request-changes");
    assertThatThrownBy(() -> Decision.reject(""))
        .hasMessage("a rejection's reason must be 1 to 10000 characters, not blank, but was blank");
    assertThatThrownBy(() -> Decision.requestChanges("x".repeat(10_001), List.of()))
        .hasMessage(
            "a change request's reason must be 1 to 10000 characters, not blank, but was 10001"
                + " characters");
    assertThatThrownBy(
            () ->
                Decision.requestChanges("many", Collections.nCopies(201, Comment.general("again"))))
        .hasMessage(
            "a change request carries at most 200 comments but had 201; group findings or put"
                + " the rest in the reason");
    assertThatThrownBy(() -> new Comment(Anchor.whole(), " "))
        .hasMessage("a comment's text must be 1 to 10000 characters, not blank, but was blank");
  }

  @Test
  void refusalCodesAreStableAndParseBack() {
    assertThat(Reason.STALE_HASH.code()).isEqualTo("stale-hash");
    for (Reason r : Reason.values()) {
      assertThat(Reason.fromCode(r.code())).isEqualTo(r);
    }
    assertThatThrownBy(() -> Reason.fromCode("stale"))
        .hasMessageStartingWith("unknown refusal code 'stale'; expected one of [unauthenticated,");
  }
}
