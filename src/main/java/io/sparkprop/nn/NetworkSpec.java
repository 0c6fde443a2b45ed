package io.sparkprop.nn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The architecture of a fully connected network: layer sizes n_0 … n_L, the activation of every
 * hidden layer, the output activation and the loss. Validates itself on construction.
 *
 * <p>Its parameters live in one flat array laid out by {@link #layout()}.
 *
 * @param layerSizes n_0 (inputs) … n_L (outputs); at least two entries, all positive
 */
public record NetworkSpec(
    int[] layerSizes, Activation hiddenActivation, Activation outputActivation, Loss loss)
    implements Serializable {

  public NetworkSpec {
    Objects.requireNonNull(layerSizes, "layerSizes");
    Objects.requireNonNull(hiddenActivation, "hiddenActivation");
    Objects.requireNonNull(outputActivation, "outputActivation");
    Objects.requireNonNull(loss, "loss");
    if (layerSizes.length < 2) {
      throw new IllegalArgumentException(
          "layer sizes must have at least 2 entries, found " + layerSizes.length);
    }
    for (int i = 0; i < layerSizes.length; i++) {
      if (layerSizes[i] <= 0) {
        throw new IllegalArgumentException(
            "layer " + i + " must have a positive size, found " + layerSizes[i]);
      }
    }
    if (!hiddenActivation.allowedInHiddenLayer()) {
      throw new IllegalArgumentException(
          "hidden activation "
              + hiddenActivation.id()
              + " is not allowed (expected sigmoid, tanh, relu or identity)");
    }
    if (!outputActivation.allowedInOutputLayer()) {
      throw new IllegalArgumentException(
          "output activation "
              + outputActivation.id()
              + " is not allowed (expected sigmoid, softmax or identity)");
    }
    if (!loss.supports(outputActivation)) {
      throw new IllegalArgumentException(
          "loss "
              + loss.id()
              + " cannot be used with output "
              + outputActivation.id()
              + " (cross-entropy needs sigmoid or softmax; squared-error needs identity or sigmoid)");
    }
    long total = 0;
    for (int l = 1; l < layerSizes.length; l++) {
      total += (long) layerSizes[l] * layerSizes[l - 1] + layerSizes[l];
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "the network has "
              + total
              + " parameters; at most "
              + (Integer.MAX_VALUE - 8)
              + " fit one array");
    }
    layerSizes = layerSizes.clone();
  }

  /** A spec with the same activation in every hidden layer. */
  public static NetworkSpec of(int[] layerSizes, Activation hidden, Activation output, Loss loss) {
    return new NetworkSpec(layerSizes, hidden, output, loss);
  }

  @Override
  public int[] layerSizes() {
    return layerSizes.clone();
  }

  /** L, the number of layers with parameters. */
  public int numLayers() {
    return layerSizes.length - 1;
  }

  /** n_l; l = 0 is the input layer. */
  public int size(int l) {
    return layerSizes[l];
  }

  /** n_0. */
  public int numInputs() {
    return layerSizes[0];
  }

  /** n_L. */
  public int numOutputs() {
    return layerSizes[layerSizes.length - 1];
  }

  /** The largest n_l over all layers. */
  public int maxLayerSize() {
    return Arrays.stream(layerSizes).max().orElseThrow();
  }

  /** The activation of layer l = 1 … L. */
  public Activation activation(int l) {
    return l == numLayers() ? outputActivation : hiddenActivation;
  }

  /** Where each layer's weights and biases sit in the flat parameter array. */
  public ParameterLayout layout() {
    return new ParameterLayout(layerSizes);
  }

  /** Length of the flat parameter array. */
  public int numParameters() {
    int total = 0;
    for (int l = 1; l < layerSizes.length; l++) {
      total += layerSizes[l] * layerSizes[l - 1] + layerSizes[l];
    }
    return total;
  }

  /** Layer sizes as "784-128-10". */
  public String layersString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < layerSizes.length; i++) {
      sb.append(i == 0 ? "" : "-").append(layerSizes[i]);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkSpec other
        && Arrays.equals(layerSizes, other.layerSizes)
        && hiddenActivation == other.hiddenActivation
        && outputActivation == other.outputActivation
        && loss == other.loss;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(layerSizes), hiddenActivation, outputActivation, loss);
  }

  @Override
  public String toString() {
    return layersString()
        + " hidden="
        + hiddenActivation.id()
        + " output="
        + outputActivation.id()
        + " loss="
        + loss.id();
  }
}
