package dev.agentmesh.examples.springboot;

import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.PendingReview;
import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewQuery;
import dev.agentmesh.review.ReviewRefusedException;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.review.SurfaceFormat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The review actions over HTTP, for a reviewer who presents a bearer token: list the reviews they
 * may decide, read one as its verification surface, decide it. Review ids are {@code <session
 * id>/<local id>}, so they take two path segments.
 *
 * <pre>
 * GET  /reviews                          Authorization: Bearer ...   the caller's queue
 * GET  /reviews/{session}/{local}        the artifact and its surface (?format=text|markdown|html)
 * POST /reviews/{session}/{local}/decision  {"hash":"...","decision":"approve"}
 * </pre>
 *
 * <p>A refused decision answers with the refusal's code: 401 for an unknown token, 403 when the
 * caller may not decide it, 404 for an unknown review, 409 for a stale hash or a review already
 * decided, 422 for an invalid decision.
 */
@RestController
public class ReviewController {

  private final Reviews reviews;
  private final Authenticator authenticator;

  /**
   * The runtime it serves.
   *
   * @param reviews the review runtime
   * @param authenticator who a token proves, for the queue
   */
  public ReviewController(Reviews reviews, Authenticator authenticator) {
    this.reviews = reviews;
    this.authenticator = authenticator;
  }

  /**
   * A review as the queue lists it.
   *
   * @param id the review's id
   * @param session its session
   * @param agent the producing agent
   * @param type the artifact type
   * @param hash the content hash a decision must name
   * @param risk the risk tier
   * @param title one line
   * @param proposedAt when it was proposed
   */
  public record Item(
      String id,
      String session,
      String agent,
      String type,
      String hash,
      String risk,
      String title,
      Instant proposedAt) {}

  /**
   * A decision as posted.
   *
   * @param hash the content hash the reviewer saw
   * @param decision {@code approve}, {@code reject} or {@code request-changes}
   * @param reason why (required for a rejection or a change request)
   */
  public record DecisionRequest(String hash, String decision, @Nullable String reason) {}

  /**
   * The caller's queue: the pending reviews they, or their groups, may decide.
   *
   * @param authorization {@code Bearer <token>}
   * @param limit at most this many
   * @return the reviews, riskiest then oldest first
   */
  @GetMapping("/reviews")
  public List<Item> pending(
      @RequestHeader(name = "Authorization", defaultValue = "") String authorization,
      @RequestParam(defaultValue = "50") int limit) {
    Reviewer reviewer = authenticator.authenticate(token(authorization));
    return reviews
        .pending(ReviewQuery.builder().reviewer(reviewer).limit(limit).build())
        .reviews()
        .stream()
        .map(ReviewController::item)
        .toList();
  }

  /**
   * One review with its verification surface.
   *
   * @param session the session part of the id
   * @param local the local part of the id
   * @param format {@code text}, {@code markdown} or {@code html}
   * @return the review's state and its rendered surface
   */
  @GetMapping("/reviews/{session}/{local}")
  public Map<String, Object> review(
      @PathVariable String session,
      @PathVariable String local,
      @RequestParam(defaultValue = "text") String format) {
    ReviewState state = reviews.review(session + "/" + local);
    SurfaceFormat surface = SurfaceFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    return Map.of(
        "id", state.id(),
        "status", state.status().name(),
        "hash", state.hash().toString(),
        "title", state.title(),
        "effect", state.effect().name(),
        "surface", ArtifactTypes.standard().render(state.artifact(), surface));
  }

  /**
   * Decides a review as the caller.
   *
   * @param session the session part of the id
   * @param local the local part of the id
   * @param authorization {@code Bearer <token>}
   * @param request the hash seen and the decision
   * @return what the decision did, and after an approval what became of the effect
   */
  @PostMapping("/reviews/{session}/{local}/decision")
  public ReviewOutcome decide(
      @PathVariable String session,
      @PathVariable String local,
      @RequestHeader(name = "Authorization", defaultValue = "") String authorization,
      @RequestBody DecisionRequest request) {
    return reviews.decide(
        session + "/" + local,
        ContentHash.parse(request.hash()),
        token(authorization),
        decision(request));
  }

  private static Decision decision(DecisionRequest request) {
    String reason = request.reason() == null ? "" : request.reason();
    return switch (request.decision()) {
      case "approve" -> Decision.approve();
      case "reject" -> Decision.reject(reason);
      case "request-changes" -> Decision.requestChanges(reason, List.of());
      default ->
          throw new IllegalArgumentException(
              "decision must be approve, reject or request-changes but was '"
                  + request.decision()
                  + "'");
    };
  }

  private static String token(String authorization) {
    return authorization.startsWith("Bearer ") ? authorization.substring(7).strip() : "";
  }

  private static Item item(PendingReview p) {
    return new Item(
        p.reviewId(),
        p.sessionId(),
        p.agent(),
        p.artifactType(),
        p.contentHash().toString(),
        p.risk().name(),
        p.title(),
        p.proposedAt());
  }

  /**
   * A refusal as JSON, with the status its reason calls for.
   *
   * @param e the refusal
   * @return {@code {"error": code, "message": ...}}
   */
  @ExceptionHandler(ReviewRefusedException.class)
  public ResponseEntity<Map<String, String>> refused(ReviewRefusedException e) {
    HttpStatus status =
        switch (e.reason()) {
          case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
          case AUTHENTICATOR_FAILED -> HttpStatus.SERVICE_UNAVAILABLE;
          case UNKNOWN_REVIEW -> HttpStatus.NOT_FOUND;
          case STALE_HASH, ALREADY_DECIDED, SUPERSEDED, EXPIRED, ALREADY_APPROVED ->
              HttpStatus.CONFLICT;
          case INVALID_EDIT, INVALID_ANCHOR -> HttpStatus.valueOf(422);
          default -> HttpStatus.FORBIDDEN;
        };
    return ResponseEntity.status(status)
        .body(Map.of("error", e.reason().code(), "message", e.getMessage()));
  }

  /**
   * A malformed request (an unknown decision, a hash that does not parse, an unknown format).
   *
   * @param e what was wrong
   * @return 400 with the message
   */
  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
    return ResponseEntity.badRequest()
        .body(Map.of("error", "invalid_request", "message", String.valueOf(e.getMessage())));
  }
}
