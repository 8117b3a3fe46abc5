package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Properties of specs over generated inputs. Each case is named by its seed; rerun one with {@code
 * -Dagentmesh.seed=<seed>} (the base seed) to replay the whole run.
 */
class SpecPropertiesTest {

  static final long BASE = Long.getLong("agentmesh.seed", System.nanoTime());
  static final int CASES = Integer.getInteger("agentmesh.cases", 200);

  static {
    System.out.println("SpecPropertiesTest seed: -Dagentmesh.seed=" + BASE);
  }

  static Stream<Long> seeds() {
    return LongStream.range(0, CASES).mapToObj(i -> BASE + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aSpecSurvivesAYamlAndAJsonRoundTrip(long seed) {
    AgentSpec spec = randomSpec(new Random(seed));

    AgentSpec fromYaml = AgentSpecs.parse(AgentSpecs.toYaml(spec), "gen.yaml");
    AgentSpec fromJson = AgentSpecs.parse(AgentSpecs.toJson(spec), "gen.json");

    // The JSON comparisons first: they show what differs when the specs do.
    assertThat(AgentSpecs.toJson(fromYaml)).isEqualTo(AgentSpecs.toJson(spec));
    assertThat(AgentSpecs.toJson(fromJson)).isEqualTo(AgentSpecs.toJson(spec));
    assertThat(fromYaml).isEqualTo(spec);
    assertThat(fromJson).isEqualTo(spec);
    assertThat(fromYaml.fingerprint()).isEqualTo(spec.fingerprint());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void noMangledInputMakesTheLoaderThrowAnythingButItsOwnException(long seed) {
    Random random = new Random(seed);
    AgentSpec spec = randomSpec(random);
    boolean json = random.nextBoolean();
    byte[] bytes =
        mangle(
            (json ? AgentSpecs.toJson(spec) : AgentSpecs.toYaml(spec))
                .getBytes(StandardCharsets.UTF_8),
            random);

    Throwable thrown =
        catchThrowable(
            () ->
                AgentSpecs.parse(
                    new String(bytes, StandardCharsets.UTF_8), json ? "m.json" : "m.yaml"));

    if (thrown != null) {
      assertThat(thrown).isInstanceOf(AgentSpecException.class);
      assertThat(((AgentSpecException) thrown).problems())
          .allSatisfy(p -> assertThat(p.message()).isNotBlank());
    }
  }

  static byte[] mangle(byte[] in, Random random) {
    List<Byte> out = new ArrayList<>();
    for (byte b : in) out.add(b);
    int edits = 1 + random.nextInt(8);
    String junk = ":{}[]-#&*!|>'\"\\\t\n ,?%@`";
    for (int i = 0; i < edits && !out.isEmpty(); i++) {
      int at = random.nextInt(out.size());
      switch (random.nextInt(5)) {
        case 0:
          out.remove(at);
          break;
        case 1:
          out.add(at, (byte) junk.charAt(random.nextInt(junk.length())));
          break;
        case 2:
          out.set(at, (byte) random.nextInt(256));
          break;
        case 3:
          out.subList(at, out.size()).clear();
          break;
        default:
          out.addAll(
              at, new ArrayList<>(out.subList(at, Math.min(out.size(), at + random.nextInt(40)))));
          break;
      }
    }
    byte[] bytes = new byte[out.size()];
    for (int i = 0; i < bytes.length; i++) bytes[i] = out.get(i);
    return bytes;
  }

  /** YAML's traps: strings that look like other types, quotes, colons, comments, unicode. */
  static final String[] TRICKY = {
    "yes",
    "no",
    "null",
    "~",
    "1.0",
    "0x1F",
    "true",
    "- item",
    "key: value",
    "# not a comment",
    "'quoted'",
    "\"double\"",
    "{{input.x}}",
    "tab\there",
    "multi\nline\n",
    "trailing space ",
    " leading",
    "émoji 🚀",
    "漢字",
    "@at",
    "*star",
    "&anchor",
    "!tag",
    "|pipe",
    ">fold",
    "%percent",
    "`tick`",
    "---",
    "...",
    ""
  };

  static String text(Random r, boolean allowEmpty) {
    StringBuilder sb = new StringBuilder();
    int parts = 1 + r.nextInt(3);
    for (int i = 0; i < parts; i++)
      sb.append(TRICKY[r.nextInt(TRICKY.length)]).append(r.nextBoolean() ? " " : "");
    String s = sb.toString();
    return s.isBlank() && !allowEmpty ? "x" + s : s;
  }

  static String name(Random r) {
    String letters = "abcdefghijklmnopqrstuvwxyz0123456789-";
    StringBuilder sb = new StringBuilder().append((char) ('a' + r.nextInt(26)));
    for (int i = r.nextInt(12); i > 0; i--) sb.append(letters.charAt(r.nextInt(letters.length())));
    return sb.toString();
  }

  static List<String> names(Random r) {
    Set<String> out = new LinkedHashSet<>();
    for (int i = r.nextInt(4); i > 0; i--) out.add(name(r));
    return new ArrayList<>(out);
  }

  static AgentSpec randomSpec(Random r) {
    AgentSpec.Builder b =
        AgentSpec.builder(name(r))
            .instructions(text(r, true))
            .description(text(r, true))
            .version(r.nextBoolean() ? String.valueOf(r.nextInt(100)) : text(r, false))
            .model(name(r))
            .reasoning(ReasoningLevel.values()[r.nextInt(4)])
            .tools(names(r))
            .agents(names(r))
            .guardrails(names(r));
    if (r.nextBoolean()) b.temperature(r.nextInt(21) / 10.0);
    if (r.nextBoolean()) b.maxOutputTokens(1 + r.nextInt(100_000));
    if (r.nextBoolean()) b.inputSchema(schema(r));
    if (r.nextBoolean()) b.outputSchema(schema(r));
    if (r.nextBoolean()) {
      b.limits(
          Limits.builder()
              .maxTurns(1 + r.nextInt(1000))
              .maxToolCalls(r.nextInt(10_001))
              .timeout(Duration.ofMillis(1 + r.nextInt(86_400_000)))
              .maxCost(
                  r.nextBoolean() ? null : BigDecimal.valueOf(1 + r.nextInt(100_000), r.nextInt(6)))
              .build());
    }
    if (r.nextBoolean()) {
      b.sandbox(
          SandboxPolicy.of(
              r.nextBoolean() ? null : new LinkedHashSet<>(names(r)),
              r.nextBoolean()
                  ? null
                  : Set.of("api.example.com", "*.crm.example.com").stream()
                      .limit(r.nextInt(3))
                      .collect(java.util.stream.Collectors.toSet())));
    }
    if (r.nextBoolean()) {
      b.review(review(r));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = r.nextInt(3); i > 0; i--) labels.put(name(r), text(r, true));
    return b.labels(labels).build();
  }

  static ReviewPolicy review(Random r) {
    ReviewPolicy.Risk[] tiers = ReviewPolicy.Risk.values();
    ReviewPolicy.Builder b =
        ReviewPolicy.builder()
            .required(r.nextBoolean())
            .reviewers(names(r))
            .groups(names(r))
            .approvals(1 + r.nextInt(10))
            .fourEyes(r.nextBoolean())
            .risk(tiers[r.nextInt(tiers.length)])
            .autoApproveBelow(r.nextBoolean() ? null : tiers[1 + r.nextInt(tiers.length - 1)])
            .artifact(r.nextBoolean() ? null : "record-change");
    if (r.nextBoolean()) {
      b.expiry(Duration.ofMinutes(1 + r.nextInt(10_000)));
      ReviewPolicy.OnExpiry onExpiry =
          ReviewPolicy.OnExpiry.values()[r.nextInt(ReviewPolicy.OnExpiry.values().length)];
      b.onExpiry(onExpiry);
      if (onExpiry == ReviewPolicy.OnExpiry.ESCALATE) b.escalateTo(name(r));
    }
    Map<String, ReviewPolicy.Risk> byType = new LinkedHashMap<>();
    Map<String, ReviewPolicy.Risk> fields = new LinkedHashMap<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      byType.put("acme.type-" + r.nextInt(100), tiers[r.nextInt(tiers.length)]);
      fields.put(name(r), tiers[r.nextInt(tiers.length)]);
    }
    return b.riskByType(byType).fieldRisk(fields).build();
  }

  static ObjectNode schema(Random r) {
    ObjectNode s = Json.object().put("type", "object");
    ObjectNode props = s.putObject("properties");
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      ObjectNode p = props.putObject(name(r));
      switch (r.nextInt(4)) {
        case 0:
          p.put("type", "string").put("maxLength", 1 + r.nextInt(500));
          break;
        case 1:
          p.put("type", "integer").put("minimum", r.nextInt(10));
          break;
        case 2:
          p.put("type", "number").put("maximum", r.nextInt(1000) / 8.0);
          break;
        default:
          p.put("type", "array").putObject("items").put("type", "string");
          break;
      }
      if (r.nextBoolean()) p.put("description", text(r, false));
    }
    if (r.nextBoolean()) s.put("additionalProperties", false);
    return s;
  }
}
