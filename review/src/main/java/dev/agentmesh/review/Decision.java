package dev.agentmesh.review;

import java.util.List;
import java.util.Objects;

/**
 * What a reviewer decides about an artifact: approve it, approve an edited version, reject it with
 * a reason, or request changes with a reason and anchored comments (the producing agent then runs
 * again with them). A decision binds to the content hash under review; the review runtime checks it
 * against the review policy before recording it.
 *
 * <pre>{@code
 * Decision ok = Decision.approve();
 * Decision fixed = Decision.edit(new Document("Notes", Document.Format.MARKDOWN, before, corrected));
 * Decision no = Decision.reject("quotes the customer's card number");
 * Decision again = Decision.requestChanges("tone is too formal",
 *     List.of(new Comment(Anchor.line(3), "say 'Hi', not 'Dear Sir'")));
 * }</pre>
 */
public sealed interface Decision
    permits Decision.Approve, Decision.Edit, Decision.Reject, Decision.RequestChanges {

  /** The most characters a reason may have. */
  int MAX_REASON_LENGTH = 10_000;

  /** The most comments a change request may carry. */
  int MAX_COMMENTS = 200;

  /** {@return approve the artifact as proposed} */
  static Approve approve() {
    return new Approve();
  }

  /**
   * Approve an edited version: it must be of the same type, valid for it, and it gets its own hash.
   *
   * @param edited the artifact as the reviewer corrected it
   * @return the decision
   */
  static Edit edit(ReviewArtifact edited) {
    return new Edit(edited);
  }

  /**
   * Reject with a reason; the reason is stored as a correction for the producing agent.
   *
   * @param reason why, for the agent's author and the agent's later runs
   * @return the decision
   */
  static Reject reject(String reason) {
    return new Reject(reason);
  }

  /**
   * Request changes: the producing agent runs again with the reason and the comments.
   *
   * @param reason what to change
   * @param comments findings anchored to a line, range, cell, field or region (may be empty)
   * @return the decision
   */
  static RequestChanges requestChanges(String reason, List<Comment> comments) {
    return new RequestChanges(reason, comments);
  }

  /** {@return the stable name of the decision's kind: approve, edit, reject, request-changes} */
  String kind();

  /** {@return whether the decision approves content (approve or edit)} */
  default boolean approves() {
    return this instanceof Approve || this instanceof Edit;
  }

  /** Approve the artifact as proposed. */
  record Approve() implements Decision {
    @Override
    public String kind() {
      return "approve";
    }
  }

  /**
   * Approve an edited version of the artifact.
   *
   * @param edited the corrected artifact
   */
  record Edit(ReviewArtifact edited) implements Decision {
    /**
     * Checks the edited artifact is there.
     *
     * @param edited the corrected artifact
     */
    public Edit {
      Objects.requireNonNull(edited, "edited");
    }

    @Override
    public String kind() {
      return "edit";
    }
  }

  /**
   * Reject the artifact.
   *
   * @param reason why, at most {@value Decision#MAX_REASON_LENGTH} characters
   */
  record Reject(String reason) implements Decision {
    /**
     * Checks the reason.
     *
     * @param reason why, at most {@value Decision#MAX_REASON_LENGTH} characters
     */
    public Reject {
      Comment.checkText("a rejection's reason", reason, MAX_REASON_LENGTH);
    }

    @Override
    public String kind() {
      return "reject";
    }
  }

  /**
   * Ask the producing agent for a new version.
   *
   * @param reason what to change, at most {@value Decision#MAX_REASON_LENGTH} characters
   * @param comments anchored findings, at most {@value Decision#MAX_COMMENTS}
   */
  record RequestChanges(String reason, List<Comment> comments) implements Decision {
    /**
     * Checks the reason and copies the comments.
     *
     * @param reason what to change, at most {@value Decision#MAX_REASON_LENGTH} characters
     * @param comments anchored findings, at most {@value Decision#MAX_COMMENTS}
     */
    public RequestChanges {
      Comment.checkText("a change request's reason", reason, MAX_REASON_LENGTH);
      comments = List.copyOf(comments);
      if (comments.size() > MAX_COMMENTS) {
        throw new IllegalArgumentException(
            "a change request carries at most "
                + MAX_COMMENTS
                + " comments but had "
                + comments.size()
                + "; group findings or put the rest in the reason");
      }
    }

    @Override
    public String kind() {
      return "request-changes";
    }
  }
}
