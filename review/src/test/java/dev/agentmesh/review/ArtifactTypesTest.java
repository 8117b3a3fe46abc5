package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ArtifactTypesTest {

  private final ArtifactTypes types = ArtifactTypes.standard();

  static List<ReviewArtifact> samples() {
    return Samples.all();
  }

  @Test
  void canonicalJsonSortsKeysAndHasNoWhitespace() {
    RecordChange change =
        new RecordChange(
            "crm",
            "contact",
            "7",
            "v3",
            List.of(new RecordChange.FieldChange("title", null, "CTO")));
    assertThat(types.canonicalJson(change))
        .isEqualTo(
            "{\"artifact\":{\"changes\":[{\"after\":\"CTO\",\"before\":null,\"field\":\"title\"}],"
                + "\"recordId\":\"7\",\"recordType\":\"contact\",\"system\":\"crm\",\"versionRead\":\"v3\"},"
                + "\"type\":\"record-change\"}");
  }

  @Test
  void theContentHashIsTheSha256OfTheCanonicalJson() {
    RecordChange change =
        new RecordChange(
            "crm",
            "contact",
            "7",
            "v3",
            List.of(new RecordChange.FieldChange("title", null, "CTO")));
    // printf '%s' "$(canonical json)" | sha256sum
    assertThat(types.contentHash(change).toString())
        .isEqualTo("sha256:" + sha256Hex(types.canonicalJson(change)));
    assertThat(ContentHash.parse(types.contentHash(change).toString()))
        .isEqualTo(types.contentHash(change));
  }

  @Test
  void theHashDoesNotDependOnMapOrder() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("sku", "A1");
    ab.put("price", "1");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("price", "1");
    ba.put("sku", "A1");
    Table.Data before =
        new Table.Data(List.of("sku", "price"), List.of(Map.of("sku", "A1", "price", "0")));
    Table one =
        new Table(
            "t",
            List.of("sku"),
            List.of(),
            before,
            new Table.Data(List.of("sku", "price"), List.of(ab)));
    Table two =
        new Table(
            "t",
            List.of("sku"),
            List.of(),
            before,
            new Table.Data(List.of("sku", "price"), List.of(ba)));
    assertThat(types.contentHash(one)).isEqualTo(types.contentHash(two));
  }

  @Test
  void anyChangeOfContentChangesTheHash() {
    RecordChange a =
        new RecordChange(
            "crm", "contact", "7", "v3", List.of(new RecordChange.FieldChange("t", null, "x")));
    RecordChange b =
        new RecordChange(
            "crm", "contact", "7", "v4", List.of(new RecordChange.FieldChange("t", null, "x")));
    assertThat(types.contentHash(a)).isNotEqualTo(types.contentHash(b));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everyBuiltInTypeSurvivesAJsonRoundTripWithItsHash(ReviewArtifact artifact) {
    ReviewArtifact read = types.fromJson(types.toJson(artifact));
    assertThat(read).isEqualTo(artifact);
    assertThat(types.contentHash(read)).isEqualTo(types.contentHash(artifact));
  }

  @Test
  void readingAnUnknownTypeNamesTheRegisteredOnes() {
    assertThatThrownBy(() -> types.fromJson("{\"type\":\"spreadsheet\",\"artifact\":{}}"))
        .isInstanceOf(ReviewException.class)
        .hasMessage(
            "Unknown artifact type 'spreadsheet'. Registered: [action, code-diff, document,"
                + " outbound-message, record-change, table, visual-change]");
  }

  @Test
  void readingAnArtifactWithAnUnknownFieldSaysWhich() {
    assertThatThrownBy(
            () ->
                types.fromJson(
                    "{\"type\":\"action\",\"artifact\":{\"tool\":\"x\","
                        + "\"arguments\":{},\"idempotent\":true,\"colour\":1}}"))
        .isInstanceOf(ReviewException.class)
        .hasMessageStartingWith(
            "Cannot read a 'action' artifact: Unrecognized property \"colour\"");
  }

  @Test
  void anUnregisteredClassIsRefusedWithHowToRegisterIt() {
    record Stray(String x) implements ReviewArtifact {}
    assertThatThrownBy(() -> types.contentHash(new Stray("x")))
        .isInstanceOf(ReviewException.class)
        .hasMessageContaining("No artifact type is registered for ")
        .hasMessageContaining(
            "Register it with ArtifactTypes.builder().register(ArtifactType.of(...)).");
  }

  @Test
  void aTypeNameCanBeRegisteredOnlyOnce() {
    assertThatThrownBy(
            () ->
                ArtifactTypes.builder()
                    .register(
                        ArtifactType.of(
                            "table",
                            Ticket.class,
                            (t, l) -> List.of(),
                            (t, c) -> new Surface("x", List.of(), List.of()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot register ArtifactType[table, ")
        .hasMessageEndingWith("is registered already (names and classes must be unique)");
  }

  @Test
  void aTypeNameMustBeLowercaseDotted() {
    assertThatThrownBy(
            () ->
                ArtifactType.of(
                    "Acme Ticket",
                    Ticket.class,
                    (t, l) -> List.of(),
                    (t, c) -> new Surface("x", List.of(), List.of())))
        .hasMessage(
            "an artifact type name must be 1 to 64 lowercase letters, digits, dots and hyphens,"
                + " starting with a letter (like 'acme.ticket') but was 'Acme Ticket'");
  }

  @Test
  void anArtifactOverTheSizeLimitIsRefusedBeforeItIsHashed() {
    ArtifactTypes small =
        ArtifactTypes.builder()
            .limits(ReviewLimits.builder().maxArtifactBytes(100).build())
            .build();
    assertThatThrownBy(() -> small.contentHash(Samples.action()))
        .isInstanceOf(ArtifactValidationException.class)
        .hasMessageMatching(
            "Invalid 'action' artifact: the artifact is \\d+ bytes of canonical JSON but at most 100"
                + " are allowed \\(raise ReviewLimits.maxArtifactBytes, or split the artifact\\)");
  }

  @Test
  void limitsAreCheckedWhenSet() {
    assertThatThrownBy(() -> ReviewLimits.builder().maxImagePixels(0))
        .hasMessage("maxImagePixels must be at least 1 but was 0");
    assertThatThrownBy(() -> ArtifactTypes.builder().internalDomains("example.com\r\nBcc: x"))
        .hasMessage(
            "internalDomains must be domain names like 'example.com' but one was 'example.com\\r\\nBcc: x'");
  }

  @Test
  void whatAHostsValidatorOrRendererThrowsIsReportedWithTheTypeName() {
    ArtifactTypes host =
        ArtifactTypes.builder()
            .register(
                ArtifactType.of(
                    "acme.ticket",
                    Ticket.class,
                    (t, l) -> {
                      if (t.id().isEmpty()) {
                        throw new IllegalStateException("no id");
                      }
                      return List.of();
                    },
                    (t, c) -> {
                      throw new UnsupportedOperationException("not yet");
                    }))
            .build();
    assertThatThrownBy(() -> host.validate(new Ticket("")))
        .isInstanceOf(ReviewException.class)
        .hasMessage("The validator of 'acme.ticket' threw java.lang.IllegalStateException: no id");
    assertThatThrownBy(() -> host.render(new Ticket("7"), SurfaceFormat.TEXT))
        .isInstanceOf(ReviewException.class)
        .hasMessage(
            "The surface renderer of 'acme.ticket' threw java.lang.UnsupportedOperationException: not yet");
  }

  record Ticket(String id) implements ReviewArtifact {}

  static String sha256Hex(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
