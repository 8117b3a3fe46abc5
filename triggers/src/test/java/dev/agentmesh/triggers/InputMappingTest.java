package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The whole payload or fields read by JSON Pointer; clear refusals that never show a value. */
class InputMappingTest {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  private static final JsonNode ISSUE =
      json(
          "{\"action\":\"opened\",\"issue\":{\"title\":\"Crash on start\",\"number\":7,"
              + "\"user\":{\"login\":\"ana\"},\"labels\":[{\"name\":\"bug\"}],\"closed_at\":null,"
              + "\"a/b\":1,\"m~n\":2}}");

  @Test
  void theWholeMappingPassesACopyOfThePayloadOn() {
    JsonNode input = InputMapping.whole().apply(ISSUE);

    assertThat(input).isEqualTo(ISSUE).isNotSameAs(ISSUE);
    assertThat(InputMapping.whole().isWhole()).isTrue();
    assertThat(InputMapping.whole().pointers()).isEmpty();
  }

  @Test
  void fieldsAreReadByPointerInDeclarationOrder() {
    Map<String, String> pointers = new LinkedHashMap<>();
    pointers.put("title", "/issue/title");
    pointers.put("author", "/issue/user/login");
    pointers.put("firstLabel", "/issue/labels/0/name");
    pointers.put("closedAt", "/issue/closed_at");
    pointers.put("slashed", "/issue/a~1b");
    pointers.put("tilde", "/issue/m~0n");
    pointers.put("everything", "");

    JsonNode input = InputMapping.fields(pointers).apply(ISSUE);

    assertThat(input.propertyNames())
        .containsExactly(
            "title", "author", "firstLabel", "closedAt", "slashed", "tilde", "everything");
    assertThat(input.get("title").asString()).isEqualTo("Crash on start");
    assertThat(input.get("author").asString()).isEqualTo("ana");
    assertThat(input.get("firstLabel").asString()).isEqualTo("bug");
    assertThat(input.get("closedAt").isNull()).isTrue();
    assertThat(input.get("slashed").asInt()).isEqualTo(1);
    assertThat(input.get("tilde").asInt()).isEqualTo(2);
    assertThat(input.get("everything")).isEqualTo(ISSUE);
  }

  @Test
  void aMissingRequiredFieldNamesFieldPointerAndHowFarThePayloadMatchedButNoValue() {
    InputMapping mapping = InputMapping.fields(Map.of("reviewer", "/issue/assignee/login"));

    assertThatThrownBy(() -> mapping.apply(ISSUE))
        .isInstanceOf(InputMappingException.class)
        .hasMessage(
            "Input field 'reviewer' expects a value at JSON Pointer '/issue/assignee/login' in"
                + " the payload but found none: '/issue' is an object with fields [title, number,"
                + " user, labels, closed_at, a/b, m~n]. Fix: send a payload that has it, correct"
                + " the pointer, or make the field optional")
        .satisfies(
            e -> {
              InputMappingException m = (InputMappingException) e;
              assertThat(m.field()).isEqualTo("reviewer");
              assertThat(m.pointer()).isEqualTo("/issue/assignee/login");
              assertThat(m.getMessage()).doesNotContain("Crash on start", "ana");
            });
  }

  @Test
  void aPointerIntoAScalarOrAnArraySaysWhatItFound() {
    assertThatThrownBy(() -> InputMapping.fields(Map.of("x", "/issue/title/text")).apply(ISSUE))
        .hasMessageContaining("'/issue/title' is a string.")
        .hasMessageNotContaining("Crash");
    assertThatThrownBy(() -> InputMapping.fields(Map.of("x", "/issue/labels/3")).apply(ISSUE))
        .hasMessageContaining("'/issue/labels' is an array of 1 element.");
    assertThatThrownBy(() -> InputMapping.fields(Map.of("x", "/issue")).apply(json("[1,2]")))
        .hasMessageContaining(": the payload is an array of 2 elements.");
  }

  @Test
  void anOptionalFieldIsLeftOutWhenAbsent() {
    InputMapping mapping =
        InputMapping.builder()
            .field("title", "/issue/title")
            .optionalField("milestone", "/issue/milestone/title")
            .build();

    JsonNode input = mapping.apply(ISSUE);

    assertThat(input.propertyNames()).containsExactly("title");
    assertThat(mapping.optionalFields()).containsExactly("milestone");
  }

  @Test
  void badDeclarationsAreRefusedWhenMade() {
    assertThatThrownBy(() -> InputMapping.fields(Map.of("title", "issue/title")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "input field 'title': expected a JSON Pointer (RFC 6901) such as '/issue/title' but"
                + " found 'issue/title'. Fix: start it with '/', write '~1' for '/' and '~0' for"
                + " '~' in a name");
    assertThatThrownBy(() -> InputMapping.fields(Map.of(" ", "/a")))
        .hasMessage("an input field's name must not be blank");
    assertThatThrownBy(() -> InputMapping.fields(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("InputMapping.whole()");
    assertThatThrownBy(() -> InputMapping.builder().field("a", "/x").optionalField("a", "/y"))
        .hasMessage("input field 'a' is mapped twice");
  }

  @Test
  void mappingsAreValuesThatSayWhatTheyMap() {
    InputMapping a = InputMapping.fields(Map.of("title", "/issue/title"));
    InputMapping b = InputMapping.builder().field("title", "/issue/title").build();
    InputMapping optional = InputMapping.builder().optionalField("title", "/issue/title").build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(optional);
    assertThat(a).isNotEqualTo(InputMapping.whole());
    assertThat(a.pointers()).containsExactly(Map.entry("title", "/issue/title"));
    assertThat(optional).hasToString("InputMapping{title <- /issue/title (optional)}");
    assertThat(InputMapping.whole()).hasToString("InputMapping{whole payload}");
  }
}
