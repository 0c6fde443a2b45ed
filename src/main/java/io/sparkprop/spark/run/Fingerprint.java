package io.sparkprop.spark.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** A short hash of a run's settings: the first {@value #LENGTH} hex digits of their SHA-256. */
final class Fingerprint {
  static final int LENGTH = 12;

  private Fingerprint() {}

  /** The hash of the settings, sorted by name; each as name, '=', value, newline. */
  static String of(Map<String, String> settings) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(settings).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
