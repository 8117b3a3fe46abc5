package dev.agentmesh.review;

import dev.agentmesh.review.ReviewEvents.CommentData;
import dev.agentmesh.review.ReviewState.Comment;
import dev.agentmesh.review.ReviewState.DecisionRecord;
import dev.agentmesh.review.ReviewState.Finding;
import dev.agentmesh.review.ReviewState.Kind;
import dev.agentmesh.review.ReviewState.RefusalRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Folds a session's {@code review.*} events into its reviews. Pure: the same events give equal
 * reviews on every node. Events of other types are ignored.
 */
final class ReviewFold {

  /**
   * One logged event as the fold reads it. It keeps what the fold decoded from it (the event's
   * record, a proposal's artifact), so folding a cached log again (every decision folds its
   * session's log as of its version, and a bulk decision does so several times per review) reads no
   * JSON twice. Decoding is pure, so a race between two folds decodes the same value twice and
   * keeps either; what it keeps is immutable.
   */
  static final class Entry {
    private final Instant at;
    private final String type;
    private final JsonNode data;
    private volatile @Nullable Object decoded;

    Entry(Instant at, String type, JsonNode data) {
      this.at = Objects.requireNonNull(at, "at");
      this.type = Objects.requireNonNull(type, "type");
      this.data = Objects.requireNonNull(data, "data");
    }

    Instant at() {
      return at;
    }

    String type() {
      return type;
    }

    JsonNode data() {
      return data;
    }

    /** What {@code decode} makes of this entry's data, decoded at most once per entry. */
    <T> T decoded(Class<T> kind, java.util.function.Function<JsonNode, T> decode) {
      Object d = decoded;
      if (kind.isInstance(d)) {
        return kind.cast(d);
      }
      T fresh = decode.apply(data);
      decoded = fresh;
      return fresh;
    }
  }

  /** A proposal as the fold reads it: its event, and its artifact and hash, decoded. */
  private record ProposedRead(
      ReviewEvents.Proposed proposed, ReviewArtifact artifact, ContentHash hash) {}

  private final String sessionId;
  private final ArtifactTypes types;
  private final Map<String, Open> reviews = new LinkedHashMap<>();

  private ReviewFold(String sessionId, ArtifactTypes types) {
    this.sessionId = sessionId;
    this.types = types;
  }

  /**
   * The reviews of one session, by local id, in proposal order.
   *
   * @param sessionId the session whose log this is (names the reviews)
   * @param entries its events, in log order
   * @param types decodes the artifacts
   */
  static Map<String, ReviewState> of(String sessionId, List<Entry> entries, ArtifactTypes types) {
    ReviewFold fold = new ReviewFold(sessionId, types);
    entries.forEach(fold::apply);
    Map<String, ReviewState> out = new LinkedHashMap<>();
    fold.reviews.forEach((local, open) -> out.put(local, open.snapshot()));
    return out;
  }

  /** The public id of a review: {@code <session>/<local>}. */
  static String publicId(String sessionId, String local) {
    return sessionId + "/" + local;
  }

  /** The local id of a public id ({@code r1} of {@code s-1/r1}), or null when it has none. */
  static @Nullable String localOf(String publicId) {
    int slash = publicId.lastIndexOf('/');
    if (slash <= 0 || slash == publicId.length() - 1) {
      return null;
    }
    String local = publicId.substring(slash + 1);
    return isLocal(local) ? local : null;
  }

  /** Whether {@code s} is {@code r[1-9][0-9]{0,8}}: a local id (checked often, so no regex). */
  private static boolean isLocal(String s) {
    int n = s.length();
    if (n < 2 || n > 10 || s.charAt(0) != 'r' || s.charAt(1) < '1' || s.charAt(1) > '9') {
      return false;
    }
    for (int i = 2; i < n; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The local id of a public id this runtime made (rows, events): it has one. */
  static String local(String publicId) {
    String local = localOf(publicId);
    if (local == null) {
      throw new IllegalArgumentException("'" + publicId + "' is not a review id (<session>/r<n>)");
    }
    return local;
  }

  /** The session id of a public id. */
  static String sessionOf(String publicId) {
    return publicId.substring(0, publicId.lastIndexOf('/'));
  }

  private void apply(Entry e) {
    if (!e.type().startsWith(ReviewEvents.PREFIX)) {
      return;
    }
    switch (e.type()) {
      case ReviewEvents.PROPOSED -> proposed(e.at(), e.decoded(ProposedRead.class, this::proposal));
      case ReviewEvents.COMMENTED -> {
        ReviewEvents.Commented c = read(e, ReviewEvents.Commented.class);
        open(c.review()).findings.add(new Finding(c.agent(), comments(c.comments()), e.at()));
      }
      case ReviewEvents.DECIDED -> decided(e.at(), read(e, ReviewEvents.Decided.class));
      case ReviewEvents.REFUSED -> {
        ReviewEvents.Refused r = read(e, ReviewEvents.Refused.class);
        open(r.review())
            .refusals
            .add(new RefusalRecord(r.reviewer(), r.code(), r.message(), e.at()));
      }
      case ReviewEvents.APPROVED -> {
        ReviewEvents.Approved a = read(e, ReviewEvents.Approved.class);
        Open o = open(a.review());
        o.status = ReviewStatus.APPROVED;
        o.effectKey = a.effectKey();
        o.effect = EffectStatus.DUE;
      }
      case ReviewEvents.SUPERSEDED -> {
        ReviewEvents.Superseded s = read(e, ReviewEvents.Superseded.class);
        Open o = open(s.review());
        o.status = ReviewStatus.SUPERSEDED;
        o.supersededBy = publicId(sessionId, s.by());
      }
      case ReviewEvents.EXPIRED -> {
        ReviewEvents.Expired x = read(e, ReviewEvents.Expired.class);
        if (x.action().equals("REJECT")) {
          open(x.review()).status = ReviewStatus.EXPIRED;
        }
      }
      case ReviewEvents.ESCALATED -> {
        ReviewEvents.Escalated x = read(e, ReviewEvents.Escalated.class);
        open(x.review()).escalatedTo = x.to();
      }
      case ReviewEvents.EFFECT_STARTED -> effect(e, EffectStatus.STARTED);
      case ReviewEvents.EFFECT_APPLIED -> effect(e, EffectStatus.APPLIED);
      case ReviewEvents.EFFECT_FAILED -> effect(e, EffectStatus.FAILED);
      case ReviewEvents.EFFECT_UNKNOWN -> effect(e, EffectStatus.UNKNOWN);
      default -> {
        // a review event of a later release: its state is unknown here, so it is left alone
      }
    }
  }

  private ProposedRead proposal(JsonNode data) {
    ReviewEvents.Proposed p = ReviewEvents.read(data, ReviewEvents.Proposed.class);
    return new ProposedRead(
        p, types.fromJson(p.artifact().toString()), ContentHash.parse(p.hash()));
  }

  private void proposed(Instant at, ProposedRead read) {
    ReviewEvents.Proposed p = read.proposed();
    Open o = new Open(p, read.artifact(), read.hash(), at);
    reviews.put(p.review(), o);
    if (p.supersedes() != null && reviews.containsKey(p.supersedes())) {
      reviews.get(p.supersedes()).supersededBy = publicId(sessionId, p.review());
    }
  }

  private void decided(Instant at, ReviewEvents.Decided d) {
    Open o = open(d.review());
    Kind kind = Kind.fromWire(d.kind());
    o.decisions.add(
        new DecisionRecord(
            d.decision(),
            d.reviewer(),
            Set.copyOf(d.groups()),
            kind,
            ContentHash.parse(d.hash()),
            d.newHash() == null ? null : ContentHash.parse(d.newHash()),
            d.diff(),
            d.reason(),
            comments(d.comments()),
            d.byPolicy(),
            at));
    switch (kind) {
      case EDIT -> {
        o.artifact = types.fromJson(Objects.requireNonNull(d.edited()).toString());
        o.hash = ContentHash.parse(Objects.requireNonNull(d.newHash()));
      }
      case REJECT -> o.status = ReviewStatus.REJECTED;
      case REQUEST_CHANGES -> o.status = ReviewStatus.CHANGES_REQUESTED;
      case APPROVE -> {
        // counted by approvers(); the quorum's approval is its own event
      }
    }
  }

  private void effect(Entry e, EffectStatus status) {
    ReviewEvents.Effect x = read(e, ReviewEvents.Effect.class);
    open(x.review()).effect = status;
  }

  private Open open(String local) {
    Open o = reviews.get(local);
    if (o == null) {
      throw new IllegalStateException(
          "A review event of session '"
              + sessionId
              + "' names review '"
              + local
              + "', which no review.proposed before it introduced");
    }
    return o;
  }

  private static <T> T read(Entry e, Class<T> type) {
    return e.decoded(type, data -> ReviewEvents.read(data, type));
  }

  private static List<Comment> comments(List<CommentData> data) {
    return data.stream().map(c -> new Comment(c.where(), c.text())).toList();
  }

  /** A review while folding. */
  private final class Open {
    final ReviewEvents.Proposed proposed;
    final ReviewArtifact proposedArtifact;
    final ContentHash proposedHash;
    final Instant at;
    ReviewStatus status = ReviewStatus.PENDING;
    ReviewArtifact artifact;
    ContentHash hash;
    @Nullable String supersededBy;
    @Nullable String escalatedTo;
    @Nullable String effectKey;
    EffectStatus effect = EffectStatus.NONE;
    final List<DecisionRecord> decisions = new ArrayList<>();
    final List<RefusalRecord> refusals = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();

    Open(ReviewEvents.Proposed p, ReviewArtifact artifact, ContentHash hash, Instant at) {
      this.proposed = p;
      this.proposedArtifact = artifact;
      this.proposedHash = hash;
      this.artifact = artifact;
      this.hash = hash;
      this.at = at;
    }

    /** Distinct people whose approval (or edit) is of the current hash. */
    List<String> approvers() {
      Set<String> out = new LinkedHashSet<>();
      for (DecisionRecord d : decisions) {
        boolean counts =
            !d.byPolicy()
                && ((d.kind() == Kind.APPROVE && d.hash().equals(hash))
                    || (d.kind() == Kind.EDIT && hash.equals(d.newHash())));
        if (counts) {
          out.add(d.reviewer());
        }
      }
      return List.copyOf(out);
    }

    ReviewState snapshot() {
      return new ReviewState(
          publicId(sessionId, proposed.review()),
          sessionId,
          proposed.key(),
          status,
          artifact,
          hash,
          proposedArtifact,
          proposedHash,
          proposed.title(),
          proposed.provenance(),
          proposed.callId(),
          proposed.supersedes() == null ? null : publicId(sessionId, proposed.supersedes()),
          supersededBy,
          proposed.risk(),
          at,
          proposed.expiresAt(),
          escalatedTo,
          approvers(),
          proposed.follows() == null ? null : publicId(sessionId, proposed.follows()),
          decisions,
          refusals,
          findings,
          effect,
          effectKey);
    }
  }
}
