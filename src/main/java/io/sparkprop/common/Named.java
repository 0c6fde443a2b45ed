package io.sparkprop.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A constant that users name: an activation, a loss, an optimizer, a format. Its {@link #id()} is
 * the lower-case word used in flags, config files and the files sparkprop writes; {@link #parse}
 * reads it back, case-insensitively, for every such enum.
 */
public interface Named {

  /** The name used in flags, config files and files sparkprop writes. */
  String id();

  /**
   * The constant of {@code type} whose id is {@code text}, ignoring case and surrounding blanks.
   *
   * @param what the kind of thing, for the error: "activation", "loss", "precision"
   * @throws IllegalArgumentException naming the text and every allowed id, like {@code unknown loss
   *     'l1' (expected one of cross-entropy, squared-error)}
   */
  static <E extends Enum<E> & Named> E parse(Class<E> type, String what, String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (constant.id().equals(wanted)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "unknown " + what + " '" + text + "' (expected " + allowed(type) + ")");
  }

  /** The ids of {@code type}: "a or b" for two, "one of a, b, c" for more. */
  static <E extends Enum<E> & Named> String allowed(Class<E> type) {
    E[] constants = type.getEnumConstants();
    if (constants.length == 2) {
      return constants[0].id() + " or " + constants[1].id();
    }
    return "one of " + Arrays.stream(constants).map(Named::id).collect(Collectors.joining(", "));
  }

  /** The id of an enum constant named like Java constants: {@code FLOAT32} → {@code float32}. */
  static String idOf(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
