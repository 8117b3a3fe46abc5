package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.sessions.spi.Row;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The review queue's row layout in namespace {@value #NAMESPACE} (see {@link ReviewIndex}). Every
 * row of one review carries the same value, the whole {@link PendingReview}, so a page is read
 * without a second lookup. Keys:
 *
 * <ul>
 *   <li>{@code r/<reviewId>}: the review by id;
 *   <li>{@code p/<principal>/<rank>/<proposedAt>/<reviewId>}: one per principal that may decide
 *       ({@code u:<reviewer>}, {@code g:<group>}) and one under {@code *} (every review);
 *   <li>{@code t/<agent>/<type>/<rank>/<proposedAt>/<reviewId>}: by producing agent and type.
 * </ul>
 *
 * <p>The part after a list's prefix, {@code <rank>/<proposedAt>/<reviewId>}, is the review's
 * <em>position</em>: the same in every list, so positions compare across lists and serve as the
 * cursor. Rank 0 is the highest risk; {@code proposedAt} is fixed-width UTC with microseconds, so
 * key order is risk (highest first), then age (oldest first), then id. Names are escaped ({@code %}
 * and {@code /} as {@code %25}, {@code %2F}) so a prefix never matches another name; a name longer
 * than {@value #MAX_PART} characters once escaped is replaced by {@code %%} and its SHA-256.
 */
final class QueueRows {

  /** The namespace of every queue row. */
  static final String NAMESPACE = "review.queue";

  /** The principal under which every review is listed. */
  static final String EVERYONE = "*";

  private static final int MAX_PART = 120;
  private static final DateTimeFormatter AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern POSITION =
      Pattern.compile("[0-9]/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z/[^/]+");
  private static final ReviewPolicy.Risk[] RISKS = ReviewPolicy.Risk.values();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private QueueRows() {}

  static String byId(String reviewId) {
    return "r/" + part(reviewId);
  }

  static String reviewerList(String reviewer) {
    return principalList("u:" + part(reviewer));
  }

  static String groupList(String group) {
    return principalList("g:" + part(group));
  }

  static String everyoneList() {
    return principalList(EVERYONE);
  }

  static String agentTypeList(String agent, String artifactType) {
    return "t/" + part(agent) + "/" + part(artifactType) + "/";
  }

  private static String principalList(String principal) {
    return "p/" + principal + "/";
  }

  /** The lists {@code review} is in, as key prefixes; the by-id row aside. */
  static Set<String> lists(PendingReview review) {
    Set<String> lists = new LinkedHashSet<>();
    lists.add(everyoneList());
    review.reviewers().forEach(r -> lists.add(reviewerList(r)));
    review.groups().forEach(g -> lists.add(groupList(g)));
    lists.add(agentTypeList(review.agent(), review.artifactType()));
    return lists;
  }

  /** Every row of {@code review}: by id first, then one per list. */
  static List<Row> rows(PendingReview review) {
    JsonNode value = value(review);
    String position = position(review);
    List<Row> rows = new ArrayList<>();
    rows.add(Row.of(NAMESPACE, byId(review.reviewId()), review.sessionId(), value));
    for (String list : lists(review)) {
      rows.add(Row.of(NAMESPACE, list + position, review.sessionId(), value));
    }
    return rows;
  }

  /** {@code <rank>/<proposedAt>/<reviewId>}: where the review sorts in every list. */
  static String position(PendingReview review) {
    return rank(review.risk())
        + "/"
        + AT.format(review.proposedAt())
        + "/"
        + part(review.reviewId());
  }

  /** 0 for the highest risk tier. */
  static int rank(ReviewPolicy.Risk risk) {
    return RISKS.length - 1 - risk.ordinal();
  }

  /** A rank's digit from a position. */
  static int rankOf(String position) {
    return position.charAt(0) - '0';
  }

  /** The fixed-width {@code proposedAt} text of a position. */
  static String proposedAtOf(String position) {
    return position.substring(2, 2 + 27);
  }

  static String format(Instant at) {
    return AT.format(at);
  }

  /** Whether {@code text} is a position this layout writes (a cursor's content). */
  static boolean isPosition(String text) {
    return POSITION.matcher(text).matches();
  }

  /** A list key that sorts after every position of {@code rank} in {@code list}. */
  static String afterRank(String list, int rank) {
    return list + rank + "/~";
  }

  static String part(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      switch (c) {
        case '%' -> out.append("%25");
        case '/' -> out.append("%2F");
        default -> out.append(c);
      }
    }
    return out.length() <= MAX_PART ? out.toString() : "%%" + sha256(name);
  }

  private static String sha256(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(text));
  }

  // ---- the value: the whole pending review ---------------------------------------------------

  static JsonNode value(PendingReview review) {
    ObjectNode v = JSON.createObjectNode();
    v.put("v", 1);
    v.put("reviewId", review.reviewId());
    v.put("sessionId", review.sessionId());
    v.put("agent", review.agent());
    v.put("artifactType", review.artifactType());
    v.put("contentHash", review.contentHash().toString());
    v.put("risk", review.risk().name());
    v.put("proposedAt", review.proposedAt().toString());
    Instant expiresAt = review.expiresAt();
    if (expiresAt != null) {
      v.put("expiresAt", expiresAt.toString());
    }
    ArrayNode reviewers = v.putArray("reviewers");
    review.reviewers().forEach(reviewers::add);
    ArrayNode groups = v.putArray("groups");
    review.groups().forEach(groups::add);
    v.put("title", review.title());
    return v;
  }

  /** The pending review a queue row holds. */
  static PendingReview read(Row row) {
    try {
      JsonNode v = row.value();
      return new PendingReview(
          text(v, "reviewId"),
          text(v, "sessionId"),
          text(v, "agent"),
          text(v, "artifactType"),
          ContentHash.parse(text(v, "contentHash")),
          ReviewPolicy.Risk.valueOf(text(v, "risk")),
          Instant.parse(text(v, "proposedAt")),
          v.hasNonNull("expiresAt") ? Instant.parse(text(v, "expiresAt")) : null,
          strings(v, "reviewers"),
          strings(v, "groups"),
          text(v, "title"));
    } catch (RuntimeException e) {
      throw new ReviewException(
          "Queue row '"
              + Texts.truncate(row.key(), 120)
              + "' in namespace "
              + NAMESPACE
              + " is not a pending review this release reads ("
              + e.getMessage()
              + "); delete the row, the review's session log is unaffected",
          e);
    }
  }

  private static String text(JsonNode v, String field) {
    JsonNode node = v.get(field);
    if (node == null || !node.isString()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not text");
    }
    return node.asString();
  }

  private static Set<String> strings(JsonNode v, String field) {
    JsonNode node = v.get(field);
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not an array");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode item : node) {
      out.add(item.asString());
    }
    return out;
  }
}
