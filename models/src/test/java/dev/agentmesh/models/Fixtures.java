package dev.agentmesh.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the provider-format fixtures under {@code fixtures/}. */
final class Fixtures {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private Fixtures() {}

  static String text(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  static JsonNode fixture(String path) {
    return json(text(path));
  }

  static MockResponse ok(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  static MockResponse okFixture(String path) {
    return ok(text(path));
  }

  static MockResponse status(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  static JsonNode body(RecordedRequest request) {
    return json(request.getBody().utf8());
  }
}
