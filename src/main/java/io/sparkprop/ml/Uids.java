package io.sparkprop.ml;

/**
 * A stage's uid while its Spark superclasses are constructed. Spark ML's shared params
 * (featuresCol, labelCol, …) are created in those constructors and ask the stage for its uid, which
 * a Java subclass can only store afterwards: its constructor passes the uid here first, and {@code
 * uid()} answers from here until the field is set.
 */
final class Uids {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private Uids() {}

  /** A uid on its way into a constructor. */
  record Pending(String uid) {}

  /** Holds {@code uid} for the superclass constructors about to run on this thread. */
  static Pending begin(String uid) {
    PENDING.set(uid);
    return new Pending(uid);
  }

  /** The uid of the stage under construction on this thread. */
  static String pending() {
    return PENDING.get();
  }

  /** The constructor has stored the uid. */
  static String end(Pending pending) {
    PENDING.remove();
    return pending.uid();
  }
}
