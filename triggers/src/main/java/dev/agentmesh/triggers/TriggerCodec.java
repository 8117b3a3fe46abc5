package dev.agentmesh.triggers;

import dev.agentmesh.core.SpecProblem;
import dev.agentmesh.core.internal.spec.Durations;
import dev.agentmesh.core.internal.spec.Names;
import dev.agentmesh.core.internal.spec.SpecTree;
import dev.agentmesh.core.internal.spec.SpecTree.Node;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;

/** Reads the triggers of one trigger file from its located tree; every mistake a problem. */
final class TriggerCodec {

  static final SpecTree.Kind KIND =
      new SpecTree.Kind(
          "trigger file",
          "a trigger file, a mapping with 'triggers', a list of triggers",
          "put every trigger of the file in its 'triggers' list");

  static final List<String> COMMON = List.of("id", "kind", "agent", "paused");
  static final List<String> STARTER = List.of("id", "kind", "agent");
  static final List<String> SCHEDULED = List.of("input", "overlap", "catchUp", "jitter");
  static final Map<TriggerKind, List<String>> OWN =
      Map.of(
          TriggerKind.CRON, List.of("schedule", "dialect", "zone", "dstGap"),
          TriggerKind.INTERVAL, List.of("every", "anchor"),
          TriggerKind.ONCE, List.of("at"),
          TriggerKind.WEBHOOK, List.of("verification", "path", "inputMap"),
          TriggerKind.EVENT, List.of("source", "inputMap"),
          TriggerKind.HUMAN, List.of("description"),
          TriggerKind.AGENT, List.of("from", "description"));
  static final List<String> ALL = all();
  static final List<String> VERIFICATION = List.of("scheme", "secret", "secrets", "tolerance");
  static final List<String> CATCH_UP = List.of("none", "latest", "within");

  private final String source;
  private final List<SpecProblem> problems;

  private TriggerCodec(String source, List<SpecProblem> problems) {
    this.source = source;
    this.problems = problems;
  }

  private static List<String> all() {
    Set<String> all = new LinkedHashSet<>(COMMON);
    all.addAll(OWN.get(TriggerKind.CRON));
    all.addAll(OWN.get(TriggerKind.INTERVAL));
    all.addAll(OWN.get(TriggerKind.ONCE));
    all.addAll(SCHEDULED);
    all.addAll(OWN.get(TriggerKind.WEBHOOK));
    all.addAll(OWN.get(TriggerKind.EVENT));
    all.addAll(OWN.get(TriggerKind.AGENT));
    return List.copyOf(all);
  }

  static List<String> fields(TriggerKind kind) {
    List<String> out = new ArrayList<>(kind.declaresStarter() ? STARTER : COMMON);
    out.addAll(OWN.get(kind));
    if (kind.scheduled()) out.addAll(SCHEDULED);
    return out;
  }

  /**
   * The triggers of a file; those with problems are left out (their problems added), and {@code
   * ids} hears the id of each trigger that names one, loaded or not, with its place.
   */
  static List<TriggerSpec> read(
      Node root, String source, List<SpecProblem> problems, Consumer<Named> ids) {
    TriggerCodec c = new TriggerCodec(source, problems);
    if (!root.isObject()) {
      c.problem(
          root,
          "expected a mapping with 'triggers' (a list of triggers) but found " + root.describe());
      return List.of();
    }
    c.unknown(root, List.of("triggers"), "");
    Node list = root.fields.get("triggers");
    if (list == null) {
      c.problem(root, "missing required field 'triggers' (a list of triggers)");
      return List.of();
    }
    if (!list.isArray()) {
      c.problem(list, "field 'triggers' expected a list of triggers but found " + list.describe());
      return List.of();
    }
    List<TriggerSpec> out = new ArrayList<>();
    for (Node item : list.items) {
      TriggerSpec spec = c.trigger(item, ids);
      if (spec != null) out.add(spec);
    }
    return out;
  }

  /** The id of a trigger as written, with its place, for the duplicate check. */
  record Named(String id, String source, int line, int column, @Nullable TriggerSpec spec) {
    String where() {
      return line > 0 ? source + ":" + line + ":" + column : source;
    }
  }

  private @Nullable TriggerSpec trigger(Node t, Consumer<Named> ids) {
    if (!t.isObject()) {
      problem(
          t,
          "expected a trigger (a mapping with 'id', 'kind' and 'agent') but found " + t.describe());
      return null;
    }
    int before = problems.size();
    String id = text(t, "id", true);
    TriggerKind kind = kind(t);
    String agent = text(t, "agent", true);
    unknown(t, kind == null ? ALL : fields(kind), "");
    if (id == null || kind == null) {
      if (id != null) ids.accept(named(id, t, null));
      return null;
    }
    TriggerSpec.Builder b;
    try {
      b = start(t, id, kind);
    } catch (Invalid e) {
      ids.accept(named(id, t, null));
      return null;
    } catch (IllegalArgumentException e) {
      problem(t.fields.get("id"), message(e));
      return null;
    }
    TriggerSpec.Builder spec = b;
    List<String> own = fields(kind);
    if (agent != null) spec.agent(agent);
    apply(t, own, "paused", n -> spec.paused(bool(n, "paused")));
    apply(t, own, "description", n -> spec.description(textOf(n, "description")));
    apply(t, own, "dialect", n -> spec.dialect(choice(n, "dialect", CronDialect.class)));
    apply(t, own, "zone", n -> spec.zone(zone(n)));
    apply(t, own, "dstGap", n -> spec.dstGap(choice(n, "dstGap", DstGapPolicy.class)));
    apply(t, own, "anchor", n -> spec.anchor(instant(n, "anchor")));
    apply(t, own, "input", n -> spec.input(n.toJson()));
    apply(t, own, "path", n -> spec.path(textOf(n, "path")));
    apply(t, own, "inputMap", n -> inputMap(n, spec));
    apply(t, own, "overlap", n -> spec.overlap(choice(n, "overlap", OverlapPolicy.class)));
    apply(t, own, "catchUp", n -> spec.catchUp(catchUp(n)));
    apply(t, own, "jitter", n -> spec.jitter(Jitter.upTo(duration(n, "jitter"))));
    spec.from(source, places(t));
    TriggerSpec built = null;
    if (problems.size() == before) {
      try {
        built = spec.build();
      } catch (ScheduleException e) {
        Node at = t.fields.get("schedule");
        int[] place = inside(at, e.column());
        problems.add(
            new SpecProblem(source, place[0], place[1], "field 'schedule': " + e.getMessage()));
      } catch (RuntimeException e) {
        problem(t, message(e));
      }
    }
    ids.accept(named(id, t, built));
    return built;
  }

  /** The builder of the kind, with the field that makes the kind (schedule, every, at...). */
  private TriggerSpec.Builder start(Node t, String id, TriggerKind kind) {
    switch (kind) {
      case CRON:
        return TriggerSpec.cron(
            id, required(t, "schedule", "a cron expression such as '0 9 * * MON-FRI'"));
      case INTERVAL:
        {
          Node every = need(t, "every", "a duration such as 15m");
          Duration d = duration(every, "every");
          if (d.isNegative() || d.isZero())
            throw invalid(every, "field 'every' must be positive but was " + every.text());
          return TriggerSpec.interval(id, d);
        }
      case ONCE:
        return TriggerSpec.once(
            id, instant(need(t, "at", "an instant such as 2026-12-24T18:00:00Z"), "at"));
      case WEBHOOK:
        return TriggerSpec.webhook(
            id, verification(need(t, "verification", "a mapping with 'scheme' and 'secret'")));
      case HUMAN:
        return TriggerSpec.human(id);
      case AGENT:
        return TriggerSpec.fromAgents(id, parents(t));
      default:
        return TriggerSpec.event(
            id, required(t, "source", "the queue or topic its messages come from"));
    }
  }

  /** The agents of an agent trigger's {@code from}: a list of names, each once. */
  private String[] parents(Node t) {
    Node n =
        need(t, "from", "a list of the agents whose start_session may start it, such as [pilot]");
    if (!n.isArray() || n.items.isEmpty()) {
      throw invalid(
          n, "field 'from' expected a list of agents, such as [pilot], but found " + n.describe());
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (Node item : n.items) {
      if (!item.isString() || item.text().isBlank()) {
        problem(item, "field 'from' expected an agent's name but found " + item.describe());
        ok = false;
      } else if (out.contains(item.text())) {
        problem(item, "field 'from' names agent '" + item.text() + "' twice; keep one");
        ok = false;
      } else out.add(item.text());
    }
    if (!ok) throw new Invalid();
    return out.toArray(String[]::new);
  }

  /** Parses the expression in its dialect (when that is readable), so its problem is reported. */
  private void parseCron(Node t, String expression) {
    CronDialect dialect = CronDialect.UNIX;
    Node d = t.fields.get("dialect");
    if (d != null && d.isString()) {
      for (CronDialect c : CronDialect.values()) if (c.label().equals(d.text())) dialect = c;
    }
    try {
      CronSchedule.builder(expression).dialect(dialect).build();
    } catch (ScheduleException e) {
      Node at = t.fields.get("schedule");
      int[] place = inside(at, e.column());
      problems.add(
          new SpecProblem(source, place[0], place[1], "field 'schedule': " + e.getMessage()));
      throw new Invalid();
    }
  }

  private @Nullable TriggerKind kind(Node t) {
    Node n = t.fields.get("kind");
    if (n == null || n.isNull()) {
      problem(t, "missing required field 'kind'; expected one of " + ids(TriggerKind.class));
      return null;
    }
    try {
      return choice(n, "kind", TriggerKind.class);
    } catch (Invalid e) {
      return null;
    }
  }

  private Verification verification(Node n) {
    Node v = object(n, "verification");
    unknown(v, VERIFICATION, "verification.");
    Node scheme = v.fields.get("scheme");
    if (scheme == null)
      throw invalid(
          v, "missing required field 'verification.scheme'; expected one of " + schemes());
    WebhookScheme s = scheme(scheme);
    List<SecretRef> refs = new ArrayList<>();
    Node one = v.fields.get("secret");
    Node many = v.fields.get("secrets");
    if (one != null && many != null) {
      throw invalid(
          many,
          "write either 'verification.secret' or 'verification.secrets' (a list, for a rotation), not both");
    }
    if (one == null && many == null) {
      throw invalid(
          v,
          "missing required field 'verification.secret'; expected a reference such as env:WEBHOOK_SECRET");
    }
    if (one != null) refs.add(secret(one, "verification.secret"));
    if (many != null) {
      if (!many.isArray() || many.items.isEmpty()) {
        throw invalid(
            many,
            "field 'verification.secrets' expected a list of secret references but found "
                + safe(many));
      }
      boolean ok = true;
      for (Node item : many.items) {
        try {
          SecretRef ref = secret(item, "verification.secrets");
          if (refs.contains(ref)) {
            problem(item, "field 'verification.secrets' lists " + ref + " twice; keep one");
            ok = false;
          }
          refs.add(ref);
        } catch (Invalid e) {
          ok = false;
        }
      }
      if (!ok) throw new Invalid();
    }
    Node tol = v.fields.get("tolerance");
    Duration tolerance =
        tol == null ? Verification.DEFAULT_TOLERANCE : duration(tol, "verification.tolerance");
    try {
      return new Verification(s, refs, tolerance);
    } catch (IllegalArgumentException e) {
      throw invalid(tol != null ? tol : v, "field 'verification': " + message(e));
    }
  }

  private WebhookScheme scheme(Node n) {
    String text = n.isString() ? n.text() : "";
    for (WebhookScheme s : WebhookScheme.values())
      if (Verification.schemeId(s).equals(text)) return s;
    throw invalid(
        n,
        "field 'verification.scheme' expected one of "
            + schemes()
            + " but found "
            + n.describe()
            + Names.didYouMean(text, schemes()));
  }

  private static List<String> schemes() {
    List<String> out = new ArrayList<>();
    for (WebhookScheme s : WebhookScheme.values()) out.add(Verification.schemeId(s));
    return out;
  }

  /** A secret reference; the value is never quoted in a message, since it may be a secret. */
  private SecretRef secret(Node n, String field) {
    if (!n.isString()) {
      throw invalid(
          n,
          "field '"
              + field
              + "' expected a secret reference such as env:WEBHOOK_SECRET but found "
              + safe(n));
    }
    try {
      return SecretRef.parse(n.text());
    } catch (IllegalArgumentException e) {
      throw invalid(n, "field '" + field + "' " + message(e));
    }
  }

  /** What a node is, without its text: a value here may be a secret. */
  private static String safe(Node n) {
    return n.isString() ? "a string" : n.describe();
  }

  private void inputMap(Node n, TriggerSpec.Builder spec) {
    Node m = object(n, "inputMap");
    boolean ok = true;
    for (Map.Entry<String, Node> e : m.fields.entrySet()) {
      Node p = e.getValue();
      try {
        if (!p.isString())
          throw new IllegalArgumentException(
              "expected a JSON Pointer such as /ticket/subject but found " + p.describe());
        spec.inputField(e.getKey(), p.text());
      } catch (IllegalArgumentException ex) {
        problem(p, "field 'inputMap." + e.getKey() + "' " + message(ex));
        ok = false;
      }
    }
    if (!ok) throw new Invalid();
  }

  private CatchUpPolicy catchUp(Node n) {
    if (n.isString()) {
      switch (n.text()) {
        case "none":
          return CatchUpPolicy.none();
        case "latest":
          return CatchUpPolicy.latest();
        default:
          throw invalid(
              n,
              "field 'catchUp' expected none, latest or {within: <duration>} but found "
                  + n.describe()
                  + Names.didYouMean(n.text(), CATCH_UP));
      }
    }
    if (n.isObject() && n.fields.size() == 1 && n.fields.containsKey("within")) {
      return CatchUpPolicy.allWithin(duration(n.fields.get("within"), "catchUp.within"));
    }
    if (n.isObject()) unknown(n, List.of("within"), "catchUp.");
    throw invalid(
        n,
        "field 'catchUp' expected none, latest or {within: <duration>} (every missed occurrence at most that old) but found "
            + n.describe());
  }

  private ZoneId zone(Node n) {
    String text = textOf(n, "zone");
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw invalid(
          n,
          "field 'zone' expected a time zone such as Europe/Berlin or UTC but found '"
              + Names.clip(text, 60)
              + "'"
              + Names.didYouMean(text, ZoneId.getAvailableZoneIds()));
    }
  }

  private Instant instant(Node n, String field) {
    String text = textOf(n, field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(
          n,
          "field '"
              + field
              + "' expected an instant in UTC such as 2026-12-24T18:00:00Z but found '"
              + Names.clip(text, 60)
              + "'");
    }
  }

  private Duration duration(Node n, String field) {
    try {
      return Durations.parse(textOf(n, field));
    } catch (IllegalArgumentException e) {
      throw invalid(n, "field '" + field + "' " + message(e));
    }
  }

  private boolean bool(Node n, String field) {
    if (n.token != JsonToken.VALUE_TRUE && n.token != JsonToken.VALUE_FALSE) {
      throw invalid(n, "field '" + field + "' expected true or false but found " + n.describe());
    }
    return (Boolean) n.value();
  }

  /** An enum constant written as its lower-case, dashed name ({@code queue-one}). */
  private <E extends Enum<E>> E choice(Node n, String field, Class<E> type) {
    String text = n.isString() ? n.text() : "";
    for (E e : type.getEnumConstants()) if (id(e).equals(text)) return e;
    throw invalid(
        n,
        "field '"
            + field
            + "' expected one of "
            + ids(type)
            + " but found "
            + n.describe()
            + Names.didYouMean(text, ids(type)));
  }

  private static String id(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static <E extends Enum<E>> List<String> ids(Class<E> type) {
    List<String> out = new ArrayList<>();
    for (E e : type.getEnumConstants()) out.add(id(e));
    return out;
  }

  private @Nullable String text(Node t, String field, boolean required) {
    Node n = t.fields.get(field);
    if (n == null || n.isNull()) {
      if (required) problem(t, "missing required field '" + field + "'");
      return null;
    }
    try {
      return textOf(n, field);
    } catch (Invalid e) {
      return null;
    }
  }

  private String required(Node t, String field, String what) {
    return textOf(need(t, field, what), field);
  }

  private Node need(Node t, String field, String what) {
    Node n = t.fields.get(field);
    if (n == null || n.isNull())
      throw invalid(t, "missing required field '" + field + "'; expected " + what);
    return n;
  }

  private String textOf(Node n, String field) {
    if (!n.isString() || n.text().isBlank()) {
      throw invalid(n, "field '" + field + "' expected a string but found " + n.describe());
    }
    return n.text();
  }

  private Node object(Node n, String field) {
    if (!n.isObject())
      throw invalid(n, "field '" + field + "' expected a mapping but found " + n.describe());
    return n;
  }

  private void apply(Node t, List<String> own, String field, Consumer<Node> setter) {
    Node n = t.fields.get(field);
    if (n == null || n.isNull() || !own.contains(field)) return;
    try {
      setter.accept(n);
    } catch (Invalid e) {
      // reported
    } catch (IllegalArgumentException e) {
      problem(n, message(e));
    }
  }

  private void unknown(Node object, List<String> known, String prefix) {
    object.keyPlaces.forEach(
        (key, place) -> {
          if (known.contains(key)) return;
          String message;
          if (prefix.isEmpty() && ALL.contains(key)) {
            message =
                "field '" + key + "' does not apply to this kind of trigger; it takes " + known;
          } else {
            message =
                "unknown field '"
                    + prefix
                    + key
                    + "'"
                    + Names.didYouMean(key, known)
                    + "; expected one of "
                    + known;
          }
          problems.add(new SpecProblem(source, place[0], place[1], message));
        });
  }

  /** Where a column of a one-line scalar stands in the file; the scalar's own place otherwise. */
  private static int[] inside(@Nullable Node scalar, int column) {
    if (scalar == null) return new int[] {0, 0};
    int[] own = {scalar.line, scalar.column};
    if (column < 1 || !scalar.isString() || scalar.endLine != scalar.line) return own;
    int width = scalar.endColumn - scalar.column;
    int length = scalar.text().codePointCount(0, scalar.text().length());
    if (width == length) return new int[] {scalar.line, scalar.column + column - 1};
    if (width == length + 2) return new int[] {scalar.line, scalar.column + column};
    return own;
  }

  private static Map<String, int[]> places(Node t) {
    Map<String, int[]> places = new HashMap<>();
    places.put("", new int[] {t.line, t.column});
    t.fields.forEach((k, v) -> places.put(k, new int[] {v.line, v.column}));
    Node from = t.fields.get("from");
    if (from != null) {
      for (int i = 0; i < from.items.size(); i++) {
        Node item = from.items.get(i);
        places.put("from[" + i + "]", new int[] {item.line, item.column});
      }
    }
    return places;
  }

  private Named named(String id, Node t, @Nullable TriggerSpec spec) {
    Node n = t.fields.getOrDefault("id", t);
    return new Named(id, source, n.line, n.column, spec);
  }

  private void problem(@Nullable Node at, String message) {
    problems.add(
        new SpecProblem(source, at == null ? 0 : at.line, at == null ? 0 : at.column, message));
  }

  private Invalid invalid(Node at, String message) {
    problem(at, message);
    return new Invalid();
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Ids, sorted, for messages. */
  static Set<String> sorted(java.util.Collection<String> names) {
    return new TreeSet<>(names);
  }

  /** A value already reported as a problem. */
  private static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid() {
      super(null, null, false, false);
    }
  }
}
