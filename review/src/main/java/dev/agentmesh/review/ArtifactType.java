package dev.agentmesh.review;

import dev.agentmesh.review.spi.ArtifactValidator;
import dev.agentmesh.review.spi.SurfaceRenderer;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Describes one kind of {@link ReviewArtifact}: its name (stored with every serialized artifact and
 * part of its content hash), its Java class, its validator and its surface renderer. Register it
 * with {@link ArtifactTypes.Builder#register}.
 *
 * <pre>{@code
 * ArtifactType<Ticket> ticket = ArtifactType.of("acme.ticket", Ticket.class,
 *     (t, limits) -> t.id().isBlank() ? List.of("id must not be blank") : List.of(),
 *     (t, context) -> new Surface("Ticket " + t.id(), List.of(), List.of()));
 * }</pre>
 *
 * @param <T> the artifact class
 */
public final class ArtifactType<T extends ReviewArtifact> {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");

  private final String name;
  private final Class<T> javaType;
  private final ArtifactValidator<? super T> validator;
  private final SurfaceRenderer<? super T> renderer;

  private ArtifactType(
      String name,
      Class<T> javaType,
      ArtifactValidator<? super T> validator,
      SurfaceRenderer<? super T> renderer) {
    if (!NAME.matcher(name).matches() || name.length() > 64) {
      throw new IllegalArgumentException(
          "an artifact type name must be 1 to 64 lowercase letters,"
              + " digits, dots and hyphens, starting with a letter (like 'acme.ticket') but was '"
              + Texts.truncate(name, 80)
              + "'");
    }
    this.name = name;
    this.javaType = Objects.requireNonNull(javaType, "javaType");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
  }

  /**
   * A type named {@code name} for instances of exactly {@code javaType}.
   *
   * @param <T> the artifact class
   * @param name the stable name, such as {@code acme.ticket}
   * @param javaType the artifact class
   * @param validator checks an artifact against the type's rules
   * @param renderer builds the verification surface
   * @return the type
   */
  public static <T extends ReviewArtifact> ArtifactType<T> of(
      String name,
      Class<T> javaType,
      ArtifactValidator<? super T> validator,
      SurfaceRenderer<? super T> renderer) {
    return new ArtifactType<>(name, javaType, validator, renderer);
  }

  /** {@return the stable name, such as {@code code-diff} or {@code acme.ticket}} */
  public String name() {
    return name;
  }

  /** {@return the artifact class} */
  public Class<T> javaType() {
    return javaType;
  }

  /** {@return the validator} */
  public ArtifactValidator<? super T> validator() {
    return validator;
  }

  /** {@return the surface renderer} */
  public SurfaceRenderer<? super T> renderer() {
    return renderer;
  }

  @Override
  public String toString() {
    return "ArtifactType[" + name + ", " + javaType.getName() + "]";
  }
}
