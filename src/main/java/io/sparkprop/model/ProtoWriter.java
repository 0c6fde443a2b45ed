package io.sparkprop.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One protobuf message being written, in the wire format's few encodings an ONNX file needs:
 * varints (wire type 0), length-delimited bytes, strings and nested messages (wire type 2). Fields
 * are appended in the order written; a nested message is written whole and then embedded.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An int64, int32 or enum field; negative values take ten bytes, as protobuf writes them. */
  ProtoWriter varint(int field, long value) {
    tag(field, VARINT);
    writeVarint(value);
    return this;
  }

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    writeVarint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  ProtoWriter message(int field, ProtoWriter message) {
    tag(field, LENGTH_DELIMITED);
    writeVarint(message.out.size());
    byte[] body = message.out.toByteArray();
    out.write(body, 0, body.length);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  int size() {
    return out.size();
  }

  private void tag(int field, int wireType) {
    writeVarint(((long) field << 3) | wireType);
  }

  private void writeVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
