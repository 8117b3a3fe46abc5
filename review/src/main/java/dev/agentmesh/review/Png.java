package dev.agentmesh.review;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Reads a PNG's declared size from its IHDR chunk before anything is decoded, so a small file
 * declaring huge dimensions (a decompression bomb) is refused cheaply; then decodes and encodes
 * with the JDK's {@code javax.imageio}, in memory.
 */
final class Png {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private Png() {}

  /** Problems of {@code png} against {@code limits}; empty when it may be decoded. */
  static List<String> problems(String which, byte[] png, ReviewLimits limits) {
    if (png.length > limits.maxImageBytes()) {
      return List.of(
          which
              + " image is "
              + png.length
              + " bytes but at most "
              + limits.maxImageBytes()
              + " are allowed (ReviewLimits.maxImageBytes)");
    }
    if (png.length < 33
        || !startsWith(png, SIGNATURE)
        || png[12] != 'I'
        || png[13] != 'H'
        || png[14] != 'D'
        || png[15] != 'R') {
      return List.of(which + " image is not a PNG (expected the PNG signature and an IHDR chunk)");
    }
    long width = Integer.toUnsignedLong(readInt(png, 16));
    long height = Integer.toUnsignedLong(readInt(png, 20));
    if (width == 0
        || height == 0
        || width > limits.maxImageSide()
        || height > limits.maxImageSide()
        || width * height > limits.maxImagePixels()) {
      return List.of(
          which
              + " image declares "
              + width
              + "x"
              + height
              + " pixels but at most "
              + limits.maxImageSide()
              + " a side and "
              + limits.maxImagePixels()
              + " in all are allowed (ReviewLimits.maxImageSide, maxImagePixels); it was not decoded");
    }
    return List.of();
  }

  /** Decodes after checking the limits; throws {@link ReviewException}. */
  static BufferedImage decode(String which, byte[] png, ReviewLimits limits) {
    List<String> problems = problems(which, png, limits);
    if (!problems.isEmpty()) {
      throw new ReviewException(problems.get(0));
    }
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
    ImageReader reader = readers.next();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
      reader.setInput(in, true, true);
      return reader.read(0);
    } catch (IOException | RuntimeException e) {
      throw new ReviewException(which + " image could not be decoded as PNG: " + e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }

  static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(image);
    } catch (IOException e) {
      throw new ReviewException("could not encode a PNG: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  static int width(byte[] png) {
    return readInt(png, 16);
  }

  static int height(byte[] png) {
    return readInt(png, 20);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24
        | (b[at + 1] & 0xFF) << 16
        | (b[at + 2] & 0xFF) << 8
        | (b[at + 3] & 0xFF);
  }
}
