package dev.agentmesh.review;

/**
 * Size limits that keep a hostile or runaway artifact from exhausting memory while it is validated,
 * hashed or rendered. Every limit is checked before the work it guards: an image's declared
 * dimensions are read from its PNG header before a single pixel is decoded.
 *
 * <pre>{@code
 * ReviewLimits limits = ReviewLimits.builder().maxImagePixels(4_000_000).build();
 * }</pre>
 */
public final class ReviewLimits {

  private static final ReviewLimits DEFAULTS = builder().build();

  private final long maxArtifactBytes;
  private final long maxImageBytes;
  private final long maxImagePixels;
  private final int maxImageSide;

  private ReviewLimits(Builder b) {
    this.maxArtifactBytes = b.maxArtifactBytes;
    this.maxImageBytes = b.maxImageBytes;
    this.maxImagePixels = b.maxImagePixels;
    this.maxImageSide = b.maxImageSide;
  }

  /**
   * {@return the default limits: 16 MiB per artifact (canonical JSON), 8 MiB per image, 16
   * megapixels, 8192 pixels a side}
   */
  public static ReviewLimits defaults() {
    return DEFAULTS;
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the largest artifact, measured as the UTF-8 bytes of its canonical JSON} */
  public long maxArtifactBytes() {
    return maxArtifactBytes;
  }

  /** {@return the largest encoded image file} */
  public long maxImageBytes() {
    return maxImageBytes;
  }

  /** {@return the most pixels (width times height) an image may declare} */
  public long maxImagePixels() {
    return maxImagePixels;
  }

  /** {@return the longest side, in pixels, an image may declare} */
  public int maxImageSide() {
    return maxImageSide;
  }

  /** Builds {@link ReviewLimits}; each setting is checked when it is set. */
  public static final class Builder {
    private long maxArtifactBytes = 16L << 20;
    private long maxImageBytes = 8L << 20;
    private long maxImagePixels = 16_000_000L;
    private int maxImageSide = 8192;

    private Builder() {}

    /**
     * Sets the largest artifact, as UTF-8 bytes of its canonical JSON.
     *
     * @param bytes more than 0
     * @return this builder
     */
    public Builder maxArtifactBytes(long bytes) {
      this.maxArtifactBytes = positive("maxArtifactBytes", bytes);
      return this;
    }

    /**
     * Sets the largest encoded image file.
     *
     * @param bytes more than 0
     * @return this builder
     */
    public Builder maxImageBytes(long bytes) {
      this.maxImageBytes = positive("maxImageBytes", bytes);
      return this;
    }

    /**
     * Sets the most pixels an image may declare.
     *
     * @param pixels more than 0
     * @return this builder
     */
    public Builder maxImagePixels(long pixels) {
      this.maxImagePixels = positive("maxImagePixels", pixels);
      return this;
    }

    /**
     * Sets the longest side an image may declare.
     *
     * @param pixels more than 0
     * @return this builder
     */
    public Builder maxImageSide(int pixels) {
      this.maxImageSide = (int) positive("maxImageSide", pixels);
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public ReviewLimits build() {
      return new ReviewLimits(this);
    }

    private static long positive(String name, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
      }
      return value;
    }
  }
}
