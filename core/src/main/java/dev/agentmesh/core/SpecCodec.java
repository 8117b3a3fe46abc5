package dev.agentmesh.core;

import dev.agentmesh.core.internal.spec.SpecTree.Node;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads an {@link AgentSpec} from a {@code SpecTree}, and writes one back in canonical form. */
final class SpecCodec {

  static final List<String> FIELDS =
      List.of(
          "name",
          "version",
          "description",
          "instructions",
          "model",
          "function",
          "reasoning",
          "temperature",
          "maxOutputTokens",
          "tools",
          "agents",
          "input",
          "output",
          "guardrails",
          "limits",
          "sandbox",
          "review",
          "labels");
  static final List<String> LIMIT_FIELDS =
      List.of("maxTurns", "maxToolCalls", "timeout", "maxCost");
  static final List<String> SANDBOX_FIELDS = List.of("tools", "hosts");
  static final List<String> REVIEW_FIELDS =
      List.of(
          "required",
          "reviewers",
          "groups",
          "approvals",
          "fourEyes",
          "expiry",
          "onExpiry",
          "escalateTo",
          "risk",
          "riskByType",
          "autoApproveBelow",
          "fieldRisk",
          "artifact",
          "tools");

  private static final JsonMapper CANONICAL = JsonMapper.builder().build();

  private SpecCodec() {}

  // ---- reading -------------------------------------------------------------------------------

  /**
   * What could be read of a spec with problems of its own, for the checks between specs: the fields
   * that read well, and {@code broken}, the top-level fields that did not. A broken {@code input}
   * is kept as written, for the placeholder check.
   */
  record Partial(AgentSpec spec, Set<String> broken) {}

  /**
   * Binds a parsed document; adds problems and returns {@code null} when it is not a valid spec.
   */
  static @Nullable AgentSpec read(
      Node root, String source, String document, List<SpecProblem> problems) {
    return read(root, source, document, problems, partial -> {});
  }

  /**
   * As {@link #read(Node, String, String, List)}; a spec with problems but a valid name goes to
   * {@code partial}.
   */
  static @Nullable AgentSpec read(
      Node root,
      String source,
      String document,
      List<SpecProblem> problems,
      java.util.function.Consumer<Partial> partial) {
    Reader r = new Reader(source, problems, root);
    if (!root.isObject()) {
      r.problem(
          root,
          "expected an agent spec (a mapping with 'name' and 'instructions') but found "
              + root.describe());
      return null;
    }
    int before = problems.size();
    r.unknownFields(root, FIELDS, "");
    String name = r.string(root, "name", null, true);
    AgentSpec.Builder b;
    boolean named = name != null;
    try {
      b = AgentSpec.builder(name == null ? "placeholder" : name);
    } catch (IllegalArgumentException e) {
      r.problem(root.fields.get("name"), Text.message(e));
      b = AgentSpec.builder("placeholder");
      named = false;
    }
    AgentSpec.Builder spec = b.source(source);
    r.apply(root, "version", n -> spec.version(r.text(n, "version")));
    r.apply(root, "description", n -> spec.description(r.text(n, "description")));
    // A deterministic agent (one naming a function) has no instructions and none of the fields
    // of a model call: each one written is a problem at its place, and is not read.
    Node functionNode = root.fields.get("function");
    boolean deterministic = functionNode != null && !functionNode.isNull();
    r.apply(root, "function", n -> spec.function(r.text(n, "function")));
    if (functionNode != null && deterministic) {
      String function = functionNode.isString() ? functionNode.text() : "?";
      for (String field : AgentSpec.MODEL_ONLY_FIELDS) {
        Node n = root.fields.get(field);
        if (n != null && !n.isNull()) {
          r.problem(
              n,
              AgentSpec.functionConflict(
                  named && name != null ? name : "?", function, List.of(field)));
          r.broken.add(field);
        }
      }
    } else {
      if (r.string(root, "instructions", null, true) != null) {
        r.apply(root, "instructions", n -> spec.instructions(r.instructions(n, document)));
      }
      r.apply(root, "model", n -> spec.model(r.text(n, "model")));
      r.apply(root, "reasoning", n -> spec.reasoning(r.reasoning(n)));
      r.apply(
          root, "temperature", n -> spec.temperature(r.decimal(n, "temperature").doubleValue()));
      r.apply(root, "maxOutputTokens", n -> spec.maxOutputTokens(r.integer(n, "maxOutputTokens")));
      r.apply(root, "tools", n -> spec.tools(r.strings(n, "tools")));
      r.apply(root, "agents", n -> spec.agents(r.strings(n, "agents")));
    }
    r.apply(root, "input", n -> spec.inputSchema(r.schema(n, "input")));
    r.apply(root, "output", n -> spec.outputSchema(r.schema(n, "output")));
    r.apply(root, "guardrails", n -> spec.guardrails(r.strings(n, "guardrails")));
    r.apply(root, "limits", n -> spec.limits(r.limits(n)));
    if (!deterministic) r.apply(root, "sandbox", n -> spec.sandbox(r.sandbox(n)));
    r.apply(root, "review", n -> spec.review(r.review(n)));
    r.apply(root, "labels", n -> spec.labels(r.labels(n)));
    if (problems.size() == before && name != null)
      return spec.places(SpecPlaces.of(source, root, document)).build();
    if (named) {
      Node input = root.fields.get("input");
      if (r.broken.contains("input") && input != null && input.isObject()) {
        try {
          spec.inputSchema(input.toJson());
        } catch (RuntimeException e) {
          // not even a mapping of JSON values: the placeholders are not checked
        }
      }
      partial.accept(
          new Partial(
              spec.places(SpecPlaces.of(source, root, document)).build(), Set.copyOf(r.broken)));
    }
    return null;
  }

  /** Reads fields, turning every mistake into a located problem instead of an exception. */
  private static final class Reader {
    private final String source;
    private final List<SpecProblem> problems;
    private final Node root;

    /** The top-level fields that had a problem. */
    final Set<String> broken = new java.util.HashSet<>();

    Reader(String source, List<SpecProblem> problems, Node root) {
      this.root = root;
      this.source = source;
      this.problems = problems;
    }

    void problem(@Nullable Node at, String message) {
      problems.add(
          new SpecProblem(source, at == null ? 0 : at.line, at == null ? 0 : at.column, message));
    }

    /**
     * Runs {@code setter} on the field if present and not null; a rejected value becomes a problem.
     */
    void apply(Node object, String field, java.util.function.Consumer<Node> setter) {
      Node n = object.fields.get(field);
      if (n == null || n.isNull()) return;
      int before = problems.size();
      try {
        setter.accept(n);
      } catch (Invalid e) {
        // already reported
      } catch (IllegalArgumentException e) {
        problem(n, Text.message(e));
      }
      if (object == root && problems.size() > before) broken.add(field);
    }

    void unknownFields(Node object, List<String> known, String prefix) {
      object.keyPlaces.forEach(
          (key, place) -> {
            if (!known.contains(key)) {
              problems.add(
                  new SpecProblem(
                      source,
                      place[0],
                      place[1],
                      "unknown field '"
                          + prefix
                          + key
                          + "'"
                          + Text.didYouMean(key, known)
                          + "; expected one of "
                          + known));
            }
          });
    }

    @Nullable String string(
        Node object, String field, @Nullable String fallback, boolean required) {
      Node n = object.fields.get(field);
      if (n == null || n.isNull()) {
        if (required) {
          problem(object, "missing required field '" + field + "'");
        }
        return fallback;
      }
      try {
        return text(n, field);
      } catch (Invalid e) {
        return null;
      }
    }

    String text(Node n, String field) {
      if (n.isString()) return n.text();
      if (n.token.isNumeric() && (field.equals("version") || field.equals("label value"))) {
        return n.value().toString();
      }
      throw invalid(n, "field '" + field + "' expected a string but found " + n.describe());
    }

    int integer(Node n, String field) {
      if (n.token != JsonToken.VALUE_NUMBER_INT) {
        throw invalid(n, "field '" + field + "' expected an integer but found " + n.describe());
      }
      java.math.BigInteger v = (java.math.BigInteger) n.value();
      if (v.bitLength() > 31) throw invalid(n, "field '" + field + "' is out of range: " + v);
      return v.intValue();
    }

    BigDecimal decimal(Node n, String field) {
      if (!n.token.isNumeric()) {
        throw invalid(n, "field '" + field + "' expected a number but found " + n.describe());
      }
      return n.scalar instanceof BigDecimal
          ? (BigDecimal) n.scalar
          : new BigDecimal((java.math.BigInteger) n.scalar);
    }

    boolean bool(Node n, String field) {
      if (n.token != JsonToken.VALUE_TRUE && n.token != JsonToken.VALUE_FALSE) {
        throw invalid(n, "field '" + field + "' expected true or false but found " + n.describe());
      }
      return (Boolean) n.value();
    }

    Duration duration(Node n, String field) {
      try {
        return Durations.parse(text(n, field));
      } catch (IllegalArgumentException e) {
        throw invalid(n, "field '" + field + "' " + e.getMessage());
      }
    }

    List<String> strings(Node n, String field) {
      if (!n.isArray()) {
        throw invalid(
            n, "field '" + field + "' expected a list of names but found " + n.describe());
      }
      Set<String> out = new LinkedHashSet<>();
      boolean ok = true;
      for (Node item : n.items) {
        if (!item.isString() || item.text().isBlank()) {
          problem(item, "field '" + field + "' expected a name but found " + item.describe());
          ok = false;
        } else if (!out.add((String) item.scalar)) {
          problem(item, "field '" + field + "' lists '" + item.scalar + "' twice; keep one");
          ok = false;
        }
      }
      if (!ok) throw new Invalid();
      return new ArrayList<>(out);
    }

    /** The instructions, every malformed placeholder reported at its own line and column. */
    String instructions(Node n, String document) {
      String text = text(n, "instructions");
      List<Integer> lines = null;
      for (Template.Placeholder p : Template.scan(text)) {
        if (p.problem() == null) continue;
        if (lines == null) lines = SpecPlaces.lineStarts(document);
        int[] at = SpecPlaces.inside(document, lines, n, p.start());
        problems.add(new SpecProblem(source, at[0], at[1], p.problem()));
      }
      return text;
    }

    ReasoningLevel reasoning(Node n) {
      String v = text(n, "reasoning");
      for (ReasoningLevel level : ReasoningLevel.values()) {
        if (level.id().equals(v)) return level;
      }
      List<String> ids = List.of("none", "low", "medium", "high");
      throw invalid(
          n,
          "field 'reasoning' expected one of "
              + ids
              + " but found '"
              + Text.clip(v, 40)
              + "'"
              + Text.didYouMean(v, ids));
    }

    Map<String, String> labels(Node n) {
      Node obj = object(n, "labels");
      Map<String, String> out = new LinkedHashMap<>();
      obj.fields.forEach((k, v) -> out.put(k, text(v, "label value")));
      return out;
    }

    Node object(Node n, String field) {
      if (!n.isObject())
        throw invalid(n, "field '" + field + "' expected a mapping but found " + n.describe());
      return n;
    }

    Limits limits(Node n) {
      Node obj = object(n, "limits");
      unknownFields(obj, LIMIT_FIELDS, "limits.");
      Limits.Builder b = Limits.builder();
      apply(obj, "maxTurns", v -> b.maxTurns(integer(v, "limits.maxTurns")));
      apply(obj, "maxToolCalls", v -> b.maxToolCalls(integer(v, "limits.maxToolCalls")));
      apply(obj, "timeout", v -> b.timeout(duration(v, "limits.timeout")));
      apply(obj, "maxCost", v -> b.maxCost(decimal(v, "limits.maxCost")));
      return b.build();
    }

    SandboxPolicy sandbox(Node n) {
      Node obj = object(n, "sandbox");
      unknownFields(obj, SANDBOX_FIELDS, "sandbox.");
      Set<String>[] parts = new Set[2];
      apply(obj, "tools", v -> parts[0] = new LinkedHashSet<>(strings(v, "sandbox.tools")));
      apply(obj, "hosts", v -> parts[1] = new LinkedHashSet<>(strings(v, "sandbox.hosts")));
      return SandboxPolicy.of(parts[0], parts[1]);
    }

    ReviewPolicy review(Node n) {
      Node obj = object(n, "review");
      unknownFields(obj, REVIEW_FIELDS, "review.");
      ReviewPolicy.Builder b = ReviewPolicy.builder();
      int before = problems.size();
      apply(obj, "required", x -> b.required(bool(x, "review.required")));
      apply(obj, "reviewers", x -> b.reviewers(strings(x, "review.reviewers")));
      apply(obj, "groups", x -> b.groups(strings(x, "review.groups")));
      apply(obj, "approvals", x -> b.approvals(integer(x, "review.approvals")));
      apply(obj, "fourEyes", x -> b.fourEyes(bool(x, "review.fourEyes")));
      apply(obj, "expiry", x -> b.expiry(duration(x, "review.expiry")));
      apply(
          obj,
          "onExpiry",
          x -> b.onExpiry(choice(x, "review.onExpiry", ReviewPolicy.OnExpiry.class)));
      apply(obj, "escalateTo", x -> b.escalateTo(text(x, "review.escalateTo")));
      apply(obj, "risk", x -> b.risk(risk(x, "review.risk")));
      apply(obj, "riskByType", x -> b.riskByType(risks(x, "review.riskByType")));
      apply(obj, "autoApproveBelow", x -> b.autoApproveBelow(risk(x, "review.autoApproveBelow")));
      apply(obj, "fieldRisk", x -> b.fieldRisk(risks(x, "review.fieldRisk")));
      apply(obj, "artifact", x -> b.artifact(text(x, "review.artifact")));
      apply(obj, "tools", x -> b.tools(strings(x, "review.tools")));
      if (problems.size() > before) throw new Invalid();
      try {
        return b.build();
      } catch (IllegalArgumentException e) {
        // Cross-field rules: the message starts with the field it is about.
        String field = Text.message(e).split(" ", 2)[0];
        throw invalid(obj.fields.getOrDefault(field, obj), Text.message(e));
      }
    }

    ReviewPolicy.Risk risk(Node n, String field) {
      return choice(n, field, ReviewPolicy.Risk.class);
    }

    /** One of an enum's constants, written in lower case in the spec. */
    <E extends Enum<E>> E choice(Node n, String field, Class<E> type) {
      String v = text(n, field);
      List<String> ids = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        String id = e.name().toLowerCase(java.util.Locale.ROOT);
        if (id.equals(v)) return e;
        ids.add(id);
      }
      throw invalid(
          n,
          "field '"
              + field
              + "' expected one of "
              + ids
              + " but found '"
              + Text.clip(v, 40)
              + "'"
              + Text.didYouMean(v, ids));
    }

    /** A mapping of names to risk tiers, each problem at its own key or value. */
    Map<String, ReviewPolicy.Risk> risks(Node n, String field) {
      Node obj = object(n, field);
      Map<String, ReviewPolicy.Risk> out = new LinkedHashMap<>();
      int before = problems.size();
      obj.fields.forEach(
          (key, value) -> {
            try {
              out.put(key, risk(value, field + "." + key));
            } catch (Invalid e) {
              // reported
            }
          });
      if (problems.size() > before) throw new Invalid();
      return out;
    }

    JsonNode schema(Node n, String field) {
      Node obj = object(n, field);
      int before = problems.size();
      SchemaCheck.check(obj, field, source, problems);
      if (problems.size() > before) throw new Invalid();
      JsonNode json = obj.toJson();
      try {
        Schemas.validator(json);
      } catch (IllegalArgumentException e) {
        throw invalid(
            n,
            "field '" + field + "' is not a valid JSON Schema: " + Text.clip(Text.message(e), 200));
      }
      return json;
    }

    Invalid invalid(Node at, String message) {
      problem(at, message);
      return new Invalid();
    }
  }

  /** Marks a value already reported as a problem. */
  private static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid() {
      super(null, null, false, false);
    }
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * The spec as a tree in field order, defaults left out, that {@link #read} turns back into an
   * equal spec.
   */
  static ObjectNode write(AgentSpec s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", s.name());
    o.put("version", s.version());
    if (!s.description().isEmpty()) o.put("description", s.description());
    if (s.function() != null) {
      o.put("function", s.function());
    } else {
      o.put("instructions", s.instructions());
      o.put("model", s.model());
    }
    if (s.reasoning() != ReasoningLevel.NONE) o.put("reasoning", s.reasoning().id());
    if (s.temperature() != null) o.put("temperature", s.temperature());
    if (s.maxOutputTokens() != null) o.put("maxOutputTokens", s.maxOutputTokens());
    list(o, "tools", s.tools());
    list(o, "agents", s.agents());
    if (s.inputSchemaNode() != null) o.set("input", s.inputSchemaNode().deepCopy());
    if (s.outputSchemaNode() != null) o.set("output", s.outputSchemaNode().deepCopy());
    list(o, "guardrails", s.guardrails());
    if (!s.limits().equals(Limits.DEFAULTS)) o.set("limits", limits(s.limits()));
    if (!s.sandbox().equals(SandboxPolicy.UNRESTRICTED)) o.set("sandbox", sandbox(s.sandbox()));
    if (!s.review().equals(ReviewPolicy.NONE)) o.set("review", review(s.review()));
    if (!s.labels().isEmpty()) {
      ObjectNode labels = o.putObject("labels");
      s.labels().forEach(labels::put);
    }
    return o;
  }

  private static ObjectNode limits(Limits l) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("maxTurns", l.maxTurns());
    o.put("maxToolCalls", l.maxToolCalls());
    o.put("timeout", Durations.format(l.timeout()));
    if (l.maxCost() != null) o.put("maxCost", l.maxCost());
    return o;
  }

  private static ObjectNode sandbox(SandboxPolicy p) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (p.tools() != null) list(o, "tools", new java.util.TreeSet<>(p.tools()), true);
    if (p.hosts() != null) list(o, "hosts", new java.util.TreeSet<>(p.hosts()), true);
    return o;
  }

  /** The review section; fields at their defaults left out, except the original four. */
  private static ObjectNode review(ReviewPolicy r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("required", r.required());
    list(o, "reviewers", r.reviewers());
    list(o, "groups", r.groups());
    o.put("approvals", r.approvals());
    if (r.fourEyes()) o.put("fourEyes", true);
    if (r.expiry() != null) o.put("expiry", Durations.format(r.expiry()));
    if (r.onExpiry() != ReviewPolicy.OnExpiry.KEEP) o.put("onExpiry", r.onExpiry().id());
    if (r.escalateTo() != null) o.put("escalateTo", r.escalateTo());
    if (r.risk() != ReviewPolicy.Risk.LOW) o.put("risk", r.risk().id());
    risks(o, "riskByType", r.riskByType());
    if (r.autoApproveBelow() != null) o.put("autoApproveBelow", r.autoApproveBelow().id());
    risks(o, "fieldRisk", r.fieldRisk());
    if (r.artifact() != null) o.put("artifact", r.artifact());
    list(o, "tools", r.tools());
    return o;
  }

  private static void risks(ObjectNode o, String field, Map<String, ReviewPolicy.Risk> risks) {
    if (risks.isEmpty()) return;
    ObjectNode m = o.putObject(field);
    risks.forEach((k, v) -> m.put(k, v.id()));
  }

  private static void list(ObjectNode o, String field, java.util.Collection<String> values) {
    list(o, field, values, false);
  }

  private static void list(
      ObjectNode o, String field, java.util.Collection<String> values, boolean evenIfEmpty) {
    if (values.isEmpty() && !evenIfEmpty) return;
    ArrayNode a = o.putArray(field);
    values.forEach(a::add);
  }

  /** {@code sha256:} and the first 16 hex digits of the hash of the canonical, key-sorted JSON. */
  static String fingerprint(AgentSpec spec) {
    byte[] canonical = CANONICAL.writeValueAsBytes(sorted(write(spec)));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
      return "sha256:" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> fields = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties())
        fields.put(e.getKey(), sorted(e.getValue()));
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      fields.forEach(o::set);
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> a.add(sorted(item)));
      return a;
    }
    return node;
  }
}
