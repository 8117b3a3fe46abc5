package dev.agentmesh.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests, the one place the review module computes them: content hashes ({@link
 * CanonicalJson}), binary values in listings ({@link ContentLines}), long queue key parts ({@link
 * QueueRows}) and token comparison ({@link Authenticators}). Thread-safe (a digest per call).
 */
final class Sha256 {

  private Sha256() {}

  /** The digest of {@code bytes}. */
  static byte[] of(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The digest of {@code text}'s UTF-8 bytes. */
  static byte[] of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }
}
