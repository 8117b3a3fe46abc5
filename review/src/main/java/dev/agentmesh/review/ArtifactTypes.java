package dev.agentmesh.review;

import dev.agentmesh.review.spi.ImageDiffer;
import dev.agentmesh.review.spi.RenderContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The open registry of artifact types, and the one place that validates, hashes, serializes and
 * renders artifacts. Immutable and thread-safe: build one and share it.
 *
 * <pre>{@code
 * ArtifactTypes types = ArtifactTypes.builder()
 *     .register(ArtifactType.of("acme.ticket", Ticket.class, validator, renderer))
 *     .internalDomains("example.com")
 *     .build();
 * ContentHash hash = types.contentHash(diff);
 * String slack = types.render(diff, SurfaceFormat.MARKDOWN);
 * }</pre>
 */
public final class ArtifactTypes {

  private static final ArtifactTypes STANDARD = builder().build();

  private final Map<String, ArtifactType<?>> byName;
  private final Map<Class<?>, ArtifactType<?>> byClass;
  private final RenderContext context;

  private ArtifactTypes(Builder b) {
    this.byName = Map.copyOf(b.types);
    Map<Class<?>, ArtifactType<?>> classes = new LinkedHashMap<>();
    b.types.values().forEach(t -> classes.put(t.javaType(), t));
    this.byClass = Map.copyOf(classes);
    this.context = new RenderContext(b.limits, b.internalDomains, b.imageDiffer);
  }

  /** {@return the built-in types with default limits and no internal domains} */
  public static ArtifactTypes standard() {
    return STANDARD;
  }

  /** {@return a builder that starts with the built-in types} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return every registered type, sorted by name} */
  public List<ArtifactType<?>> types() {
    return byName.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  /**
   * The type registered under {@code name}.
   *
   * @param name the type's name
   * @return the type, or empty
   */
  public Optional<ArtifactType<?>> type(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The type of {@code artifact}; throws a {@link ReviewException} when none is registered.
   *
   * @param <T> the artifact class
   * @param artifact the artifact
   * @return its type
   */
  @SuppressWarnings("unchecked")
  public <T extends ReviewArtifact> ArtifactType<T> typeOf(T artifact) {
    ArtifactType<?> type = byClass.get(artifact.getClass());
    if (type == null) {
      throw new ReviewException(
          "No artifact type is registered for "
              + artifact.getClass().getName()
              + ". Registered: "
              + types().stream().map(ArtifactType::name).toList()
              + ". Register it with ArtifactTypes.builder().register(ArtifactType.of(...)).");
    }
    return (ArtifactType<T>) type;
  }

  /** {@return the limits and options surfaces are rendered with} */
  public RenderContext context() {
    return context;
  }

  /**
   * Checks size limits and the type's rules; throws {@link ArtifactValidationException}.
   *
   * @param artifact the artifact to check
   */
  public void validate(ReviewArtifact artifact) {
    validated(artifact);
  }

  /**
   * The canonical JSON: {@code {"artifact":<value>,"type":"<name>"}} with object keys sorted by
   * UTF-16 code units at every level, arrays in order, no whitespace, JSON's required escapes only,
   * as Jackson writes values (byte arrays in base64, null fields as {@code null}).
   *
   * @param artifact the artifact
   * @return the canonical JSON
   */
  public String canonicalJson(ReviewArtifact artifact) {
    return CanonicalJson.write(typeOf(artifact).name(), artifact);
  }

  /**
   * The SHA-256 of the UTF-8 bytes of {@link #canonicalJson}, after validation.
   *
   * @param artifact the artifact
   * @return the hash
   */
  public ContentHash contentHash(ReviewArtifact artifact) {
    return CanonicalJson.sha256(validated(artifact));
  }

  /**
   * The artifact as stored: its canonical JSON, after validation.
   *
   * @param artifact the artifact
   * @return the canonical JSON
   */
  public String toJson(ReviewArtifact artifact) {
    return validated(artifact);
  }

  /**
   * Reads what {@link #toJson} wrote, and validates it.
   *
   * @param json what {@link #toJson} wrote
   * @return the artifact
   */
  public ReviewArtifact fromJson(String json) {
    JsonNode envelope = readTree(json);
    String name = envelope.path("type").asString("");
    ArtifactType<?> type =
        type(name)
            .orElseThrow(
                () ->
                    new ReviewException(
                        "Unknown artifact type '"
                            + Texts.truncate(name, 64)
                            + "'. Registered: "
                            + types().stream().map(ArtifactType::name).toList()));
    ReviewArtifact artifact;
    try {
      artifact = CanonicalJson.MAPPER.treeToValue(envelope.path("artifact"), type.javaType());
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new ReviewException(
          "Cannot read a '"
              + name
              + "' artifact: "
              + Texts.truncate(
                  e instanceof JacksonException j
                      ? j.getOriginalMessage()
                      : String.valueOf(e.getMessage()),
                  300),
          e);
    }
    validate(artifact);
    return artifact;
  }

  /**
   * The verification surface of {@code artifact}, after validation.
   *
   * @param artifact the artifact
   * @return the surface
   */
  public Surface surface(ReviewArtifact artifact) {
    validated(artifact);
    return build(typeOf(artifact), artifact);
  }

  /**
   * The verification surface written in {@code format}; every artifact string is inert.
   *
   * @param artifact the artifact
   * @param format the format
   * @return the written surface
   */
  public String render(ReviewArtifact artifact, SurfaceFormat format) {
    Surface surface = surface(artifact);
    return switch (format) {
      case TEXT -> TextWriter.write(surface);
      case MARKDOWN -> MarkdownWriter.write(surface);
      case HTML -> HtmlWriter.write(surface);
    };
  }

  private String validated(ReviewArtifact artifact) {
    ArtifactType<ReviewArtifact> type = typeOf(artifact);
    String json = CanonicalJson.write(type.name(), artifact);
    long bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > context.limits().maxArtifactBytes()) {
      throw new ArtifactValidationException(
          type.name(),
          List.of(
              "the artifact is "
                  + bytes
                  + " bytes of canonical JSON but at most "
                  + context.limits().maxArtifactBytes()
                  + " are allowed (raise ReviewLimits.maxArtifactBytes, or split the artifact)"));
    }
    List<String> problems;
    try {
      problems = type.validator().problems(artifact, context.limits());
    } catch (RuntimeException e) {
      throw new ReviewException("The validator of '" + type.name() + "' threw " + e, e);
    }
    if (!problems.isEmpty()) {
      throw new ArtifactValidationException(type.name(), problems);
    }
    return json;
  }

  private Surface build(ArtifactType<ReviewArtifact> type, ReviewArtifact artifact) {
    try {
      return type.renderer().render(artifact, context);
    } catch (ReviewException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ReviewException("The surface renderer of '" + type.name() + "' threw " + e, e);
    }
  }

  private static JsonNode readTree(String json) {
    try {
      JsonNode node = CanonicalJson.MAPPER.readTree(json);
      if (!node.isObject()) {
        throw new ReviewException(
            "A stored artifact must be a JSON object {\"artifact\":...,\"type\":...}"
                + " but was "
                + node.getNodeType());
      }
      return node;
    } catch (JacksonException e) {
      throw new ReviewException(
          "A stored artifact is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Builds {@link ArtifactTypes}; starts with the built-in types. */
  public static final class Builder {
    private final Map<String, ArtifactType<?>> types = new LinkedHashMap<>();
    private ReviewLimits limits = ReviewLimits.defaults();
    private List<String> internalDomains = List.of();
    private ImageDiffer imageDiffer = JdkImageDiffer.builder().build();

    private Builder() {
      StandardTypes.all().forEach(this::register);
    }

    /**
     * Adds a type; its name and class must not be registered yet.
     *
     * @param type the type
     * @return this builder
     */
    public Builder register(ArtifactType<?> type) {
      ArtifactType<?> clash =
          types.values().stream()
              .filter(t -> t.name().equals(type.name()) || t.javaType().equals(type.javaType()))
              .findFirst()
              .orElse(null);
      if (clash != null) {
        throw new IllegalArgumentException(
            "cannot register "
                + type
                + ": "
                + clash
                + " is registered already (names and classes must be unique)");
      }
      types.put(type.name(), type);
      return this;
    }

    /**
     * Sets the size limits.
     *
     * @param limits the limits (default {@link ReviewLimits#defaults()})
     * @return this builder
     */
    public Builder limits(ReviewLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Domains whose addresses are internal; other recipients are flagged external.
     *
     * @param domains domain names, such as {@code example.com}
     * @return this builder
     */
    public Builder internalDomains(String... domains) {
      List<String> list = new ArrayList<>();
      for (String d : domains) {
        if (!d.matches(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
          throw new IllegalArgumentException(
              "internalDomains must be domain names like 'example.com'"
                  + " but one was '"
                  + Texts.truncate(d, 80)
                  + "'");
        }
        list.add(d);
      }
      this.internalDomains = List.copyOf(list);
      return this;
    }

    /**
     * Sets what compares images for visual changes.
     *
     * @param imageDiffer the differ
     * @return this builder
     */
    public Builder imageDiffer(ImageDiffer imageDiffer) {
      this.imageDiffer = Objects.requireNonNull(imageDiffer, "imageDiffer");
      return this;
    }

    /**
     * Builds the registry.
     *
     * @return the registry
     */
    public ArtifactTypes build() {
      return new ArtifactTypes(this);
    }
  }
}
